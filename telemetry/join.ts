/**
 * Telemetry's events joined to route analytics' analysis, so that one report, one JSON-lines
 * stream, one Prometheus file and one exit code carry both: the events sorted together, each
 * metro's and leg's counts by kind, and the totals.
 *
 * Pure: no I/O.
 */
import { compareEvents, countKinds, type Analysis } from "../analytics/analyze";
import type { RouteEvent } from "../analytics/model";

export function withEvents(analysis: Analysis, extra: readonly RouteEvent[]): Analysis {
  if (extra.length === 0) return analysis;
  const events = [...analysis.events, ...extra].sort(compareEvents);
  const known = new Set(analysis.metros.map((m) => m.id));
  return {
    ...analysis,
    events,
    metros: analysis.metros.map((m) => ({
      ...m,
      events: countKinds(events.filter((e) => e.metro === m.id)),
      legs: m.legs.map((l) => ({
        ...l,
        events: countKinds(events.filter((e) => e.metro === m.id && e.leg === l.name)),
      })),
    })),
    elsewhere: events.filter((e) => e.metro === undefined || !known.has(e.metro)),
    counts: {
      ...analysis.counts,
      critical: events.filter((e) => e.severity === "critical").length,
      warning: events.filter((e) => e.severity === "warning").length,
    },
  };
}
