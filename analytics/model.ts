/**
 * Route analytics, in the words of a peering engineer: what was observed (routes, sessions), what
 * was intended (analytics/intent.ts), and the events where the two disagree (analytics/analyze.ts).
 * The same events feed every output (table, JSON lines, Prometheus) and later sources (MRT dumps,
 * Azure Monitor telemetry).
 *
 * Pure: types and tables only.
 */
import type { AddressFamily } from "../plan/model";

/** Every kind of event, with its severity and what it means: one owner for this knowledge. */
export const EVENT_KINDS = {
  "origin-hijack": {
    severity: "critical",
    title: "origin hijack",
    meaning: "a registered prefix with an origin other than its registered one",
  },
  "sub-prefix-hijack": {
    severity: "critical",
    title: "sub-prefix hijack",
    meaning: "a more-specific of a registered prefix, not announced by the SP with its registered origin",
  },
  "rpki-invalid": {
    severity: "critical",
    title: "RPKI or origin invalid",
    meaning: "Microsoft validated a received route as Invalid (RPKI or origin AS)",
  },
  "unregistered-announcement": {
    severity: "critical",
    title: "unregistered announcement",
    meaning: "the SP announces to Microsoft a prefix it did not register",
  },
  "missing-announcement": {
    severity: "warning",
    title: "missing announcement",
    meaning:
      "a registered prefix not received at a leg (warning) or a whole metro (critical) where the plan announces it",
  },
  "path-policy-violation": {
    severity: "warning",
    title: "path policy violation",
    meaning: "a registered prefix reaches Microsoft with a path other than the declared one",
  },
  "non-optimal-entry": {
    severity: "warning",
    title: "non-optimal entry",
    meaning: "a prefix reaches Microsoft only at metros other than the one nearest its region",
  },
  "session-down": {
    severity: "critical",
    title: "session down",
    meaning: "a BGP session of a leg is not Established",
  },
  "prefix-count-off": {
    severity: "warning",
    title: "prefix count off",
    meaning:
      "a leg's session carries another number of prefixes than the plan announces (critical above Microsoft's max-prefix)",
  },
  // Azure Monitor telemetry (telemetry/analyze.ts): `--telemetry`.
  "availability-low": {
    severity: "warning",
    title: "session availability low",
    meaning:
      "a session was up less of the window than its availability target; critical when it is down at the window's end, whatever the average",
  },
  flapping: {
    severity: "warning",
    title: "session flapping",
    meaning: "a session flapped more often in the window than the threshold allows",
  },
  "packet-drops": {
    severity: "warning",
    title: "packet drops",
    meaning: "a leg dropped more of its traffic than the threshold allows",
  },
  "latency-high": {
    severity: "warning",
    title: "prefix latency high",
    meaning:
      "a registered prefix's median latency exceeds the nearest-edge estimate (distance at fibre speed) by more than the margin",
  },
  "leg-overloaded": {
    severity: "warning",
    title: "leg carrying more than its share",
    meaning: "a leg carries more than its share of its metro's traffic: unequal load hides a broken leg",
  },
  "route-leak": {
    severity: "critical",
    title: "route leak",
    meaning:
      "in the public view (MRT): the SP re-announces Microsoft's (AS8075) routes to a third network, or a registered prefix arrives through an upstream its declared path does not have",
  },
} as const satisfies Record<string, { severity: Severity; title: string; meaning: string }>;

export type EventKind = keyof typeof EVENT_KINDS;
export const EVENT_KIND_NAMES = Object.keys(EVENT_KINDS) as EventKind[];
export type Severity = "critical" | "warning";

/** One finding: what was seen, where, and which intent it breaks. */
/** How many of the events are critical and how many warnings. */
export function severityCounts(events: readonly RouteEvent[]): { critical: number; warning: number } {
  let critical = 0;
  for (const e of events) if (e.severity === "critical") critical++;
  return { critical, warning: events.length - critical };
}

export interface RouteEvent {
  kind: EventKind;
  severity: Severity;
  /** The prefix concerned (none for a session's events). */
  prefix?: string;
  afi?: AddressFamily;
  /** Where it was seen: the metro and leg when known. */
  metro?: string;
  leg?: string;
  /**
   * The public view (MRT dumps): the route collector's peer that had it, `192.0.2.10 AS64510`; `*`
   * for a finding about the whole public table (a prefix no collector peer has).
   */
  collectorPeer?: string;
  /** The router whose view showed it (FRR sources), and the BGP neighbor it came from. */
  router?: string;
  peer?: string;
  /** The observed AS path, as received (`64500 64501`). */
  observedPath?: string;
  /** What was observed, in one sentence. */
  observed: string;
  /** The declared intent it breaks, naming the inventory file. */
  intent: string;
  /** Where the observation came from: a file or `azure`. */
  source: string;
}

/** An AS path as BGP carries it: plain ASNs, with AS_SETs and confederation segments kept apart. */
export interface AsPath {
  /** As written by the source, normalised to single spaces. */
  text: string;
  /** Every ASN of the AS_SEQUENCE segments, in order (sets and confederation segments left out). */
  sequence: number[];
  /** The origin: the last ASN when the path ends in an AS_SEQUENCE; undefined for an AS_SET or empty path. */
  origin?: number;
  /** The path holds an AS_SET (`{64501,64502}`): its origin is ambiguous. */
  hasSet: boolean;
}

/**
 * A route some source saw. `metro` is given by a receivedRoutes source (the peering it was read
 * from); `peer` and `nextHop` locate the leg otherwise.
 */
export interface RouteObservation {
  prefix: string;
  asPath: AsPath;
  source: string;
  /** The router whose table held it (FRR). */
  router?: string;
  /** The BGP neighbor it was learned from. */
  peer?: string;
  nextHop?: string;
  /** The metro whose peering Microsoft received it on (receivedRoutes). */
  metro?: string;
  /** Learned over eBGP at this router (false: an iBGP copy of a route that entered elsewhere). */
  external: boolean;
  /** receivedRoutes: Microsoft's validation of the route's origin and of RPKI. */
  originAsValidationState?: string;
  rpkiValidationState?: string;
}

/** A BGP session some source saw, by its neighbor's address. */
export interface SessionObservation {
  source: string;
  router?: string;
  /** The neighbor's address, canonical. */
  peer: string;
  /** When the source names the leg itself (Azure's connections), its metro and leg. */
  metro?: string;
  leg?: string;
  afi?: AddressFamily;
  state: string;
  /** Prefixes received from the neighbor (after its import policy). */
  prefixesReceived?: number;
  /** Prefixes sent to the neighbor. */
  prefixesSent?: number;
}

/** A routing table a source supplied in full for one address family: what it lacks, the router lacks. */
export interface TableObservation {
  source: string;
  router?: string;
  /** A receivedRoutes list covers its metro's every leg. */
  metro?: string;
  afi: AddressFamily | "both";
}

export interface Observations {
  routes: RouteObservation[];
  sessions: SessionObservation[];
  tables: TableObservation[];
}

export function emptyObservations(): Observations {
  return { routes: [], sessions: [], tables: [] };
}

export function mergeObservations(list: readonly Observations[]): Observations {
  return {
    routes: list.flatMap((o) => o.routes),
    sessions: list.flatMap((o) => o.sessions),
    tables: list.flatMap((o) => o.tables),
  };
}

/**
 * Parses an AS path as FRR and the receivedRoutes API write it: ASNs separated by spaces, AS_SETs in
 * braces (`{64501,64502}`), confederation segments in parentheses. Undefined when it is none.
 */
export function parseAsPath(raw: string): AsPath | undefined {
  const text = raw.trim().replace(/\s+/g, " ");
  const sequence: number[] = [];
  let hasSet = false;
  let lastIsSet = false;
  const tokens = text.match(/\{[^}]*\}|\([^)]*\)|\[[^\]]*\]|[^\s]+/g) ?? [];
  for (const token of tokens) {
    if (/^[{[]/.test(token)) {
      if (!/^[{[][\d\s,]*[}\]]$/.test(token)) return undefined;
      hasSet = true;
      lastIsSet = true;
    } else if (token.startsWith("(")) {
      if (!/^\([\d\s]*\)$/.test(token)) return undefined;
      lastIsSet = false;
    } else {
      if (!/^\d+$/.test(token)) return undefined;
      const asn = Number(token);
      if (asn > 4294967295) return undefined;
      sequence.push(asn);
      lastIsSet = false;
    }
  }
  const origin = !lastIsSet && sequence.length > 0 ? sequence[sequence.length - 1] : undefined;
  return { text, sequence, ...(origin !== undefined ? { origin } : {}), hasSet };
}
