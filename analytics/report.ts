/**
 * The analysis as an engineer reads it (a table grouped by metro, fit to paste into a change
 * ticket), as a program reads it (`--json`: JSON lines, one record per event, per leg, and a
 * summary last), and as Prometheus scrapes it (`--prom`: text exposition format, written with
 * prom-client, for Grafana and Alertmanager).
 *
 * Pure: strings in memory (prom-client's registry is an in-memory object, never the default one).
 */
import { Gauge, Registry } from "prom-client";
import { table } from "../cli/report";
import { plural } from "../cli/text";
import { compareEvents, countKinds, exitCodeOf, type Analysis, type LegSummary } from "./analyze";
import { EVENT_KIND_NAMES, EVENT_KINDS, severityCounts, type EventKind, type RouteEvent } from "./model";

const kindsText = (events: Partial<Record<EventKind, number>>) =>
  EVENT_KIND_NAMES.filter((k) => (events[k] ?? 0) > 0)
    .map((k) => `${EVENT_KINDS[k].title} ${events[k]}`)
    .join(", ") || "-";

function where(e: RouteEvent): string {
  if (e.collectorPeer === "*") return "every collector peer";
  if (e.collectorPeer !== undefined) return `collector peer ${e.collectorPeer}`;
  const at = [e.metro, e.leg].filter((x) => x !== undefined).join("/") || "unknown metro";
  const view = [e.router, e.peer !== undefined ? `neighbor ${e.peer}` : undefined].filter((x) => x !== undefined);
  return `${at}${view.length > 0 ? ` (${view.join(", ")})` : ""}`;
}

export function eventLines(e: RouteEvent): string[] {
  const head = [
    `[${e.severity}]`.padEnd(10),
    EVENT_KINDS[e.kind].title,
    e.prefix ?? (e.afi !== undefined ? `${e.afi} session` : ""),
    `at ${where(e)}`,
    ...(e.observedPath !== undefined ? [`path ${e.observedPath}`] : []),
  ].join(" ");
  return [`  ${head}`, `      seen:   ${e.observed}`, `      intent: ${e.intent}`, `      source: ${e.source}`];
}

function legRow(l: LegSummary): string[] {
  return [
    l.name,
    String(l.expected),
    l.seen === undefined ? "-" : String(l.seen),
    l.sessions.ipv4 ?? "-",
    l.sessions.ipv6 ?? "-",
    kindsText(l.events),
  ];
}

function verdict(counts: { critical: number; warning: number }): string {
  if (counts.critical > 0) return `${counts.critical} critical, ${plural(counts.warning, "warning")}`;
  if (counts.warning > 0) return plural(counts.warning, "warning");
  return "clean";
}

export function formatAnalysisTable(a: Analysis, sources: readonly string[]): string {
  const out: string[] = [];
  out.push(`Route analytics of stack "${a.stack}": ${a.spName}, AS${a.spAsn}`);
  out.push(`Sources: ${sources.join(", ")}; ${a.counts.routes} routes, ${a.counts.sessions} sessions read`);
  out.push(`Result: ${verdict(a.counts)}`);
  for (const m of a.metros) {
    const events = a.events.filter((e) => e.metro === m.id);
    out.push("");
    out.push(`Metro ${m.id}: ${verdict(severityCounts(events))}`);
    out.push(
      ...table(["leg", "expected", "seen", "IPv4 session", "IPv6 session", "events"], m.legs.map(legRow)).map(
        (l) => `  ${l}`,
      ),
    );
    for (const e of events) out.push(...eventLines(e));
  }
  if (a.elsewhere.length > 0) {
    out.push("");
    out.push("Elsewhere (a router or neighbor no leg of the stack explains):");
    for (const e of a.elsewhere) out.push(...eventLines(e));
  }
  if (a.publicView) {
    const pv = a.publicView;
    out.push("");
    out.push(
      `Public view (${plural(pv.dumps.length, "MRT dump")}, ${pv.routes} routes from ${pv.collectorPeers} collector peers): ${verdict(severityCounts(pv.events))}`,
    );
    for (const e of pv.events.slice().sort(compareEvents)) out.push(...eventLines(e));
  }
  out.push("");
  out.push(`Events by kind: ${kindsText(countKinds(a.events))}`);
  return out.join("\n");
}

/** JSON lines: `{"type":"event",...}` per event, `{"type":"leg",...}` per leg, `{"type":"summary",...}` last. */
export function analysisJsonLines(a: Analysis): string {
  const lines: unknown[] = [
    ...a.events.map((e) => ({ type: "event", stack: a.stack, ...e })),
    ...a.metros.flatMap((m) => m.legs.map((l) => ({ type: "leg", stack: a.stack, ...l }))),
    {
      type: "summary",
      stack: a.stack,
      asn: a.spAsn,
      critical: a.counts.critical,
      warning: a.counts.warning,
      routes: a.counts.routes,
      sessions: a.counts.sessions,
      exitCode: exitCodeOf(a),
    },
  ];
  return lines.map((l) => JSON.stringify(l)).join("\n");
}

/**
 * Prometheus text format. Every metro × leg × kind is written, zeros included, so that an alert
 * resolves when its event goes away; each event is also one series of `pac_route_event` (value 1)
 * with its prefix and where it was seen, for an alert's labels.
 */
export async function analysisPrometheus(a: Analysis): Promise<string> {
  const registry = new Registry();
  const events = new Gauge({
    name: "pac_route_events",
    help: 'Route analytics events by metro, leg, kind and severity (leg "" for a metro-wide event).',
    labelNames: ["stack", "metro", "leg", "kind", "severity"] as const,
    registers: [registry],
  });
  const event = new Gauge({
    name: "pac_route_event",
    help: "One series per route analytics event (value 1), labelled with its prefix and where it was seen.",
    labelNames: ["stack", "kind", "severity", "prefix", "metro", "leg", "router", "peer"] as const,
    registers: [registry],
  });
  const expected = new Gauge({
    name: "pac_leg_prefixes_expected",
    help: "Registered prefixes the plan announces on the leg.",
    labelNames: ["stack", "metro", "leg"] as const,
    registers: [registry],
  });
  const seen = new Gauge({
    name: "pac_leg_prefixes_seen",
    help: "Registered prefixes seen from the SP on the leg (only legs a source covers).",
    labelNames: ["stack", "metro", "leg"] as const,
    registers: [registry],
  });
  const session = new Gauge({
    name: "pac_leg_session_established",
    help: "1 when the leg's BGP session of the family is Established, 0 otherwise (only sessions a source showed).",
    labelNames: ["stack", "metro", "leg", "afi"] as const,
    registers: [registry],
  });
  const totals = new Gauge({
    name: "pac_route_analytics_events_total",
    help: "Events of the last analysis by severity.",
    labelNames: ["stack", "severity"] as const,
    registers: [registry],
  });
  const stack = a.stack;
  // Counted once; every series below is then a look-up.
  const seriesKey = (metro: string, leg: string, kind: EventKind, severity: string) =>
    JSON.stringify([metro, leg, kind, severity]);
  const counted = new Map<string, number>();
  for (const e of a.events) {
    if (e.metro === undefined) continue;
    const key = seriesKey(e.metro, e.leg ?? "", e.kind, e.severity);
    counted.set(key, (counted.get(key) ?? 0) + 1);
  }
  for (const m of a.metros) {
    for (const leg of ["", ...m.legs.map((l) => l.name)])
      for (const kind of EVENT_KIND_NAMES)
        for (const severity of ["critical", "warning"] as const)
          events.set(
            { stack, metro: m.id, leg, kind, severity },
            counted.get(seriesKey(m.id, leg, kind, severity)) ?? 0,
          );
    for (const l of m.legs) {
      expected.set({ stack, metro: m.id, leg: l.name }, l.expected);
      if (l.seen !== undefined) seen.set({ stack, metro: m.id, leg: l.name }, l.seen);
      for (const afi of ["ipv4", "ipv6"] as const) {
        const state = l.sessions[afi];
        if (state !== undefined)
          session.set({ stack, metro: m.id, leg: l.name, afi }, state.toLowerCase() === "established" ? 1 : 0);
      }
    }
  }
  for (const e of a.events)
    event.set(
      {
        stack,
        kind: e.kind,
        severity: e.severity,
        prefix: e.prefix ?? "",
        metro: e.metro ?? "",
        leg: e.leg ?? "",
        router: e.router ?? "",
        peer: e.peer ?? e.collectorPeer ?? "",
      },
      1,
    );
  if (a.publicView) {
    // Zeros kept, as for the metros: an alert on the public view resolves when its event goes away.
    const pv = new Gauge({
      name: "pac_public_view_events",
      help: "Public view (MRT dumps of route collectors) events by kind and severity.",
      labelNames: ["stack", "kind", "severity"] as const,
      registers: [registry],
    });
    for (const kind of ["origin-hijack", "sub-prefix-hijack", "route-leak", "missing-announcement"] as const)
      for (const severity of ["critical", "warning"] as const)
        pv.set(
          { stack, kind, severity },
          a.publicView.events.filter((e) => e.kind === kind && e.severity === severity).length,
        );
  }
  totals.set({ stack, severity: "critical" }, a.counts.critical);
  totals.set({ stack, severity: "warning" }, a.counts.warning);
  return registry.metrics();
}
