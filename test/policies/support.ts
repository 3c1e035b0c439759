/**
 * Hand-made resources as the PeeringLocation component declares them (tags and names through the
 * same contract, plan/peeringTags.ts), for the policy tests: a happy path (two metros of one region,
 * two legs each on two routers, dual stack, /31 and /127, equal LAGs, identical registrations) that
 * every rule passes, and helpers to change one field.
 */
import * as pulumi from "@pulumi/pulumi";
import { azureName, encodePeeringTags, peeringName as peeringNameOf, registeredPrefixName } from "../../plan/peeringTags";
import type { DeclaredResource, PolicyPackConfig } from "../../policies/run";

export const secret = (value: unknown) => ({ [pulumi.runtime.specialSigKey]: pulumi.runtime.specialSecretSig, value });

export interface LegSpec {
  name: string;
  router: string;
  interface: string;
  mbps: number;
  v4: [prefix: string, microsoft: string, peer: string];
  v6: [prefix: string, microsoft: string, peer: string];
  md5?: unknown;
}

export interface MetroSpec {
  id: string;
  location: string;
  region: string;
  lat: number;
  lon: number;
  status?: string;
  legs: LegSpec[];
}

export const SP_ASN = 64500;
export const CUSTOMER_ASN = 64501;
export const PREFIXES: Array<[prefix: string, origin: number]> = [
  ["198.51.100.0/24", SP_ASN],
  ["203.0.113.0/24", CUSTOMER_ASN],
  ["2001:db8:1000::/48", SP_ASN],
];
export const REGION = { name: "europe-west", lat: 50.85, lon: 4.35 };

/** `2001:db8:ffff::<n>` as RFC 5952 writes it. */
const v6 = (n: number) => `2001:db8:ffff::${n === 0 ? "" : n.toString(16)}`;

const leg = (name: string, router: string, n: number): LegSpec => ({
  name,
  router,
  interface: "bond-msft",
  mbps: 200000,
  v4: [`192.0.2.${2 * n}/31`, `192.0.2.${2 * n}`, `192.0.2.${2 * n + 1}`],
  v6: [`${v6(2 * n)}/127`, v6(2 * n), v6(2 * n + 1)],
});

export function happyMetros(): MetroSpec[] {
  return [
    { id: "amsterdam", location: "Amsterdam", region: "europe-west", lat: 52.37, lon: 4.9, legs: [leg("a", "ams-edge-1", 0), leg("b", "ams-edge-2", 1)] },
    { id: "frankfurt", location: "Frankfurt", region: "europe-west", lat: 50.11, lon: 8.68, legs: [leg("a", "fra-edge-1", 2), { ...leg("b", "fra-edge-2", 3), md5: secret("lab-key") }] },
  ];
}

const urn = (type: string, name: string) => `urn:pulumi:test::peering-as-code::${type}::${name}`;
const resource = (type: string, name: string, inputs: Record<string, unknown>): DeclaredResource => ({ type, name, urn: urn(type, name), inputs });

export function peeringResource(m: MetroSpec, receiveLimits: [number, number] = [1000, 500]): DeclaredResource {
  return resource("azure-native:peering:Peering", `sp-${m.id}-peering`, {
    peeringName: peeringNameOf(SP_ASN, m.id),
    resourceGroupName: "rg-maps",
    kind: "Direct",
    sku: { name: "Premium_Direct_Free" },
    peeringLocation: m.location,
    direct: {
      directPeeringType: "Edge",
      peerAsn: { id: "sp-as64500-id" },
      connections: m.legs.map((l) => ({
        bandwidthInMbps: l.mbps,
        peeringDBFacilityId: 18,
        sessionAddressProvider: "Peer",
        useForPeeringService: true,
        bgpSession: {
          sessionPrefixV4: l.v4[0],
          sessionPrefixV6: l.v6[0],
          microsoftSessionIPv4Address: l.v4[1],
          microsoftSessionIPv6Address: l.v6[1],
          peerSessionIPv4Address: l.v4[2],
          peerSessionIPv6Address: l.v6[2],
          maxPrefixesAdvertisedV4: 20,
          maxPrefixesAdvertisedV6: 20,
          ...(l.md5 !== undefined ? { md5AuthenticationKey: l.md5 } : {}),
        },
      })),
    },
    tags: encodePeeringTags({
      metro: m.id,
      region: m.region,
      status: m.status ?? "active",
      legs: m.legs.map((l) => ({ name: l.name, router: l.router, interface: l.interface, maxPrefixV4: receiveLimits[0], maxPrefixV6: receiveLimits[1] })),
      location: { latitude: m.lat, longitude: m.lon },
      regionCentre: { latitude: REGION.lat, longitude: REGION.lon },
      servedRegions: [REGION.name],
    }),
  });
}

export function registrations(m: MetroSpec, prefixes = PREFIXES): DeclaredResource[] {
  const peeringName = peeringNameOf(SP_ASN, m.id);
  return [
    resource("azure-native:peering:RegisteredAsn", `sp-${m.id}-as${CUSTOMER_ASN}`, { peeringName, resourceGroupName: "rg-maps", registeredAsnName: `as${CUSTOMER_ASN}`, asn: CUSTOMER_ASN }),
    ...prefixes.map(([prefix, origin]) =>
      resource("azure-native:peering:RegisteredPrefix", `sp-${m.id}-${azureName(prefix)}`, { peeringName, resourceGroupName: "rg-maps", registeredPrefixName: registeredPrefixName(prefix, origin), prefix }),
    ),
  ];
}

export function peerAsn(asn: number = SP_ASN): DeclaredResource {
  return resource("azure-native:peering:PeerAsn", `sp-as${asn}`, { peerAsnName: `as${asn}`, peerAsn: asn, peerName: "Example Networks" });
}

/** The whole stack for a list of metros. */
export function stackOf(metros: MetroSpec[], options: { asn?: number; prefixes?: typeof PREFIXES } = {}): DeclaredResource[] {
  return [peerAsn(options.asn), ...metros.flatMap((m) => [peeringResource(m), ...registrations(m, options.prefixes)])];
}

/** The policy config a lab-like stack runs with: documentation ranges allowed. */
export const LAB_CONFIG: PolicyPackConfig = {
  "peering-service-settings": { allowDocumentationRanges: true },
  "registered-prefixes": { allowDocumentationRanges: true },
};

/** Sets a value at a dotted path (`direct.connections.1.bandwidthInMbps`) in a copy of a resource's inputs. */
export function withInput(r: DeclaredResource, dotted: string, value: unknown): DeclaredResource {
  const inputs = structuredClone(r.inputs);
  const steps = dotted.split(".");
  let at: Record<string, unknown> = inputs;
  for (const step of steps.slice(0, -1)) at = at[step] as Record<string, unknown>;
  const last = steps[steps.length - 1];
  if (value === undefined) delete at[last];
  else at[last] = value;
  return { ...r, inputs };
}

/** Every rule of the pack with its enforcement level, in the pack's order: what both the in-process and the engine-protocol tests expect. */
export const EXPECTED_RULES = [
  "local-redundancy:mandatory",
  "geo-redundancy:mandatory",
  "equal-capacity:mandatory",
  "session-addressing:mandatory",
  "peering-service-settings:mandatory",
  "registered-prefixes:mandatory",
  "nearest-edge:advisory",
];
