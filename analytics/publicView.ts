/**
 * The public view: routes that route collectors (RIPE RIS, RouteViews) saw, from MRT dumps, checked
 * against the declared intent. What Microsoft receives over our sessions cannot show a hijack
 * elsewhere on the Internet, nor our own network re-announcing Microsoft's routes to third parties;
 * the collectors' peers can.
 *
 * Per collector peer (one event per peer, prefix and origin, however many dumps repeat it):
 * - **origin hijack**: a registered prefix whose origin is not its registered one (or an AS_SET
 *   holding another ASN);
 * - **sub-prefix hijack**: a more-specific of a registered prefix with another origin;
 * - **route leak**, either
 *   - a path in which our ASN stands between AS8075 and a third network (`... X 64500 8075 ...`):
 *     we re-announced a route learned from Microsoft to X. Not a leak when X is one of our declared
 *     downstreams (a customer's customer path of the inventory: they get our full table), nor when
 *     we are the collector's peer ourselves (our feed to the collector);
 *   - a registered prefix (or a more-specific with its origin) whose path does not end with the
 *     declared one (`64500 64501` for AS64501's prefix): some network other than the declared one
 *     hands it on; and, where `upstreams` are given, our ASN handing it to a network not among them.
 * and, over the whole table (RIB dumps only: an update dump does not hold the table),
 * - **missing announcement**: a registered prefix no collector peer has at the end of the dumps
 *   (RIB dumps, then updates, in the order given), for a family the dumps carry at all.
 *
 * Streaming and pure: routes in one at a time, a few sets keyed by our prefixes and by peer out.
 * Memory grows with the events found, never with the size of the table.
 */
import { covers, parsePrefix } from "../mrt/address";
import type { MrtRoute, Prefix } from "../mrt/model";
import { formatAsPath, originsOf, sequenceRuns } from "../mrt/path";
import { MICROSOFT_ASN } from "../plan/model";
import { compareEvents, type Analysis } from "./analyze";
import type { Intent, PrefixIntent } from "./intent";
import { EVENT_KINDS, severityCounts, type EventKind, type RouteEvent } from "./model";

export interface PublicViewOptions {
  /**
   * The networks our ASN may hand our prefixes to (transits, IXP route servers). Unset: any; the
   * upstream check then covers only the declared path behind our ASN.
   */
  upstreams?: readonly number[];
}

interface Registered {
  intent: PrefixIntent;
  prefix: Prefix;
  /** Collector peers (`address AS`) that hold the exact prefix now. */
  holders: Set<string>;
}

/** A finding before it is an event: counted, with the first route that showed it. */
interface Finding {
  event: RouteEvent;
  routes: number;
  first: number;
  last: number;
}

const peerKey = (r: MrtRoute) => `${r.peer.address} AS${r.peer.asn}`;
const iso = (t: number) => new Date(t * 1000).toISOString().replace(".000Z", "Z");

export class PublicView {
  private readonly registered: Registered[];
  /** First octet of every registered prefix of /8 or longer: a quick "not ours" for most routes. */
  private readonly firstOctets = new Set<number>();
  private anyShort = false;
  private readonly downstreams: Set<number>;
  private readonly upstreams: Set<number> | undefined;
  private readonly findings = new Map<string, Finding>();
  /** Families a RIB dump carried: only for them can a prefix be missing. */
  private readonly tableFamilies = new Set<4 | 6>();
  private lastPrefix: Prefix | undefined;
  private lastMatches: Registered[] = [];
  routes = 0;
  private readonly peers = new Set<string>();

  constructor(
    private readonly intent: Intent,
    options: PublicViewOptions = {},
  ) {
    this.registered = intent.prefixes.map((p) => {
      const prefix = parsePrefix(p.prefix);
      if (!prefix) throw new Error(`public view: ${p.prefix} is no prefix (the loader should have refused it)`);
      if (prefix.length < 8) this.anyShort = true;
      this.firstOctets.add(prefix.family * 256 + prefix.network[0]);
      return { intent: p, prefix, holders: new Set<string>() };
    });
    this.downstreams = new Set(intent.prefixes.flatMap((p) => p.path.slice(1)));
    this.upstreams = options.upstreams ? new Set(options.upstreams) : undefined;
  }

  /** Registered prefixes equal to or covering `prefix`. */
  private matches(prefix: Prefix): Registered[] {
    if (prefix === this.lastPrefix) return this.lastMatches;
    this.lastPrefix = prefix;
    this.lastMatches =
      !this.anyShort && !this.firstOctets.has(prefix.family * 256 + prefix.network[0])
        ? []
        : this.registered.filter((r) => covers(r.prefix, prefix));
    return this.lastMatches;
  }

  /** One route of a dump; `source` is the file it came from. */
  observe(route: MrtRoute, source: string): void {
    this.routes++;
    this.peers.add(peerKey(route));
    if (route.kind === "rib") this.tableFamilies.add(route.prefix.family);
    const ours = this.matches(route.prefix);
    for (const r of ours) {
      if (route.prefix.length === r.prefix.length) {
        if (route.kind === "withdraw") r.holders.delete(peerKey(route));
        else r.holders.add(peerKey(route));
      }
    }
    const attrs = route.attributes;
    if (!attrs) return;
    // Most routes are neither ours nor through our ASN: nothing to build for them.
    if (ours.length === 0 && !attrs.asPath.some((s) => s.asns.includes(this.intent.spAsn))) return;
    const runs = sequenceRuns(attrs.asPath);
    for (const r of ours) this.judgeOurs(route, r, runs, source);
    this.judgeLeak(route, runs, source);
  }

  private record(
    key: string,
    route: MrtRoute,
    make: () => Omit<RouteEvent, "severity" | "source">,
    source: string,
    kind: EventKind,
  ): void {
    const found = this.findings.get(key);
    if (found) {
      found.routes++;
      found.first = Math.min(found.first, route.timestamp);
      found.last = Math.max(found.last, route.timestamp);
      return;
    }
    this.findings.set(key, {
      event: { ...make(), kind, severity: EVENT_KINDS[kind].severity, source },
      routes: 1,
      first: route.timestamp,
      last: route.timestamp,
    });
  }

  private judgeOurs(route: MrtRoute, r: Registered, runs: number[][], source: string): void {
    const attrs = route.attributes;
    if (!attrs) return;
    const p = r.intent;
    const path = formatAsPath(attrs.asPath);
    const origins = originsOf(attrs.asPath);
    const exact = route.prefix.length === r.prefix.length;
    const peer = peerKey(route);
    const base = { prefix: route.prefix.text, afi: p.afi, collectorPeer: peer, observedPath: path };
    const foreign = origins.length !== 1 || origins[0] !== p.originAsn;
    if (foreign) {
      const originText =
        origins.length === 1
          ? `AS${origins[0]}`
          : origins.length > 1
            ? `an AS_SET {${origins.join(",")}}`
            : "no origin";
      const kind: EventKind = exact ? "origin-hijack" : "sub-prefix-hijack";
      this.record(
        `${kind}|${peer}|${route.prefix.text}|${originText}`,
        route,
        () => ({
          ...base,
          kind,
          observed: `collector peer ${peer} has ${route.prefix.text} with origin ${originText} (path ${path})`,
          intent: exact
            ? `${p.prefix} is registered with origin AS${p.originAsn} (${p.where})`
            : `${p.prefix} is registered with origin AS${p.originAsn} (${p.where}); a more-specific with another origin is not ours`,
        }),
        source,
        kind,
      );
      return;
    }
    // The path must end with the declared one: `64500 64501` for AS64501's prefix.
    const last = runs[runs.length - 1] ?? [];
    const declared = p.path;
    for (let k = 1; k <= declared.length; k++) {
      const seen = last[last.length - k];
      if (seen === undefined) return; // the collector peers with a network inside the declared path
      const want = declared[declared.length - k];
      if (seen !== want) {
        const handedBy = declared[declared.length - k + 1];
        this.leakFinding(
          route,
          base,
          source,
          `AS${seen} hands on AS${handedBy}'s ${route.prefix.text}, which the inventory declares it gets only through AS${want}`,
          `${p.prefix} is announced with exactly ${declared.join(" ")} (${p.where})`,
          `upstream|${peer}|${p.prefix}|${seen}`,
        );
        return;
      }
    }
    const upstream = last[last.length - declared.length - 1];
    if (upstream !== undefined && this.upstreams && !this.upstreams.has(upstream)) {
      this.leakFinding(
        route,
        base,
        source,
        `AS${upstream} receives ${route.prefix.text} from AS${declared[0]}, and is not one of its declared upstreams`,
        `AS${declared[0]} hands its prefixes only to AS${[...this.upstreams].join(", AS")} (--upstream)`,
        `upstream|${peer}|${p.prefix}|${upstream}`,
      );
    }
  }

  private leakFinding(
    route: MrtRoute,
    base: Omit<RouteEvent, "kind" | "severity" | "observed" | "intent" | "source">,
    source: string,
    observed: string,
    intent: string,
    key: string,
  ): void {
    this.record(
      key,
      route,
      () => ({
        ...base,
        kind: "route-leak",
        observed: `collector peer ${base.collectorPeer ?? ""}: ${observed} (path ${base.observedPath ?? ""})`,
        intent,
      }),
      source,
      "route-leak",
    );
  }

  private judgeLeak(route: MrtRoute, runs: number[][], source: string): void {
    const ours = this.intent.spAsn;
    for (const run of runs) {
      for (let i = 1; i + 1 < run.length; i++) {
        if (run[i] !== ours || run[i + 1] !== MICROSOFT_ASN) continue;
        const third = run[i - 1];
        if (this.downstreams.has(third)) continue;
        const peer = peerKey(route);
        const path = formatAsPath(route.attributes?.asPath ?? []);
        this.record(
          `leak8075|${peer}|${third}`,
          route,
          () => ({
            kind: "route-leak",
            prefix: route.prefix.text,
            afi: route.prefix.family === 4 ? "ipv4" : "ipv6",
            collectorPeer: peer,
            observedPath: path,
            observed: `collector peer ${peer}: AS${ours} re-announces AS${MICROSOFT_ASN}'s routes to AS${third} (e.g. ${route.prefix.text}, path ${path})`,
            intent: `AS${ours} keeps what it learns from Microsoft (AS${MICROSOFT_ASN}) to itself and its customers (${this.intent.spFile}): Microsoft's routes are never handed to peers or upstreams`,
          }),
          source,
          "route-leak",
        );
      }
    }
  }

  get collectorPeers(): number {
    return this.peers.size;
  }

  /** The events, once every dump is read; `sources` names the dumps for the missing check. */
  events(sources: readonly string[]): RouteEvent[] {
    const out: RouteEvent[] = [];
    for (const f of this.findings.values()) {
      const seen = f.first === f.last ? `at ${iso(f.first)}` : `from ${iso(f.first)} to ${iso(f.last)}`;
      const times = f.routes === 1 ? "" : `; ${f.routes} routes`;
      out.push({ ...f.event, observed: `${f.event.observed}, ${seen}${times}` });
    }
    for (const r of this.registered) {
      if (!this.tableFamilies.has(r.prefix.family) || r.holders.size > 0) continue;
      out.push({
        kind: "missing-announcement",
        severity: "critical",
        prefix: r.intent.prefix,
        afi: r.intent.afi,
        collectorPeer: "*",
        observed: `${r.intent.prefix} is in the table of no collector peer`,
        intent: `${r.intent.prefix} (origin AS${r.intent.originAsn}) is announced and reachable from the Internet (${r.intent.where})`,
        source: sources.join(", "),
      });
    }
    return out;
  }
}

/** The analysis with the public view's events added: one report, one exit code, every output. */
export function withPublicView(analysis: Analysis, view: PublicView, dumps: readonly string[]): Analysis {
  const events = view.events(dumps);
  const added = severityCounts(events);
  return {
    ...analysis,
    events: [...analysis.events, ...events].sort(compareEvents),
    publicView: { events, routes: view.routes, collectorPeers: view.collectorPeers, dumps: [...dumps] },
    counts: {
      ...analysis.counts,
      critical: analysis.counts.critical + added.critical,
      warning: analysis.counts.warning + added.warning,
      routes: analysis.counts.routes + view.routes,
    },
  };
}
