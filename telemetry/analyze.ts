/**
 * Azure Monitor's telemetry checked against the intent: the same events as route analytics
 * (analytics/model.ts), so they go through the same outputs.
 *
 * - availability-low: a session's SessionAvailability, averaged over the window, under the target
 *   (warning); critical whenever its last sample says it is down, whatever the average;
 * - flapping: a session's FlapCounts summed over the window above the threshold;
 * - packet-drops: a leg's PacketDropRate above a share of its traffic (ingress plus egress);
 * - latency-high: a registered prefix's median latency above the nearest-edge estimate (the round
 *   trip at fibre speed from its region's centre to the nearest metro, as the nearest-edge policy
 *   estimates it) by more than the margin;
 * - leg-overloaded: a leg carrying more than its share of its metro's traffic, the share being its
 *   capacity's part of the metro's (legs of equal capacity: equal shares); metros with a drained leg
 *   or too little traffic to judge are left out.
 *
 * Sessions are matched to legs by either end's address (Azure's SessionIp), canonical. Series of
 * addresses no leg has are ignored: a leg nobody measured is not judged.
 *
 * Pure: no I/O.
 */
import { intentOf, legEnds, type Intent, type LegIntent, type PrefixIntent } from "../analytics/intent";
import { EVENT_KINDS, type RouteEvent } from "../analytics/model";
import { canonicalAddress } from "../plan/addressing";
import { FIBRE_KM_PER_MS, fibreRoundTripMs } from "../plan/geo";
import type { AddressFamily, Plan } from "../plan/model";
import { registeredPrefixName } from "../plan/peeringTags";
import { average, total, type Sample, type SessionMetric, type TelemetrySnapshot } from "./model";

export interface TelemetryThresholds {
  /** Percent of the window a session must be up. */
  availabilityTargetPercent: number;
  /** Flaps a session may have in the window. */
  maxFlaps: number;
  /** Dropped traffic a leg may have, as a fraction of what it carries. */
  maxDropRatio: number;
  /** How far above the nearest-edge estimate a registered prefix's median latency may be, ms. */
  latencyMarginMs: number;
  /** Speed of light in fibre for the estimate, km per ms (the nearest-edge policy's). */
  fibreKmPerMs: number;
  /** A leg's traffic may be this many times its share before it is reported. */
  maxShareFactor: number;
  /** Below this average traffic (bit/s) a metro's load is too small to judge its shares. */
  minMetroTrafficBps: number;
}

export const DEFAULT_THRESHOLDS: TelemetryThresholds = {
  availabilityTargetPercent: 99.9,
  maxFlaps: 3,
  maxDropRatio: 0.001,
  latencyMarginMs: 15,
  fibreKmPerMs: FIBRE_KM_PER_MS,
  maxShareFactor: 1.5,
  minMetroTrafficBps: 10e6,
};

export const TELEMETRY_SOURCE = "azure-monitor";

/** A session as measured, with the leg it belongs to. */
interface MeasuredSession {
  leg: LegIntent;
  afi: AddressFamily;
  address: string;
  series: Partial<Record<SessionMetric, Sample[]>>;
}

export interface TelemetryAnalysis {
  events: RouteEvent[];
  /** Per leg (`metro/leg`): availability and traffic over the window, for the page and the table. */
  legs: LegTelemetry[];
  /** Per registered prefix: measured median and the estimate. */
  prefixes: PrefixTelemetry[];
  /** Each measured session with its leg, and its availability over the window (the page's chart). */
  sessions: Array<{ leg: string; afi: AddressFamily; address: string; availability: Sample[] }>;
}

export interface LegTelemetry {
  id: string;
  metro: string;
  leg: string;
  /** Average availability per family, percent, where measured. */
  availability: Partial<Record<AddressFamily, number>>;
  flaps: number;
  /** Average bit/s over the window, both families. */
  ingressBps: number;
  egressBps: number;
  dropBps: number;
  /** The leg's part of its metro's traffic, 0..1, where the metro carried any. */
  share?: number;
}

export interface PrefixTelemetry {
  prefix: string;
  /** The peering the latency was measured on. */
  metro: string;
  medianMs: number;
  /** Round trip at fibre speed to the nearest edge, where the prefix's region is known. */
  estimateMs?: number;
  nearestMetro?: string;
  samples: Sample[];
}

export function analyzeTelemetry(
  plan: Plan,
  snapshot: TelemetrySnapshot,
  thresholds: TelemetryThresholds = DEFAULT_THRESHOLDS,
  intent: Intent = intentOf(plan),
): TelemetryAnalysis {
  const events: RouteEvent[] = [];
  const emit = (e: Omit<RouteEvent, "severity" | "source"> & { severity?: RouteEvent["severity"] }) =>
    events.push({ ...e, severity: e.severity ?? EVENT_KINDS[e.kind].severity, source: TELEMETRY_SOURCE });
  const hours = windowText(snapshot);

  // Either end of a leg's session, on the peering of the leg's metro.
  const ends = legEnds(intent);
  const sessions = new Map<string, MeasuredSession>();
  for (const s of snapshot.sessions) {
    const address = canonicalAddress(s.sessionIp);
    const end = ends.get(address);
    if (!end || end.leg.metro !== s.metro) continue;
    const key = `${end.leg.id}|${end.afi}`;
    const measured = sessions.get(key) ?? { leg: end.leg, afi: end.afi, address, series: {} };
    measured.series[s.metric] = s.samples;
    sessions.set(key, measured);
  }
  const ordered = [...sessions.values()].sort((a, b) => a.leg.id.localeCompare(b.leg.id) || a.afi.localeCompare(b.afi));

  for (const s of ordered) {
    const where = { metro: s.leg.metro, leg: s.leg.name, afi: s.afi, peer: s.address };
    const family = s.afi === "ipv4" ? "IPv4" : "IPv6";
    const availability = s.series.SessionAvailability ?? [];
    const mean = average(availability);
    const last = availability.at(-1);
    // Down at the window's end is reported whatever the average: the session is down now.
    const downNow = last !== undefined && last.value < 50;
    if (last !== undefined && mean !== undefined && (mean < thresholds.availabilityTargetPercent || downNow)) {
      const lowest = availability.reduce((min, x) => (x.value < min.value ? x : min));
      emit({
        kind: "availability-low",
        ...(downNow ? { severity: "critical" as const } : {}),
        ...where,
        observed: `the ${family} session of ${s.leg.id} (${s.address}) was up ${percent(mean)} of the last ${hours}, lowest ${percent(lowest.value)} at ${lowest.at}${downNow ? `; down at ${last.at}, the window's end` : ""}`,
        intent: `every session of ${s.leg.id} (${s.leg.where}) stays up at least ${thresholds.availabilityTargetPercent}% of the time`,
      });
    }
    const flaps = total(s.series.FlapCounts ?? []);
    if (flaps > thresholds.maxFlaps)
      emit({
        kind: "flapping",
        ...where,
        observed: `the ${family} session of ${s.leg.id} (${s.address}) flapped ${flaps} times in the last ${hours}`,
        intent: `a stable session: at most ${thresholds.maxFlaps} flaps in the window (${s.leg.where}; check the LAG members, optics and BFD timers)`,
      });
  }

  const { legs, byMetro } = legTelemetry(intent, [...sessions.values()]);
  const legIntent = new Map(intent.metros.flatMap((m) => m.legs.map((l) => [l.id, l] as const)));
  const capacity = new Map(plan.metros.flatMap((m) => m.legs.map((l) => [l.id, l.bandwidthMbps] as const)));

  for (const l of legs) {
    const carried = l.ingressBps + l.egressBps;
    if (l.dropBps > 0 && (carried === 0 || l.dropBps / carried > thresholds.maxDropRatio))
      emit({
        kind: "packet-drops",
        metro: l.metro,
        leg: l.leg,
        observed: `${l.id} dropped ${rate(l.dropBps)} on average over the last ${hours}${carried > 0 ? `, ${percent((100 * l.dropBps) / carried, 2)} of the ${rate(carried)} it carried` : ", with no traffic carried"}`,
        intent: `a leg drops at most ${percent(100 * thresholds.maxDropRatio, 2)} of its traffic (${legIntent.get(l.id)?.where ?? l.id}; check the LAG members' error counters and optics)`,
      });
  }
  for (const [metro, { legs: metroLegs, totalBps: metroTotal }] of byMetro) {
    const drained = metroLegs.some((l) => legIntent.get(l.id)?.drain);
    if (metroLegs.length < 2 || drained || metroTotal < thresholds.minMetroTrafficBps) continue;
    const metroCapacity = metroLegs.reduce((sum, l) => sum + (capacity.get(l.id) ?? 0), 0);
    for (const l of metroLegs) {
      const fair = metroCapacity > 0 ? (capacity.get(l.id) ?? 0) / metroCapacity : 1 / metroLegs.length;
      const share = l.share ?? 0;
      if (share > fair * thresholds.maxShareFactor)
        emit({
          kind: "leg-overloaded",
          metro,
          leg: l.leg,
          observed: `${l.id} carried ${percent(100 * share)} of ${metro}'s ${rate(metroTotal)} over the last ${hours}; its share is ${percent(100 * fair)}`,
          intent: `traffic spread over ${metro}'s ${metroLegs.length} legs by capacity (local redundancy: ${legIntent.get(l.id)?.where ?? l.id}); check the other legs' sessions, announcements and LAG members`,
        });
    }
  }

  const prefixes = prefixTelemetry(intent, snapshot, thresholds);
  const declaredAs = new Map<string, PrefixIntent>();
  for (const p of intent.prefixes) if (!declaredAs.has(p.prefix)) declaredAs.set(p.prefix, p);
  for (const p of prefixes) {
    if (p.estimateMs === undefined || p.medianMs <= p.estimateMs + thresholds.latencyMarginMs) continue;
    const declared = declaredAs.get(p.prefix);
    emit({
      kind: "latency-high",
      prefix: p.prefix,
      metro: p.metro,
      observed: `${p.prefix}'s median latency was ${p.medianMs.toFixed(1)} ms over the last ${hours} (measured on ${p.metro}'s peering)`,
      intent: `at most ${(p.estimateMs + thresholds.latencyMarginMs).toFixed(1)} ms: the ${p.estimateMs.toFixed(1)} ms round trip at fibre speed from region ${declared?.region ?? "?"} to its nearest edge, ${p.nearestMetro}, plus the ${thresholds.latencyMarginMs} ms margin (${declared?.where ?? plan.sp.file}); check where its users enter Microsoft (non-optimal entry)`,
    });
  }
  const measured = ordered.map((s) => ({
    leg: s.leg.id,
    afi: s.afi,
    address: s.address,
    availability: s.series.SessionAvailability ?? [],
  }));
  return { events, legs, prefixes, sessions: measured };
}

/** Each measured leg, in the intent's order, and each metro's legs with their traffic together. */
function legTelemetry(
  intent: Intent,
  sessions: readonly MeasuredSession[],
): { legs: LegTelemetry[]; byMetro: Map<string, { legs: LegTelemetry[]; totalBps: number }> } {
  const sessionsOf = new Map<string, MeasuredSession[]>();
  for (const s of sessions) sessionsOf.set(s.leg.id, [...(sessionsOf.get(s.leg.id) ?? []), s]);
  const out: LegTelemetry[] = [];
  for (const m of intent.metros)
    for (const leg of m.legs) {
      const mine = sessionsOf.get(leg.id) ?? [];
      if (mine.length === 0) continue;
      const sum = (metric: SessionMetric) => mine.reduce((acc, s) => acc + (average(s.series[metric] ?? []) ?? 0), 0);
      const availability: Partial<Record<AddressFamily, number>> = {};
      for (const s of mine) {
        const a = average(s.series.SessionAvailability ?? []);
        if (a !== undefined) availability[s.afi] = a;
      }
      out.push({
        id: leg.id,
        metro: m.id,
        leg: leg.name,
        availability,
        flaps: mine.reduce((acc, s) => acc + total(s.series.FlapCounts ?? []), 0),
        ingressBps: sum("IngressTrafficRate"),
        egressBps: sum("EgressTrafficRate"),
        dropBps: sum("PacketDropRate"),
      });
    }
  const byMetro = new Map<string, { legs: LegTelemetry[]; totalBps: number }>();
  for (const l of out) {
    const metro = byMetro.get(l.metro) ?? { legs: [], totalBps: 0 };
    metro.legs.push(l);
    metro.totalBps += l.ingressBps + l.egressBps;
    byMetro.set(l.metro, metro);
  }
  for (const { legs, totalBps } of byMetro.values())
    if (totalBps > 0) for (const l of legs) l.share = (l.ingressBps + l.egressBps) / totalBps;
  return { legs: out, byMetro };
}

function prefixTelemetry(
  intent: Intent,
  snapshot: TelemetrySnapshot,
  thresholds: TelemetryThresholds,
): PrefixTelemetry[] {
  const out: PrefixTelemetry[] = [];
  for (const p of intent.prefixes) {
    const name = registeredPrefixName(p.prefix, p.originAsn);
    const series = snapshot.prefixLatency.find((s) => s.registeredPrefixName.toLowerCase() === name.toLowerCase());
    if (!series || series.samples.length === 0) continue;
    out.push({
      prefix: p.prefix,
      metro: series.metro,
      medianMs: median(series.samples.map((s) => s.value)),
      ...(p.nearest
        ? { estimateMs: fibreRoundTripMs(p.nearest.km, thresholds.fibreKmPerMs), nearestMetro: p.nearest.metro }
        : {}),
      samples: series.samples,
    });
  }
  return out;
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

function windowText(snapshot: TelemetrySnapshot): string {
  const hours = (Date.parse(snapshot.window.end) - Date.parse(snapshot.window.start)) / 3_600_000;
  return hours % 24 === 0 && hours >= 48 ? `${hours / 24} days` : `${Math.round(hours)} h`;
}

function percent(value: number, digits = 1): string {
  return `${Number(value.toFixed(digits))}%`;
}

/** Bit/s in the unit an engineer reads them in. */
export function rate(bps: number): string {
  for (const [unit, size] of [
    ["Tbit/s", 1e12],
    ["Gbit/s", 1e9],
    ["Mbit/s", 1e6],
    ["kbit/s", 1e3],
  ] as const)
    if (bps >= size) return `${Number((bps / size).toFixed(1))} ${unit}`;
  return `${Math.round(bps)} bit/s`;
}
