/**
 * The plan: everything derived from the inventory, once, by pure functions. Renderers, components and
 * policies read only this model, so the same inventory always gives the same configs and resources.
 */
import type {
  AllocationLock,
  AnnouncedPrefix,
  BfdTimers,
  LagMember,
  MaxPrefixAction,
  PeerAsnValidationState,
  RouterWideSettings,
  SessionAddressProvider,
  SourceRef,
} from "../load/inventory";
import type { CustomerPlan } from "./customers";
import type { LifecycleState } from "./lifecycle";
import type { Vendor } from "../vendors";

/** Microsoft's edge: AS 8075. */
export const MICROSOFT_ASN = 8075;
/** Community Microsoft requires on every prefix announced for Peering Service. */
export const PEERING_SERVICE_COMMUNITY = "8075:8007";
/** RFC 8326 GRACEFUL_SHUTDOWN: added to every route announced on a drained leg. */
export const GRACEFUL_SHUTDOWN_COMMUNITY = "65535:0";
/** RFC 8326: what a drained leg learns is given this local preference, so other paths win. */
export const GRACEFUL_SHUTDOWN_LOCAL_PREF = 0;
/** Paths through AS 12076 (ExpressRoute) must never be accepted from the Peering Service edge. */
export const REJECTED_TRANSIT_ASNS: readonly number[] = [12076];
/**
 * Seconds before a failed TCP connect to Microsoft is retried (BGP ConnectRetry timer). The daemons'
 * default is 120 s (FRR, BIRD): a leg repaired while its session is waiting out that timer stays down
 * for up to two minutes. 10 s is what FRR's own `datacenter` defaults use. See README, "Reconnecting".
 */
export const CONNECT_RETRY_SECONDS = 10;
/**
 * Delay before a session that failed (BFD down, link down, hold timer) is restarted, doubling on
 * repeated failures up to `max`: BIRD's `error wait time` (default 60, 300, so a repaired leg stayed
 * down for at least a minute). The other platforms restart at once and have no such statement.
 */
export const RESTART_DELAY_SECONDS = { min: 10, max: 300 } as const;
/** Azure SKU for Direct peerings used for Peering Service. */
export const PEERING_SERVICE_SKU = "Premium_Direct_Free";

export type AddressFamily = "ipv4" | "ipv6";

/**
 * A session prefix and its two ends. Convention (documented in the README): on a /31 or /127 the
 * lower address is Microsoft's and the higher is ours; on a /30 or /126 Microsoft takes the first
 * usable address and we take the second.
 */
export interface SessionAddressing {
  afi: AddressFamily;
  prefix: string;
  prefixLength: number;
  microsoft: string;
  sp: string;
  /** Where the prefix came from: pinned in the metro file, already in the lock, or newly allocated. */
  origin: "pinned" | "locked" | "allocated";
}

export interface MaxPrefixLimit {
  limit: number;
  warningPercent: number;
  action: MaxPrefixAction;
  restartMinutes: number;
}

export interface BgpSession {
  /** `amsterdam/a/ipv4` */
  id: string;
  metro: string;
  leg: string;
  afi: AddressFamily;
  hostname: string;
  localAsn: number;
  peerAsn: number;
  localAddress: string;
  peerAddress: string;
  sessionPrefix: string;
  prefixLength: number;
  description: string;
  bfd: BfdTimers;
  maxPrefix: MaxPrefixLimit;
  /** Name of the Pulumi secret config key with the MD5 key, where the leg sets one. */
  md5KeySecret?: string;
  /** The leg is drained (RFC 8326): export with the graceful-shutdown community, import at local-pref 0. */
  drain: boolean;
  /** TTL security (GTSM, RFC 5082): the SP-wide setting, agreed with Microsoft; the session is one hop. */
  gtsm: boolean;
  /** Seconds before a failed connect is retried (CONNECT_RETRY_SECONDS). */
  connectRetrySeconds: number;
  /** Delay before a failed session restarts, doubling up to max (RESTART_DELAY_SECONDS; BIRD only). */
  restartDelaySeconds: { min: number; max: number };
}

/** What a leg is, whether or not its session addresses are known yet. */
export interface LegBase {
  /** `amsterdam/a` */
  id: string;
  metro: string;
  name: string;
  /** Position in the metro file's `legs`: the order of the Peering's connections. */
  position: number;
  /** The leg's lifecycle state, within its metro's (plan/lifecycle.ts). */
  status: LifecycleState;
  hostname: string;
  vendor: Vendor;
  platform?: string;
  interface: string;
  members: LagMember[];
  /** Speed of each LAG member port (all members of a LAG run one speed). */
  portGbps: number;
  lacpRate: "fast" | "slow";
  /** Sum of the LAG members' speeds. */
  bandwidthMbps: number;
  description: string;
  md5KeySecret?: string;
  /** Where Microsoft agreed to the MD5 key (its peering policy says MD5 isn't supported). */
  md5Agreement?: string;
  /** The routers' max-prefix limit on what Microsoft sends, per family (the sessions carry it too). */
  maxPrefixLimit: Record<AddressFamily, number>;
  /** Graceful shutdown (RFC 8326): the leg's own `drain`, or a metro in maintenance or being decommissioned. */
  drain: boolean;
  source: SourceRef;
}

/** A leg with its session addressing: what a router config is rendered from. */
export interface Leg extends LegBase {
  ipv4: SessionAddressing;
  ipv6: SessionAddressing;
  sessions: BgpSession[];
}

/** A leg whose session addresses Microsoft has yet to assign (sessionAddressProvider: Microsoft). */
export type LegAwaitingAddresses = LegBase;

export interface Metro {
  id: string;
  peeringLocation: string;
  peeringDbFacilityId: number;
  region: string;
  latitude: number;
  longitude: number;
  status: LifecycleState;
  /** The metro's `Peering` is declared in Azure: its state declares one and the PeerAsn is approved. */
  declared: boolean;
  /** Legs with session addressing, in file order. */
  legs: Leg[];
  /** Legs of a planned or requested metro (or leg) still waiting for Microsoft's session addresses. */
  legsAwaitingAddresses: LegAwaitingAddresses[];
  file: string;
}

/** Every leg of a metro, addressed or not, in file order: the order of the Peering's connections. */
export function legsInOrder(metro: Pick<Metro, "legs" | "legsAwaitingAddresses">): Array<Leg | LegAwaitingAddresses> {
  return [...metro.legs, ...metro.legsAwaitingAddresses].sort((a, b) => a.position - b.position);
}

/** A leg's addressing is known. */
export function isAddressed(leg: Leg | LegAwaitingAddresses): leg is Leg {
  return "ipv4" in leg;
}

/** The session addresses of a Direct connection's `bgpSession`, as the ARM spec names them. */
export interface BgpSessionAddresses {
  sessionPrefixV4?: string;
  sessionPrefixV6?: string;
  microsoftSessionIPv4Address?: string;
  microsoftSessionIPv6Address?: string;
  peerSessionIPv4Address?: string;
  peerSessionIPv6Address?: string;
}

/**
 * A leg's session addresses as a Direct connection's `bgpSession` names them: none for a leg
 * waiting for Microsoft's addresses (Microsoft assigns them after the request).
 */
export function bgpSessionAddresses(leg: Leg | LegAwaitingAddresses): BgpSessionAddresses {
  if (!isAddressed(leg)) return {};
  return {
    sessionPrefixV4: leg.ipv4.prefix,
    sessionPrefixV6: leg.ipv6.prefix,
    microsoftSessionIPv4Address: leg.ipv4.microsoft,
    microsoftSessionIPv6Address: leg.ipv6.microsoft,
    peerSessionIPv4Address: leg.ipv4.sp,
    peerSessionIPv6Address: leg.ipv6.sp,
  };
}

/**
 * A registered prefix or origin ASN: registered once, on one home peering, announced everywhere
 * (plan/registrations.ts says how the home is chosen and kept).
 */
export interface Registration {
  kind: "prefix" | "asn";
  /** `198.51.100.0/24` or `AS64501`: the key in the lock and what the report shows. */
  key: string;
  /** The prefix, for a registered prefix. */
  prefix?: AnnouncedPrefix;
  /** The origin ASN: of the prefix, or the registered ASN itself. */
  asn: number;
  /** The metro whose peering declares it now; undefined while it waits. */
  home?: string;
  /** The home the lock records, if any. */
  pinned?: string;
  /**
   * registered: on its pinned home; new: on a home chosen now (recorded in the lock by this plan);
   * moving: to a new home, deleting the old registration first; waiting: declared nowhere yet.
   */
  state: "registered" | "new" | "moving" | "waiting";
  /** Pulumi protect: its home hosts registrations and it is not moving. */
  protect: boolean;
  /** Why it is where it is, for the report. */
  reason: string;
  /** Where the inventory lists it. */
  source: SourceRef;
}

/** Something the plan cannot do yet, what it waits for, and what the engineer does next. */
export interface Waiting {
  subject: string;
  waitsFor: string;
  next: string;
}

/** What every router filters on import from Microsoft (RFC 8212: nothing without a policy). */
export interface ImportPolicy {
  bogonsV4: string[];
  bogonsV6: string[];
  /** Longest prefix accepted: /24 for IPv4, /48 for IPv6. */
  maxLengthV4: number;
  maxLengthV6: number;
  rejectAsns: number[];
  /** Bogon ASNs rejected anywhere in the path (private, reserved, documentation unless allowed). */
  bogonAsnRanges: Array<[number, number]>;
}

/** What every router announces to Microsoft: identical at every metro, never prepended. */
export interface ExportPolicy {
  ipv4: AnnouncedPrefix[];
  ipv6: AnnouncedPrefix[];
  community: string;
  /** Added on drained legs only (RFC 8326). */
  gracefulShutdownCommunity: string;
  /** Local preference of what a drained leg learns (RFC 8326). */
  gracefulShutdownLocalPref: number;
}

/** The model one router's config is rendered from. */
export interface RouterPlan {
  hostname: string;
  vendor: Vendor;
  platform?: string;
  metro: Pick<Metro, "id" | "peeringLocation" | "region" | "peeringDbFacilityId">;
  asn: number;
  spName: string;
  /**
   * The router's BGP identifier, only where the inventory gives one (`router.routerId`): rendered
   * then, and otherwise left to the router. Never derived from a session address: a changed
   * router-id resets every BGP session of the router.
   */
  routerId?: string;
  /** Router-wide settings the inventory lets the product set on this router (`router.routerWide`). */
  routerWide: RouterWideSettings;
  legs: Leg[];
  sessions: BgpSession[];
  /** Prefixes this router originates itself (origin AS = SP's), anchored by a discard route. */
  originated: { ipv4: string[]; ipv6: string[] };
  exports: ExportPolicy;
  imports: ImportPolicy;
  bfd: BfdTimers;
  /** Where the stack came from, for the config's header. */
  stack: string;
}

/** The SP as planned (the Pulumi component that declares it is `components/serviceProvider.ts`). */
export interface ServiceProviderPlan {
  name: string;
  asn: number;
  contacts: Array<{ role: string; email: string; phone?: string }>;
  /** The PeerAsn's ValidationState as the inventory records it. */
  peerAsnValidationState: PeerAsnValidationState;
  /** Peerings are declared only once Microsoft has approved the PeerAsn. */
  peerAsnApproved: boolean;
  sessionAddressProvider: SessionAddressProvider;
  prefixes: AnnouncedPrefix[];
  advertisedMaxPrefix: { ipv4: number; ipv6: number };
  resourceGroup: string;
  location?: string;
  allowDocumentationRanges: boolean;
  regions: Array<{ name: string; latitude: number; longitude: number }>;
  file: string;
}

export interface Plan {
  stack: string;
  sp: ServiceProviderPlan;
  metros: Metro[];
  /** Routers with at least one leg whose state renders configs. */
  routers: RouterPlan[];
  /** The BGP sessions the routers run (legs whose state renders configs). */
  sessions: BgpSession[];
  /** Every registered prefix and origin ASN, each once, in the order the report lists them. */
  registrations: Registration[];
  /** What waits for what (Microsoft's approval, addresses, an Active connection). */
  waiting: Waiting[];
  /** Customers' Peering Services declared on their behalf (plan/customers.ts). */
  customers: CustomerPlan[];
  /** The allocation lock as it must be after this plan (existing entries never change). */
  lock: AllocationLock;
  /** Lock entries allocated by this plan and not yet in the committed lock. */
  newAllocations: string[];
  /** Lock keys of legs that no longer exist: kept reserved, never handed out again. */
  retiredAllocations: string[];
  /** Lock keys of registrations whose prefix or ASN the inventory no longer lists. */
  retiredRegistrations: string[];
}
