/**
 * The typed inventory: what a peering engineer wrote in `stacks/<stack>/`, after the loader has
 * checked it against the JSON Schemas in `schema/`. Nothing here is derived; the plan derives.
 *
 * Every object remembers where it came from (`source`), so that later stages (plan, policies) can
 * still point an engineer at `file:line field` when a cross-file rule fails.
 */
import type { LegState, LifecycleState } from "../plan/lifecycle";
import type { Vendor } from "../vendors";

/** Where a value was written: file (relative to the repo) and 1-based line. */
export interface SourceRef {
  file: string;
  line: number;
  /** Dotted path of the field, e.g. `legs[1].sessionPrefixes.ipv4`. */
  field: string;
  /** Lines of the fields below this one (`router.hostname` → 11), to point at the exact line. */
  lines?: Record<string, number>;
}

export type SessionAddressProvider = "Peer" | "Microsoft";

export type MaxPrefixAction = "shutdown" | "restart" | "warning-only";

export interface MaxPrefixPolicy {
  /** Limit on what Microsoft sends us over IPv4 (Microsoft announces a few hundred). */
  ipv4: number;
  ipv6: number;
  /** Log a warning at this share of the limit. */
  warningPercent: number;
  action: MaxPrefixAction;
  /** With action `restart`: minutes before the session is re-opened. */
  restartMinutes: number;
}

export interface BfdTimers {
  intervalMs: number;
  multiplier: number;
}

export interface Contact {
  role: "Noc" | "Policy" | "Technical" | "Service" | "Escalation" | "Other";
  email: string;
  phone?: string;
}

export interface AnnouncedPrefix {
  prefix: string;
  /** The AS that originates the prefix (the SP's own, or a downstream customer's). */
  originAsn: number;
  description?: string;
  /** The metro whose peering registers it (its home), where the inventory names one. */
  registerAt?: string;
  /** The region whose metros may register it by default. */
  region?: string;
  /**
   * The exact AS path the prefix arrives with in our network, where it is longer than its origin
   * alone (a customer's customer): `[64502, 64501]`, ending with `originAsn`. At most 2 ASNs, so at
   * most 3 on the wire with ours; no repeats, no private or reserved ASN.
   */
  asPath?: number[];
  /** Origin communities the SP sets on it (besides 8075:8007), e.g. `64500:100`. */
  communities?: string[];
  source: SourceRef;
}

/** Where an origin ASN other than the SP's own is registered, where the inventory says. */
export interface OriginAsnInventory {
  asn: number;
  registerAt: string;
  source: SourceRef;
}

/** The PeerAsn's ValidationState, as Azure shows it (Microsoft validates, up to 12 hours). */
export type PeerAsnValidationState = "None" | "Pending" | "Approved" | "Failed";

export interface ServedRegion {
  name: string;
  /** Where the SP's users of that region are, roughly: the centre used for nearest-edge checks. */
  latitude: number;
  longitude: number;
}

export interface ServiceProviderInventory {
  file: string;
  name: string;
  asn: number;
  contacts: Contact[];
  /** Peerings are declared only once this is Approved. */
  peerAsnValidationState: PeerAsnValidationState;
  /** Line of `peerAsn.validationState` (or of `asn` when it is not written), for problems. */
  peerAsnSource: SourceRef;
  sessionAddressProvider: SessionAddressProvider;
  /** Pools the session /31s and /127s are carved from (only with provider `Peer`). */
  sessionAddressPools?: { ipv4: string; ipv6: string; source: SourceRef };
  maxPrefix: MaxPrefixPolicy;
  /** What we tell Microsoft to expect from us (`maxPrefixesAdvertisedV4/V6` on the Azure session). */
  advertisedMaxPrefix: { ipv4: number; ipv6: number };
  bfd: BfdTimers;
  prefixes: AnnouncedPrefix[];
  originAsns: OriginAsnInventory[];
  defaultVendor: Vendor;
  regions: ServedRegion[];
  azure: { resourceGroup: string; location?: string };
  /**
   * Lab and test stacks only: documentation prefixes (RFC 5737, RFC 3849) and ASNs (RFC 5398) are
   * then not treated as bogons, so the lab can use them end to end.
   */
  allowDocumentationRanges: boolean;
  /**
   * TTL security (GTSM, RFC 5082) on the directly connected eBGP sessions. Only works when Microsoft
   * does it too, so it is one setting for the whole SP, agreed with Microsoft.
   */
  gtsm: boolean;
}

export interface LagMember {
  interface: string;
  speedGbps: number;
}

/**
 * Router-wide settings that some of the rendered config relies on and that the product may set on
 * this router because the inventory says so (README, "Ownership and merge"). Each is one platform's.
 */
export interface RouterWideSettings {
  /** EOS `ip as-path regex-mode asn`. */
  asPathRegexMode?: boolean;
  /** IOS-XR `bfd multipath include location` for the members' line cards. */
  bfdMultipath?: boolean;
  /** Junos `chassis aggregated-devices ethernet device-count`. */
  aeDeviceCount?: number;
}

export interface LegInventory {
  name: string;
  hostname: string;
  vendor: Vendor;
  /** The router's BGP identifier, only where the inventory gives one: never derived. */
  routerId?: string;
  /** Router-wide settings the product may set on this router. */
  routerWide?: RouterWideSettings;
  /** Free-form platform string (e.g. `ASR 9904`, `Debian 12 / FRR 8.4`); informational. */
  platform?: string;
  /** The LACP bundle interface facing Microsoft, e.g. `Bundle-Ether100` or `bond0`. */
  interface: string;
  members: LagMember[];
  lacpRate: "fast" | "slow";
  description?: string;
  sessionPrefixes?: { ipv4?: string; ipv6?: string };
  /** Name of a Pulumi secret config key holding the MD5 key; never the key itself. */
  md5KeySecret?: string;
  /** Where Microsoft agreed to the MD5 key (its peering policy says MD5 isn't supported). */
  md5Agreement?: string;
  maxPrefix?: Partial<Pick<MaxPrefixPolicy, "ipv4" | "ipv6">>;
  /** The leg's own lifecycle state, where it differs from its metro's. */
  status?: LegState;
  /** Graceful shutdown (RFC 8326) before maintenance: announce with 65535:0, learn at local-pref 0. */
  drain: boolean;
  source: SourceRef;
}

export interface MetroInventory {
  file: string;
  /** Short id of the metro: the file name without `.yaml`, e.g. `amsterdam`. */
  id: string;
  /** Azure peering location as the API spells it, e.g. `Amsterdam`. */
  peeringLocation: string;
  peeringDbFacilityId: number;
  region: string;
  latitude: number;
  longitude: number;
  status: LifecycleState;
  legs: LegInventory[];
  source: SourceRef;
}

/**
 * `allocations.lock.yaml`: each leg's session prefixes (`metro/leg` → prefix) and each
 * registration's home (prefix or `AS<n>` → metro), kept once given.
 */
export interface AllocationLock {
  ipv4: Record<string, string>;
  ipv6: Record<string, string>;
  registeredPrefixes: Record<string, string>;
  registeredAsns: Record<string, string>;
}

/**
 * A customer the SP onboards to Peering Service on its behalf (`customers/<id>.yaml`): its
 * PeeringService, the prefixes it activates with the SP's prefix key, its connection monitor tests.
 */
export interface CustomerInventory {
  file: string;
  /** The file name without `.yaml`. */
  id: string;
  name: string;
  peeringService: {
    name: string;
    customerLocation: string;
    primaryMetro: string;
    backupMetro: string;
    location?: string;
  };
  prefixes: Array<{ prefix: string; source: SourceRef }>;
  connectionMonitorTests: Array<{
    name: string;
    sourceAgent: string;
    destination: string;
    destinationPort: number;
    testFrequencyInSec: number;
  }>;
  source: SourceRef;
}

export interface Inventory {
  stack: string;
  sp: ServiceProviderInventory;
  metros: MetroInventory[];
  /** Customers' Peering Services the SP declares on their behalf (none unless `customers/` holds files). */
  customers: CustomerInventory[];
  lock: AllocationLock;
  lockFile: string;
  /** Line of each lock entry (`ipv4.amsterdam/a` → 5, `registeredPrefixes.198.51.100.0/24` → 20), for problems that point into the lock. */
  lockLines: Record<string, number>;
}
