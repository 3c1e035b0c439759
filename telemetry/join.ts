/**
 * Telemetry's events joined to route analytics' analysis, so that one report, one JSON-lines
 * stream, one Prometheus file and one exit code carry both: the events sorted together, each
 * metro's and leg's counts by kind, and the totals.
 *
 * Pure: no I/O.
 */
import { compareEvents, countKinds, eventsByLeg, legKey, type Analysis } from "../analytics/analyze";
import { severityCounts, type RouteEvent } from "../analytics/model";

export function withEvents(analysis: Analysis, extra: readonly RouteEvent[]): Analysis {
  if (extra.length === 0) return analysis;
  const events = [...analysis.events, ...extra].sort(compareEvents);
  const known = new Set(analysis.metros.map((m) => m.id));
  const atLeg = eventsByLeg(events);
  return {
    ...analysis,
    events,
    metros: analysis.metros.map((m) => ({
      ...m,
      legs: m.legs.map((l) => ({
        ...l,
        events: countKinds(atLeg.get(legKey(m.id, l.name)) ?? []),
      })),
    })),
    elsewhere: events.filter((e) => e.metro === undefined || !known.has(e.metro)),
    counts: {
      ...analysis.counts,
      ...severityCounts(events),
    },
  };
}
