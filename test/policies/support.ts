/**
 * Hand-made resources as the components declare them (tags and names through the same contract,
 * plan/peeringTags.ts; options as plan/lifecycle.ts says), for the policy tests: a happy path (two
 * active metros of one region, two legs each on two routers, dual stack, /31 and /127, equal 100G
 * LAGs, each prefix and origin ASN registered once, at Amsterdam) that every rule passes, and helpers
 * to change one field.
 */
import * as pulumi from "@pulumi/pulumi";
import { LIFECYCLE, lifecycleState } from "../../plan/lifecycle";
import {
  encodePeeringTags,
  peeringName as peeringNameOf,
  registeredAsnName,
  registeredPrefixName,
  registrationResourceName,
} from "../../plan/peeringTags";
import type { DeclaredResource, PolicyPackConfig } from "../../policies/run";

export const secret = (value: unknown) => ({ [pulumi.runtime.specialSigKey]: pulumi.runtime.specialSecretSig, value });

export interface LegSpec {
  name: string;
  router: string;
  interface: string;
  mbps: number;
  /** Omitted: the leg waits for Microsoft's session addresses. */
  v4?: [prefix: string, microsoft: string, peer: string];
  v6?: [prefix: string, microsoft: string, peer: string];
  md5?: unknown;
  md5Agreement?: string;
  /** The leg's own lifecycle state (tag leg-status); the metro's by default. */
  status?: string;
  portGbps?: number;
  provider?: "Peer" | "Microsoft";
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

export const leg = (name: string, router: string, n: number): LegSpec => ({
  name,
  router,
  interface: "bond-msft",
  mbps: 200000,
  v4: [`192.0.2.${2 * n}/31`, `192.0.2.${2 * n}`, `192.0.2.${2 * n + 1}`],
  v6: [`${v6(2 * n)}/127`, v6(2 * n), v6(2 * n + 1)],
});

export function happyMetros(): MetroSpec[] {
  return [
    {
      id: "amsterdam",
      location: "Amsterdam",
      region: "europe-west",
      lat: 52.37,
      lon: 4.9,
      legs: [leg("a", "ams-edge-1", 0), leg("b", "ams-edge-2", 1)],
    },
    {
      id: "frankfurt",
      location: "Frankfurt",
      region: "europe-west",
      lat: 50.11,
      lon: 8.68,
      legs: [leg("a", "fra-edge-1", 2), leg("b", "fra-edge-2", 3)],
    },
  ];
}

/** Frankfurt leg b with a secret MD5 key, as Microsoft agreed (the lab's one keyed leg). */
export function keyedMetros(): MetroSpec[] {
  const m = happyMetros();
  Object.assign(m[1].legs[1], { md5: secret("lab-key"), md5Agreement: "ticket 4711" });
  return m;
}

const urn = (type: string, name: string) => `urn:pulumi:test::peering-as-code::${type}::${name}`;
const resource = (
  type: string,
  name: string,
  inputs: Record<string, unknown>,
  options: DeclaredResource["options"] = {},
): DeclaredResource => ({ type, name, urn: urn(type, name), inputs, options });

/** The options the PeeringLocation component gives a peering in the metro's state. */
const peeringOptions = (status: string | undefined) => {
  const state = lifecycleState(status ?? "active");
  return { protect: state ? LIFECYCLE[state].protect : true };
};

export function peeringResource(m: MetroSpec, receiveLimits: [number, number] = [2000, 500]): DeclaredResource {
  return resource(
    "azure-native:peering:Peering",
    `sp-${m.id}-peering`,
    {
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
          sessionAddressProvider: l.provider ?? "Peer",
          useForPeeringService: true,
          bgpSession: {
            ...(l.v4
              ? { sessionPrefixV4: l.v4[0], microsoftSessionIPv4Address: l.v4[1], peerSessionIPv4Address: l.v4[2] }
              : {}),
            ...(l.v6
              ? { sessionPrefixV6: l.v6[0], microsoftSessionIPv6Address: l.v6[1], peerSessionIPv6Address: l.v6[2] }
              : {}),
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
        legs: m.legs.map((l) => ({
          name: l.name,
          status: l.status ?? m.status ?? "active",
          router: l.router,
          interface: l.interface,
          portGbps: l.portGbps ?? 100,
          maxPrefixV4: receiveLimits[0],
          maxPrefixV6: receiveLimits[1],
          ...(l.md5Agreement ? { md5Agreement: l.md5Agreement } : {}),
        })),
        location: { latitude: m.lat, longitude: m.lon },
        regionCentre: { latitude: REGION.lat, longitude: REGION.lon },
        servedRegions: [REGION.name],
      }),
    },
    peeringOptions(m.status),
  );
}

/** A registration as the ServiceProvider component declares it on its home (`m`). */
export function registration(
  m: Pick<MetroSpec, "id" | "status">,
  what: { prefix: string; origin: number } | { asn: number },
  name?: string,
): DeclaredResource {
  const peeringName = peeringNameOf(SP_ASN, m.id);
  const state = lifecycleState(m.status ?? "active");
  const options = { protect: state ? LIFECYCLE[state].hostsRegistrations : true, deleteBeforeReplace: true };
  if ("asn" in what) {
    return resource(
      "azure-native:peering:RegisteredAsn",
      name ?? registrationResourceName("sp", { kind: "asn", key: `AS${what.asn}`, asn: what.asn }),
      { peeringName, resourceGroupName: "rg-maps", registeredAsnName: registeredAsnName(what.asn), asn: what.asn },
      options,
    );
  }
  return resource(
    "azure-native:peering:RegisteredPrefix",
    name ?? registrationResourceName("sp", { kind: "prefix", key: what.prefix, asn: what.origin }),
    {
      peeringName,
      resourceGroupName: "rg-maps",
      registeredPrefixName: registeredPrefixName(what.prefix, what.origin),
      prefix: what.prefix,
    },
    options,
  );
}

/** Every prefix and every origin ASN other than the SP's, once, on `home`. */
export function registrations(
  home: Pick<MetroSpec, "id" | "status">,
  prefixes = PREFIXES,
  asn = SP_ASN,
): DeclaredResource[] {
  const origins = [...new Set(prefixes.map(([, o]) => o))].filter((o) => o !== asn);
  return [
    ...origins.map((o) => registration(home, { asn: o })),
    ...prefixes.map(([prefix, origin]) => registration(home, { prefix, origin })),
  ];
}

export function peerAsn(asn: number = SP_ASN, peerName = "Example Networks"): DeclaredResource {
  return resource(
    "azure-native:peering:PeerAsn",
    `sp-as${asn}`,
    { peerAsnName: `as${asn}`, peerAsn: asn, peerName },
    { protect: true, ignoreChanges: ["peerAsn", "peerName", "peerContactDetail"] },
  );
}

/** The whole stack for a list of metros, each prefix and origin ASN registered once on `home` (the first metro). */
export function stackOf(
  metros: MetroSpec[],
  options: { asn?: number; prefixes?: typeof PREFIXES; home?: MetroSpec } = {},
): DeclaredResource[] {
  const home = options.home ?? metros[0];
  return [
    peerAsn(options.asn),
    ...metros.map((m) => peeringResource(m)),
    ...registrations(home, options.prefixes, options.asn),
  ];
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
  "registrations:mandatory",
  "lifecycle:mandatory",
  "customer-peering-service:mandatory",
  "nearest-edge:advisory",
  "microsoft-exceptions:advisory",
];
