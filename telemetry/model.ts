/**
 * What Azure Monitor measures on the SP's peerings and its customers' Peering Services, in our
 * shape: the reader (`telemetry/reader.ts`) fills it, the analysis (`telemetry/analyze.ts`) and the
 * page (`telemetry/page.ts`) read it. No I/O here.
 *
 * The metrics and their dimensions are Azure Monitor's "Supported metrics for
 * Microsoft.Peering/peerings" and "... Microsoft.Peering/peeringServices" (learn.microsoft.com,
 * azure-monitor/reference/supported-metrics):
 *
 * | metric | unit | aggregation | dimensions | time grains |
 * | --- | --- | --- | --- | --- |
 * | SessionAvailability | Count (percent of the interval the session was up) | Average | ConnectionId, SessionIp | PT5M, PT1H |
 * | FlapCounts | Count | Sum | ConnectionId, SessionIp | PT1M, PT5M, PT1H |
 * | IngressTrafficRate, EgressTrafficRate | BitsPerSecond | Average | ConnectionId, SessionIp, TrafficClass | PT1M, PT5M, PT1H |
 * | PacketDropRate | BitsPerSecond | Average | ConnectionId, SessionIp, TrafficClass | PT1M, PT5M, PT1H |
 * | RegisteredPrefixLatency | Milliseconds (median) | Average | RegisteredPrefixName | PT1H |
 * | RoundTripTime (peeringServices) | Milliseconds | Average | ConnectionMonitorTestName | PT1M |
 */

/** The per-session metrics of a Microsoft.Peering/peerings resource. */
export const SESSION_METRICS = [
  "SessionAvailability",
  "FlapCounts",
  "IngressTrafficRate",
  "EgressTrafficRate",
  "PacketDropRate",
] as const;
export type SessionMetric = (typeof SESSION_METRICS)[number];

/** Which aggregation carries each metric's value: flaps are counted (Sum), the rest averaged. */
export const AGGREGATION_OF: Record<SessionMetric | "RegisteredPrefixLatency" | "RoundTripTime", "average" | "total"> =
  {
    SessionAvailability: "average",
    FlapCounts: "total",
    IngressTrafficRate: "average",
    EgressTrafficRate: "average",
    PacketDropRate: "average",
    RegisteredPrefixLatency: "average",
    RoundTripTime: "average",
  };

export const PEERING_NAMESPACE = "Microsoft.Peering/peerings";
export const PEERING_SERVICE_NAMESPACE = "Microsoft.Peering/peeringServices";

/** One point of a series: the interval's start (ISO 8601, UTC) and its value; intervals without data are left out. */
export interface Sample {
  at: string;
  value: number;
}

/** One session's series of one metric, traffic classes summed. */
export interface SessionSeries {
  /** The metro whose peering it was read from. */
  metro: string;
  metric: SessionMetric;
  /** The connection's identifier as Azure names it (dimension ConnectionId), when present. */
  connectionId?: string;
  /** The session address Azure names (dimension SessionIp). */
  sessionIp: string;
  samples: Sample[];
}

/** The median latency of one registered prefix, as measured on its home peering. */
export interface PrefixLatencySeries {
  metro: string;
  /** The RegisteredPrefix resource's name (dimension RegisteredPrefixName). */
  registeredPrefixName: string;
  samples: Sample[];
}

/** A customer Peering Service's round trip time, per connection monitor test. */
export interface RoundTripSeries {
  peeringService: string;
  test: string;
  samples: Sample[];
}

export interface TelemetryWindow {
  /** ISO 8601, UTC. */
  start: string;
  end: string;
  /** ISO 8601 duration of one sample: PT5M, PT1H. */
  interval: string;
}

export interface TelemetrySnapshot {
  window: TelemetryWindow;
  /** The peerings that were read (metro and Azure resource id). */
  peerings: Array<{ metro: string; resourceId: string }>;
  sessions: SessionSeries[];
  prefixLatency: PrefixLatencySeries[];
  roundTrip: RoundTripSeries[];
  /** Metrics Azure answered with an error code instead of data: named, never silently empty. */
  unavailable: Array<{ resourceId: string; metric: string; error: string }>;
}

export function average(samples: readonly Sample[]): number | undefined {
  if (samples.length === 0) return undefined;
  return samples.reduce((sum, s) => sum + s.value, 0) / samples.length;
}

export function total(samples: readonly Sample[]): number {
  return samples.reduce((sum, s) => sum + s.value, 0);
}

/** `24h`, `90m`, `7d` → milliseconds; undefined when it is not such a duration (at least an hour, at most 30 days). */
export function parseSince(text: string): number | undefined {
  const m = /^(\d+)(m|h|d)$/.exec(text.trim());
  if (!m) return undefined;
  const ms = Number(m[1]) * { m: 60_000, h: 3_600_000, d: 86_400_000 }[m[2] as "m" | "h" | "d"];
  return ms >= 3_600_000 && ms <= 30 * 86_400_000 ? ms : undefined;
}

/**
 * The window ending at `end` (rounded down to the minute) reaching back `sinceMs`; samples of 5
 * minutes up to two days (576 points), else of an hour (at most 720 for 30 days).
 */
export function windowOf(end: Date, sinceMs: number): TelemetryWindow {
  const endMs = Math.floor(end.getTime() / 60_000) * 60_000;
  return {
    start: new Date(endMs - sinceMs).toISOString(),
    end: new Date(endMs).toISOString(),
    interval: sinceMs <= 2 * 86_400_000 ? "PT5M" : "PT1H",
  };
}
