/**
 * Observed routing checked against the declared intent: routes and sessions in, events out, with a
 * summary per metro and leg. Where a source does not cover a leg, nothing is said about that leg
 * (a leg nobody looked at is not missing anything).
 *
 * How a route is judged (first rule that applies):
 * 1. a registered prefix whose origin is not its registered origin (or is an AS_SET): origin hijack;
 *    received from the SP with the right origin but another path than the declared one: path policy
 *    violation;
 * 2. a more-specific of a registered prefix: from the SP with the registered origin, an unregistered
 *    announcement (the SP de-aggregates); otherwise a sub-prefix hijack;
 * 3. any other prefix received from the SP: unregistered announcement;
 * and, apart from these, Microsoft's own validation (receivedRoutes) of `Invalid`: RPKI or origin invalid.
 * A route learned over iBGP is judged where it entered, not again at every router it reached.
 *
 * Pure: no I/O.
 */
import { canonicalAddress, contains, readPrefix } from "../plan/addressing";
import type { AddressFamily } from "../plan/model";
import { legEnds, pathProblems, type Intent, type LegEnd, type LegIntent, type PrefixIntent } from "./intent";
import {
  EVENT_KINDS,
  EVENT_KIND_NAMES,
  severityCounts,
  type EventKind,
  type Observations,
  type RouteEvent,
  type RouteObservation,
  type SessionObservation,
} from "./model";

export interface LegSummary {
  id: string;
  metro: string;
  name: string;
  /** Registered prefixes the plan announces on the leg, and how many of them were seen. */
  expected: number;
  /** Undefined where no source covers the leg. */
  seen?: number;
  /** Session states by family, where a source showed them. */
  sessions: Partial<Record<AddressFamily, string>>;
  events: Partial<Record<EventKind, number>>;
}

export interface MetroSummary {
  id: string;
  legs: LegSummary[];
}

export interface Analysis {
  stack: string;
  spName: string;
  spAsn: number;
  events: RouteEvent[];
  metros: MetroSummary[];
  /** Events at no metro of the stack (a router the plan does not know). */
  elsewhere: RouteEvent[];
  /** The public view, when MRT dumps were read (analytics/publicView.ts): its events are in `events` too. */
  publicView?: { events: RouteEvent[]; routes: number; collectorPeers: number; dumps: string[] };
  counts: { critical: number; warning: number; routes: number; sessions: number };
}

const SEVERITY_ORDER = { critical: 0, warning: 1 } as const;

/** The analysis of everything observed against the intent. */
export function analyze(intent: Intent, obs: Observations): Analysis {
  const ends = legEnds(intent);
  const endOf = (address: string | undefined) =>
    address === undefined ? undefined : ends.get(canonicalAddress(address));
  const legById = new Map(intent.metros.flatMap((m) => m.legs.map((l) => [l.id, l] as const)));
  const metroById = new Map(intent.metros.map((m) => [m.id, m] as const));
  // The first registration of each prefix, as `find` would give it.
  const registration = new Map<string, PrefixIntent>();
  for (const p of intent.prefixes) if (!registration.has(p.prefix)) registration.set(p.prefix, p);
  const prefixesOf = {
    ipv4: intent.prefixes.filter((p) => p.afi === "ipv4"),
    ipv6: intent.prefixes.filter((p) => p.afi === "ipv6"),
  };

  // A router that has a session with the SP's end of a leg is that leg's Microsoft edge. The
  // neighbors each router shows (sessions, then routes) tell which legs its table covers.
  const routerLeg = new Map<string, LegIntent>();
  const peersOf = new Map<string, string[]>();
  const addPeer = (router: string, peer: string) => {
    const peers = peersOf.get(router);
    if (peers) peers.push(peer);
    else peersOf.set(router, [peer]);
  };
  for (const s of obs.sessions) {
    if (s.router === undefined) continue;
    addPeer(s.router, s.peer);
    const end = endOf(s.peer);
    if (end?.side === "sp") routerLeg.set(s.router, end.leg);
  }
  for (const r of obs.routes) {
    if (r.router === undefined || r.peer === undefined) continue;
    addPeer(r.router, r.peer);
    const end = endOf(r.peer);
    if (end?.side === "sp" && !routerLeg.has(r.router)) routerLeg.set(r.router, end.leg);
  }

  const events: RouteEvent[] = [];
  const emit = (e: Omit<RouteEvent, "severity"> & { severity?: RouteEvent["severity"] }) =>
    events.push({ ...e, severity: e.severity ?? EVENT_KINDS[e.kind].severity });

  /** The leg a route entered Microsoft on, when it came from the SP. */
  const announcedOn = (r: RouteObservation): { leg?: LegIntent; metro: string } | undefined => {
    if (r.metro !== undefined) {
      const end = endOf(r.nextHop);
      const leg = end?.side === "sp" && end.leg.metro === r.metro ? end.leg : undefined;
      return { metro: r.metro, ...(leg ? { leg } : {}) };
    }
    const end = endOf(r.peer);
    return end?.side === "sp" ? { leg: end.leg, metro: end.leg.metro } : undefined;
  };

  // Registered prefixes seen from the SP, per leg and family: for missing and non-optimal.
  const seenOn = new Map<string, Set<string>>();
  const seenAtMetro = new Map<string, Set<string>>();
  const dedupe = new Set<string>();

  for (const r of obs.routes) {
    const parsed = readPrefix(r.prefix);
    if (!parsed) continue;
    const prefix = parsed.text;
    const fromSp = announcedOn(r);
    const whereLeg = fromSp?.leg ?? (r.router !== undefined ? routerLeg.get(r.router) : undefined);
    const where = {
      ...(fromSp?.metro !== undefined
        ? { metro: fromSp.metro }
        : whereLeg
          ? { metro: whereLeg.metro }
          : r.metro !== undefined
            ? { metro: r.metro }
            : {}),
      ...(whereLeg ? { leg: whereLeg.name } : {}),
      ...(r.router !== undefined ? { router: r.router } : {}),
      ...(r.peer !== undefined ? { peer: r.peer } : {}),
    };
    const base = { prefix, afi: parsed.afi, observedPath: r.asPath.text || "(empty)", source: r.source, ...where };
    const once = (kind: EventKind) => {
      const key = `${kind}|${prefix}|${r.asPath.text}|${where.metro ?? ""}|${where.leg ?? ""}|${r.router ?? ""}|${r.peer ?? ""}`;
      if (dedupe.has(key)) return false;
      dedupe.add(key);
      return true;
    };

    if (fromSp) {
      const key = fromSp.leg ? `${fromSp.leg.id}|${parsed.afi}` : `${fromSp.metro}|${parsed.afi}`;
      if (!seenOn.has(key)) seenOn.set(key, new Set());
      seenOn.get(key)?.add(prefix);
      if (!seenAtMetro.has(fromSp.metro)) seenAtMetro.set(fromSp.metro, new Set());
      seenAtMetro.get(fromSp.metro)?.add(prefix);
    }

    for (const [state, label] of [
      [r.rpkiValidationState, "RPKI"],
      [r.originAsValidationState, "origin AS"],
    ] as const) {
      if (state !== undefined && state.toLowerCase() === "invalid" && once("rpki-invalid")) {
        const registered = registration.get(prefix);
        emit({
          kind: "rpki-invalid",
          ...base,
          observed: `Microsoft validated ${prefix} (path ${base.observedPath}) as ${label} Invalid`,
          intent: registered
            ? `${prefix} is registered with origin AS${registered.originAsn} (${registered.where}): its ROA and the registration must agree with the origin announced`
            : `every prefix announced to Microsoft validates (RPKI and origin AS)`,
        });
      }
    }

    // An iBGP copy is judged where it entered.
    if (!r.external && !fromSp) continue;

    const exact = registration.get(prefix);
    if (exact) {
      const origin = r.asPath.origin;
      if (origin !== exact.originAsn || r.asPath.hasSet) {
        if (once("origin-hijack"))
          emit({
            kind: "origin-hijack",
            ...base,
            observed: `${prefix} with origin ${origin !== undefined && !r.asPath.hasSet ? `AS${origin}` : "an AS_SET"} (path ${base.observedPath})${fromSp ? " from the SP" : r.peer ? ` from neighbor ${r.peer}` : ""}`,
            intent: `${prefix} is registered with origin AS${exact.originAsn} (${exact.where})`,
          });
      } else if (fromSp && !samePath(r.asPath.sequence, exact.path)) {
        const problems = pathProblems(r.asPath.sequence, intent);
        if (once("path-policy-violation"))
          emit({
            kind: "path-policy-violation",
            ...base,
            observed: `${prefix} reaches Microsoft with path ${base.observedPath}${problems.length > 0 ? ` (${problems.join("; ")})` : ""}`,
            intent: `exactly ${exact.path.join(" ")} (${exact.where}): no prepends, at most 3 ASNs, no private ASN`,
          });
      }
      continue;
    }
    const covering = intent.prefixes.find((p) => contains(p.parsed, parsed));
    if (covering) {
      const own = fromSp !== undefined && r.asPath.origin === covering.originAsn && !r.asPath.hasSet;
      const kind: EventKind = own ? "unregistered-announcement" : "sub-prefix-hijack";
      if (once(kind))
        emit({
          kind,
          ...base,
          observed: own
            ? `the SP announces ${prefix}, a more-specific of ${covering.prefix}, to Microsoft (path ${base.observedPath})`
            : `${prefix}, a more-specific of registered ${covering.prefix}, with path ${base.observedPath}${r.peer ? ` from neighbor ${r.peer}` : ""}`,
          intent: own
            ? `only the registered prefixes are announced, exactly (${covering.prefix} at ${covering.where})`
            : `${covering.prefix} is registered with origin AS${covering.originAsn} (${covering.where}); no more-specific is announced`,
        });
      continue;
    }
    if (fromSp && once("unregistered-announcement"))
      emit({
        kind: "unregistered-announcement",
        ...base,
        observed: `the SP announces ${prefix} to Microsoft (path ${base.observedPath})`,
        intent: `only the registered prefixes of ${intent.spFile} are announced to Microsoft`,
      });
  }

  // Which legs and families a source covers: it gave the table of a router that holds the leg's session.
  const covered = new Set<string>();
  for (const t of obs.tables) {
    if (t.metro !== undefined) {
      for (const leg of metroById.get(t.metro)?.legs ?? [])
        for (const afi of ["ipv4", "ipv6"] as const)
          if (t.afi === "both" || t.afi === afi) covered.add(`${leg.id}|${afi}`);
      continue;
    }
    if (t.router === undefined) continue;
    for (const peer of peersOf.get(t.router) ?? []) {
      const end = endOf(peer);
      if (end?.side === "sp" && (t.afi === "both" || t.afi === end.afi)) covered.add(`${end.leg.id}|${end.afi}`);
    }
  }

  // Missing announcements: per metro when every leg of it misses the prefix, else per leg.
  for (const metro of intent.metros) {
    for (const p of intent.prefixes) {
      const legs = metro.legs.filter((l) => covered.has(`${l.id}|${p.afi}`));
      if (legs.length === 0) continue;
      const metroWide = seenOn.get(`${metro.id}|${p.afi}`)?.has(p.prefix) ?? false;
      const missing = metroWide ? [] : legs.filter((l) => !(seenOn.get(`${l.id}|${p.afi}`)?.has(p.prefix) ?? false));
      if (missing.length === 0) continue;
      const whole = missing.length === metro.legs.length;
      const common = {
        kind: "missing-announcement" as const,
        prefix: p.prefix,
        afi: p.afi,
        source: sourcesOf(obs, metro.id, missing),
        intent: `${p.prefix} is announced on every leg of every metro with exactly ${p.path.join(" ")} (${p.where}; ${metro.file})`,
      };
      if (whole)
        emit({
          ...common,
          severity: "critical",
          metro: metro.id,
          observed: `${p.prefix} is not received at ${metro.id} on any leg (${missing.map((l) => l.name).join(", ")})`,
        });
      else
        for (const l of missing)
          emit({
            ...common,
            metro: metro.id,
            leg: l.name,
            observed: `${p.prefix} is not received on leg ${l.id} (${l.hostname})`,
          });
    }
  }

  // Non-optimal entry: seen at some metros, but not at the one nearest its region.
  for (const p of intent.prefixes) {
    if (!p.nearest) continue;
    const at = [...seenAtMetro].filter(([, set]) => set.has(p.prefix)).map(([m]) => m);
    const nearestCovered = metroById.get(p.nearest.metro)?.legs.some((l) => covered.has(`${l.id}|${p.afi}`));
    if (at.length === 0 || at.includes(p.nearest.metro) || !nearestCovered) continue;
    emit({
      kind: "non-optimal-entry",
      prefix: p.prefix,
      afi: p.afi,
      metro: p.nearest.metro,
      source: sourcesOf(obs, p.nearest.metro, []),
      observed: `${p.prefix} reaches Microsoft only at ${at.sort().join(", ")}, not at ${p.nearest.metro}`,
      intent: `users of region ${p.region ?? "?"} enter Microsoft at the nearest metro, ${p.nearest.metro} (${Math.round(p.nearest.km)} km from the region's centre; ${p.where})`,
    });
  }

  // Sessions: down, or carrying another number of prefixes than the plan announces.
  const sessionsSeen = new Map<string, { session: SessionObservation; end: LegEnd }>();
  for (const s of obs.sessions) {
    const end = sessionEnd(s, endOf, legById);
    if (!end) continue;
    const { leg, afi } = end;
    // One view of a session once, however many of its files show it (summary and neighbors).
    const key = `${leg.id}|${afi}|${s.router ?? s.source}`;
    if (sessionsSeen.has(key)) continue;
    sessionsSeen.set(key, { session: s, end });
    const where = {
      metro: leg.metro,
      leg: leg.name,
      afi,
      source: s.source,
      ...(s.router !== undefined ? { router: s.router } : {}),
      peer: s.peer,
    };
    if (s.state.toLowerCase() !== "established") {
      emit({
        kind: "session-down",
        ...where,
        observed: `the ${afi === "ipv4" ? "IPv4" : "IPv6"} session of leg ${leg.id} is ${s.state}`,
        intent: `leg ${leg.id} (${leg.hostname}) runs its ${afi} session to AS8075 (${leg.where})`,
      });
      continue;
    }
    const expected = prefixesOf[afi].length;
    const count = end.side === "sp" ? s.prefixesReceived : s.prefixesSent;
    if (count === undefined || count === expected) continue;
    const limit = intent.advertisedMaxPrefix[afi];
    emit({
      kind: "prefix-count-off",
      ...where,
      ...(count > limit ? { severity: "critical" as const } : {}),
      observed: `${count} ${afi} prefixes on the session of leg ${leg.id}${count > limit ? `, over Microsoft's max-prefix of ${limit}: the session will be torn down` : ""}`,
      intent: `${expected} registered ${afi} prefixes announced on every leg (${intent.spFile}; advertisedMaxPrefix ${limit})`,
    });
  }

  events.sort(compareEvents);
  // Events and session states per leg, grouped once (events in the order above).
  const eventsAt = eventsByLeg(events);
  const sessionsOn = new Map<string, Partial<Record<AddressFamily, string>>>();
  for (const { session, end } of sessionsSeen.values()) {
    const states = sessionsOn.get(end.leg.id) ?? {};
    states[end.afi] = session.state;
    sessionsOn.set(end.leg.id, states);
  }
  const metros: MetroSummary[] = intent.metros.map((m) => ({
    id: m.id,
    legs: m.legs.map((l) => {
      const seenSet = (["ipv4", "ipv6"] as const).flatMap((afi) => {
        const set = new Set([...(seenOn.get(`${l.id}|${afi}`) ?? []), ...(seenOn.get(`${m.id}|${afi}`) ?? [])]);
        return prefixesOf[afi].filter((p) => set.has(p.prefix)).map((p) => p.prefix);
      });
      const anyCovered = (["ipv4", "ipv6"] as const).some((afi) => covered.has(`${l.id}|${afi}`));
      const sessions = { ...sessionsOn.get(l.id) };
      return {
        id: l.id,
        metro: m.id,
        name: l.name,
        expected: intent.prefixes.length,
        ...(anyCovered ? { seen: seenSet.length } : {}),
        sessions,
        events: countKinds(eventsAt.get(legKey(m.id, l.name)) ?? []),
      };
    }),
  }));
  const known = new Set(intent.metros.map((m) => m.id));
  return {
    stack: intent.stack,
    spName: intent.spName,
    spAsn: intent.spAsn,
    events,
    metros,
    elsewhere: events.filter((e) => e.metro === undefined || !known.has(e.metro)),
    counts: {
      ...severityCounts(events),
      routes: obs.routes.length,
      sessions: obs.sessions.length,
    },
  };
}

function samePath(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

function sessionEnd(
  s: SessionObservation,
  endOf: (address: string | undefined) => LegEnd | undefined,
  legById: Map<string, LegIntent>,
): LegEnd | undefined {
  if (s.metro !== undefined && s.leg !== undefined && s.afi !== undefined) {
    const leg = legById.get(`${s.metro}/${s.leg}`);
    return leg ? { leg, afi: s.afi, side: "sp" } : undefined;
  }
  return endOf(s.peer);
}

function sourcesOf(obs: Observations, metro: string, legs: readonly LegIntent[]): string {
  const files = new Set<string>();
  for (const t of obs.tables) if (t.metro === metro) files.add(t.source);
  for (const s of obs.sessions) {
    const sp = legs.some((l) => l.sp.ipv4 === s.peer || l.sp.ipv6 === s.peer);
    if (sp) files.add(s.source);
  }
  return [...files].sort().join(", ") || "the sources given";
}

/** Events by metro and leg name (`eventsAt.get(legKey(metro, leg))`), in their order. */
export function eventsByLeg(events: readonly RouteEvent[]): Map<string, RouteEvent[]> {
  const at = new Map<string, RouteEvent[]>();
  for (const e of events) {
    if (e.metro === undefined || e.leg === undefined) continue;
    const key = legKey(e.metro, e.leg);
    const list = at.get(key);
    if (list) list.push(e);
    else at.set(key, [e]);
  }
  return at;
}

export const legKey = (metro: string, leg: string): string => `${metro}\u0000${leg}`;

export function countKinds(events: readonly RouteEvent[]): Partial<Record<EventKind, number>> {
  const counts: Partial<Record<EventKind, number>> = {};
  for (const e of events) counts[e.kind] = (counts[e.kind] ?? 0) + 1;
  return counts;
}

export function compareEvents(a: RouteEvent, b: RouteEvent): number {
  return (
    (a.metro ?? "~").localeCompare(b.metro ?? "~") ||
    (a.leg ?? "").localeCompare(b.leg ?? "") ||
    SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity] ||
    EVENT_KIND_NAMES.indexOf(a.kind) - EVENT_KIND_NAMES.indexOf(b.kind) ||
    (a.prefix ?? "").localeCompare(b.prefix ?? "") ||
    (a.router ?? "").localeCompare(b.router ?? "") ||
    (a.peer ?? "").localeCompare(b.peer ?? "") ||
    (a.afi ?? "").localeCompare(b.afi ?? "")
  );
}

/** The process's exit code: 0 clean, 1 warnings only, 2 a critical event. */
export function exitCodeOf(a: Pick<Analysis, "counts">): 0 | 1 | 2 {
  return a.counts.critical > 0 ? 2 : a.counts.warning > 0 ? 1 : 0;
}
