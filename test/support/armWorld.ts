/**
 * Azure as Microsoft would report a stack: the world the fake ARM endpoint serves, built from a
 * plan, metro by metro at the step of onboarding the test chooses (`stages`), in the REST shapes of
 * `armResources.ts`. A test starts from "Azure as planned" and changes one thing, as the policy
 * tests change one field of a happy path.
 *
 * What each step looks like, per connection (Microsoft's "Set up and monitor a direct peering"):
 *
 * | stage        | connectionState     | sessions     | provisioned bandwidth |
 * | pending      | PendingApproval     | None         | 0                     |
 * | approved     | Approved            | None         | 0                     |
 * | provisioning | ProvisioningStarted | Idle         | 0                     |
 * | validating   | Validating          | Established  | the requested         |
 * | active       | Active              | Established  | the requested         |
 *
 * Registrations: each registration the plan homes is registered there, Verified, with a prefix
 * key (`00000000-…` with the registration's number, like the spec's examples).
 */
import { bgpSessionAddresses, legsInOrder, type Leg, type LegAwaitingAddresses, type Plan } from "../../plan/model";
import {
  peeringName as peeringNameOf,
  registeredAsnName,
  registeredPrefixName,
  encodePeeringTags,
} from "../../plan/peeringTags";
import { LIFECYCLE, type LifecycleState } from "../../plan/lifecycle";
import { PEERING_SERVICE_SKU } from "../../plan/model";
import {
  peerAsnResource,
  peeringId,
  registeredAsnResource,
  registeredPrefixResource,
  type ArmDirectConnection,
  type ArmPeering,
} from "./armResources";
import type { ArmPeeringEntry, ArmWorld } from "./fakeArm";
import {
  readPeerAsn,
  readPeering,
  readRegisteredAsn,
  readRegisteredPrefix,
  type AzureSnapshot,
} from "../../azure/snapshot";

export const TEST_SUBSCRIPTION = "00000000-0000-0000-0000-0000000000aa";

export type Stage = "pending" | "approved" | "provisioning" | "validating" | "active";

const STAGES: Record<Stage, { connectionState: string; session: string; provisioned: boolean }> = {
  pending: { connectionState: "PendingApproval", session: "None", provisioned: false },
  approved: { connectionState: "Approved", session: "None", provisioned: false },
  provisioning: { connectionState: "ProvisioningStarted", session: "Idle", provisioned: false },
  validating: { connectionState: "Validating", session: "Established", provisioned: true },
  active: { connectionState: "Active", session: "Established", provisioned: true },
};

/** Where Microsoft is for a metro (or leg) in each lifecycle state, when all goes to plan. */
export const STAGE_OF: Record<LifecycleState, Stage | undefined> = {
  planned: undefined,
  requested: "pending",
  provisioning: "provisioning",
  active: "active",
  maintenance: "active",
  decommissioned: "active",
};

export interface WorldOptions {
  /** Per metro (`frankfurt`) or leg (`frankfurt/b`): Microsoft's step; default from its lifecycle state. */
  stages?: Record<string, Stage>;
  /** The PeerAsn's validationState in Azure; default the inventory's. */
  peerAsnState?: string;
  /** Metros whose peering Azure has although the plan does not declare it (planned, PeerAsn pending). */
  extraPeerings?: string[];
}

/** A prefix key as the spec's examples write them, numbered so each is its own. */
export const prefixKey = (n: number) => `00000000-0000-0000-0000-${String(n).padStart(12, "0")}`;

export function azureAsPlanned(plan: Plan, options: WorldOptions = {}): ArmWorld {
  const { sp } = plan;
  const sub = TEST_SUBSCRIPTION;
  const peerAsnName = `as${sp.asn}`;
  const entries: ArmPeeringEntry[] = [];
  for (const metro of plan.metros) {
    if (!metro.declared && !options.extraPeerings?.includes(metro.id)) continue;
    const name = peeringNameOf(sp.asn, metro.id);
    const legs = legsInOrder(metro).filter((l) => LIFECYCLE[l.status].declared || !metro.declared);
    const resource: ArmPeering = {
      id: peeringId(sub, sp.resourceGroup, name),
      name,
      type: "Microsoft.Peering/peerings",
      location: sp.location ?? "westeurope",
      kind: "Direct",
      sku: { name: PEERING_SERVICE_SKU, tier: "Premium", family: "Direct", size: "Free" },
      tags: encodePeeringTags({
        metro: metro.id,
        region: metro.region,
        status: metro.status,
        legs: legs.map((l) => ({ name: l.name, status: l.status, router: l.hostname, interface: l.interface })),
        location: { latitude: metro.latitude, longitude: metro.longitude },
        servedRegions: sp.regions.map((r) => r.name),
      }),
      properties: {
        direct: {
          connections: legs.map((l, i) =>
            connection(
              plan,
              l,
              options.stages?.[l.id] ?? options.stages?.[metro.id] ?? STAGE_OF[l.status] ?? "pending",
              i,
            ),
          ),
          useForPeeringService: true,
          peerAsn: { id: `/subscriptions/${sub}/providers/Microsoft.Peering/peerAsns/${peerAsnName}` },
          directPeeringType: "Edge",
        },
        peeringLocation: metro.peeringLocation,
        provisioningState: "Succeeded",
      },
    };
    entries.push({ resource, registeredPrefixes: [], registeredAsns: [], receivedRoutes: [] });
  }
  plan.registrations.forEach((r, i) => {
    const home =
      r.home === undefined ? undefined : entries.find((e) => e.resource.name === peeringNameOf(sp.asn, r.home!));
    if (!home) return;
    if (r.kind === "prefix")
      home.registeredPrefixes.push(
        registeredPrefixResource(home.resource, {
          name: registeredPrefixName(r.key, r.asn),
          prefix: r.key,
          validationState: "Verified",
          key: prefixKey(i + 1),
        }),
      );
    else
      home.registeredAsns.push(
        registeredAsnResource(home.resource, { name: registeredAsnName(r.asn), asn: r.asn, key: prefixKey(i + 1) }),
      );
  });
  return {
    subscription: sub,
    peerAsns: [
      peerAsnResource(sub, {
        name: peerAsnName,
        asn: sp.asn,
        peerName: sp.name,
        contacts: sp.contacts.map((c) => ({ role: c.role, email: c.email, ...(c.phone ? { phone: c.phone } : {}) })),
        validationState: options.peerAsnState ?? sp.peerAsnValidationState,
      }),
    ],
    resourceGroups: { [sp.resourceGroup]: { peerings: entries } },
  };
}

function connection(plan: Plan, leg: Leg | LegAwaitingAddresses, stage: Stage, position: number): ArmDirectConnection {
  const s = STAGES[stage];
  const addresses = bgpSessionAddresses(leg);
  return {
    bandwidthInMbps: leg.bandwidthMbps,
    provisionedBandwidthInMbps: s.provisioned ? leg.bandwidthMbps : 0,
    sessionAddressProvider: plan.sp.sessionAddressProvider,
    useForPeeringService: true,
    microsoftTrackingId: `MSFT-${leg.metro.toUpperCase()}-${position + 1}`,
    peeringDBFacilityId: plan.metros.find((m) => m.id === leg.metro)?.peeringDbFacilityId ?? 0,
    connectionState: s.connectionState,
    bgpSession: {
      ...addresses,
      sessionStateV4: s.session,
      sessionStateV6: s.session,
      maxPrefixesAdvertisedV4: plan.sp.advertisedMaxPrefix.ipv4,
      maxPrefixesAdvertisedV6: plan.sp.advertisedMaxPrefix.ipv6,
      ...(leg.md5KeySecret ? { md5AuthenticationKey: "azure-holds-the-md5-key" } : {}),
    },
    connectionIdentifier: connectionIdOf(leg),
  };
}

/** The connection identifier Azure gives a leg in the fake world (Azure Monitor's ConnectionId too). */
export function connectionIdOf(leg: Pick<Leg, "metro" | "name">): string {
  return `${leg.metro}-${leg.name}-0000-0000-000000000000`.slice(0, 36);
}

/** The peering of a metro in a world (to change it). */
export function peeringOf(world: ArmWorld, metro: string): ArmPeeringEntry {
  const entry = Object.values(world.resourceGroups)
    .flatMap((g) => g.peerings)
    .find((e) => e.resource.name.endsWith(`-${metro}`));
  if (!entry) throw new Error(`test: no peering for metro ${metro} in the world`);
  return entry;
}

/** The connection of leg `metro/leg` (by its position among the metro's declared legs). */
export function connectionOf(world: ArmWorld, plan: Plan, legId: string): ArmDirectConnection {
  const [metroId, legName] = legId.split("/");
  const metro = plan.metros.find((m) => m.id === metroId);
  const position = legsInOrder(metro!)
    .filter((l) => LIFECYCLE[l.status].declared || !metro!.declared)
    .findIndex((l) => l.name === legName);
  const c = peeringOf(world, metroId).resource.properties.direct?.connections[position];
  if (!c) throw new Error(`test: no connection for ${legId} in the world`);
  return c;
}

/** A registered prefix anywhere in the world. */
export function registeredPrefixOf(world: ArmWorld, prefix: string) {
  const found = Object.values(world.resourceGroups)
    .flatMap((g) => g.peerings)
    .flatMap((e) => e.registeredPrefixes.map((r) => ({ entry: e, r })))
    .find(({ r }) => r.properties.prefix === prefix);
  if (!found) throw new Error(`test: ${prefix} is not registered in the world`);
  return found;
}

/**
 * What `readAzure` makes of a world, without HTTP: the SDK's flattening of `properties` and our
 * readers. For the pure comparison tests; `test/azure/client.test.ts` holds it to what the real
 * SDK reads from the fake endpoint.
 */
export function snapshotOf(world: ArmWorld, resourceGroup: string, endpoint = "https://127.0.0.1:0"): AzureSnapshot {
  const flat = (r: { properties: object }) => {
    const { properties, ...rest } = r;
    return { ...rest, ...properties };
  };
  const group = Object.entries(world.resourceGroups).find(
    ([g]) => g.toLowerCase() === resourceGroup.toLowerCase(),
  )?.[1];
  return {
    endpoint,
    subscription: world.subscription,
    resourceGroup,
    apiVersion: "2022-10-01",
    peerAsns: world.peerAsns.map((a) => readPeerAsn(flat(a))),
    peerings: (group?.peerings ?? []).map((e) => ({
      ...readPeering(flat(e.resource)),
      registeredPrefixes: e.registeredPrefixes.map((r) => readRegisteredPrefix(flat(r), e.resource.name)),
      registeredAsns: e.registeredAsns.map((r) => readRegisteredAsn(flat(r), e.resource.name)),
    })),
  };
}
