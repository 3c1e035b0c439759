/**
 * One page to look at (`--html <file>`): a single self-contained HTML file, no scripts and no
 * external assets (styles inline, charts as inline SVG), that opens from a change ticket or a mail
 * as it is. Per metro and leg its state and events; the registered prefixes with where they are
 * seen; charts of each registered prefix's latency (against the nearest-edge estimate) and of each
 * session's availability over the window.
 *
 * Pure: a string from data. Every text from outside (names, events) is escaped.
 */
import { EVENT_KINDS, severityCounts, type Observations, type RouteEvent } from "../analytics/model";
import { readPrefix } from "../plan/addressing";
import type { Metro, Plan } from "../plan/model";
import { rate, type TelemetryAnalysis } from "./analyze";
import type { Sample, TelemetrySnapshot } from "./model";

export interface PageInput {
  plan: Plan;
  /** Every event of the run: route analytics' and telemetry's. */
  events: readonly RouteEvent[];
  /** When the report was made (ISO 8601): the page says it, so a stale page is seen as one. */
  generatedAt: string;
  telemetry?: { snapshot: TelemetrySnapshot; analysis: TelemetryAnalysis };
  /** Per registered prefix, the metros a source saw it at (route analytics), where known. */
  seenAt?: ReadonlyMap<string, readonly string[]>;
}

/** Per registered prefix, the metros where Microsoft's receivedRoutes showed it (sources that name their metro). */
export function seenAtOf(obs: Observations): Map<string, string[]> {
  const seen = new Map<string, Set<string>>();
  for (const r of obs.routes) {
    if (r.metro === undefined) continue;
    const key = readPrefix(r.prefix)?.text ?? r.prefix;
    seen.set(key, (seen.get(key) ?? new Set()).add(r.metro));
  }
  return new Map([...seen].map(([k, v]) => [k, [...v].sort()]));
}

const esc = (text: string | number): string =>
  String(text).replace(
    /[&<>"']/g,
    (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c] ?? c,
  );

const PALETTE = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#17becf", "#8c564b", "#e377c2"];

export function renderPage(input: PageInput): string {
  const { plan, events } = input;
  const { critical, warning } = severityCounts(events);
  const verdict = critical > 0 ? "critical" : warning > 0 ? "warning" : "clean";
  const window = input.telemetry?.snapshot.window;
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(plan.sp.name)} (AS${plan.sp.asn}), stack ${esc(plan.stack)}: peering report</title>
<style>
body { font: 14px/1.4 "DejaVu Sans", Arial, sans-serif; margin: 24px; color: #1b1b1b; background: #fff; }
h1 { font-size: 22px; margin: 0 0 4px; } h2 { font-size: 18px; margin: 28px 0 8px; border-bottom: 2px solid #ddd; }
h3 { font-size: 15px; margin: 16px 0 6px; }
table { border-collapse: collapse; margin: 6px 0 12px; } th, td { border: 1px solid #ccc; padding: 4px 8px; text-align: left; vertical-align: top; }
th { background: #f0f3f7; } td.num { text-align: right; font-variant-numeric: tabular-nums; }
.badge { display: inline-block; padding: 1px 8px; border-radius: 10px; color: #fff; font-weight: bold; font-size: 12px; }
.critical { background: #c62828; } .warning { background: #ef8f00; } .clean, .ok { background: #2e7d32; } .muted { background: #888; }
.summary { font-size: 16px; margin: 8px 0 16px; }
.metros { display: flex; flex-wrap: wrap; gap: 16px; } .metro { border: 1px solid #ccc; border-radius: 6px; padding: 8px 12px; min-width: 420px; }
.charts { display: flex; flex-wrap: wrap; gap: 16px; } figure { margin: 0; } figcaption { font-size: 13px; color: #444; }
.legend span { margin-right: 12px; font-size: 12px; } .legend i { display: inline-block; width: 12px; height: 3px; margin-right: 4px; vertical-align: middle; }
</style>
</head>
<body>
<h1>${esc(plan.sp.name)} (AS${plan.sp.asn}) · stack ${esc(plan.stack)}</h1>
<div class="summary" id="summary" data-critical="${critical}" data-warning="${warning}">
<span class="badge ${verdict}">${verdict}</span> ${critical} critical, ${warning} warning ·
${plan.metros.length} metros · ${plan.registrations.filter((r) => r.kind === "prefix").length} registered prefixes ·
${window ? `window ${esc(window.start)} to ${esc(window.end)} (every ${esc(window.interval)}) · ` : ""}made ${esc(input.generatedAt)}
</div>
<h2>Events</h2>
${eventsTable(events)}
<h2>Metros and legs</h2>
<div class="metros">
${plan.metros.map((m) => metroCard(input, m)).join("\n")}
</div>
<h2>Registered prefixes</h2>
${prefixTable(input)}
${input.telemetry ? charts(input.telemetry) : "<p>No telemetry in this report (run with <code>--telemetry</code>).</p>"}
</body>
</html>
`;
}

function eventsTable(events: readonly RouteEvent[]): string {
  if (events.length === 0) return `<p id="events" data-count="0">No events: observed matches the intent.</p>`;
  const rows = events.map(
    (e) =>
      `<tr class="event" data-kind="${esc(e.kind)}" data-severity="${e.severity}"><td><span class="badge ${e.severity}">${e.severity}</span></td><td>${esc(EVENT_KINDS[e.kind].title)}</td><td>${esc([e.metro, e.leg].filter((x) => x !== undefined).join("/") || "-")}</td><td>${esc(e.prefix ?? "")}</td><td>${esc(e.observed)}</td><td>${esc(e.intent)}</td><td>${esc(e.source)}</td></tr>`,
  );
  return `<table id="events" data-count="${events.length}">
<tr><th>severity</th><th>event</th><th>where</th><th>prefix</th><th>observed</th><th>intent it breaks</th><th>source</th></tr>
${rows.join("\n")}
</table>`;
}

function metroCard(input: PageInput, metro: Metro): string {
  const atMetro = input.events.filter((e) => e.metro === metro.id);
  const worst = atMetro.some((e) => e.severity === "critical") ? "critical" : atMetro.length > 0 ? "warning" : "ok";
  const legs = [...metro.legs, ...metro.legsAwaitingAddresses].sort((a, b) => a.position - b.position);
  const rows = legs.map((leg) => {
    const t = input.telemetry?.analysis.legs.find((l) => l.id === leg.id);
    const legEvents = atMetro.filter((e) => e.leg === leg.name);
    const availability = t
      ? (["ipv4", "ipv6"] as const)
          .map((afi) =>
            t.availability[afi] !== undefined
              ? `${afi === "ipv4" ? "v4" : "v6"} ${t.availability[afi].toFixed(2)}%`
              : "",
          )
          .filter((x) => x !== "")
          .join(", ")
      : "-";
    return `<tr class="leg" data-leg="${esc(leg.id)}"><td>${esc(leg.name)}</td><td>${esc(leg.hostname)}</td><td>${esc(leg.status)}${leg.drain ? " (drained)" : ""}</td><td>${esc(availability)}</td><td class="num">${t ? esc(rate(t.ingressBps)) : "-"}</td><td class="num">${t ? esc(rate(t.egressBps)) : "-"}</td><td class="num">${t?.share !== undefined ? `${(100 * t.share).toFixed(0)}%` : "-"}</td><td class="num">${t ? t.flaps : "-"}</td><td>${legEvents.length === 0 ? '<span class="badge ok">ok</span>' : legEvents.map((e) => `<span class="badge ${e.severity}" title="${esc(e.observed)}">${esc(EVENT_KINDS[e.kind].title)}</span>`).join(" ")}</td></tr>`;
  });
  const metroOnly = atMetro.filter((e) => e.leg === undefined);
  return `<section class="metro" data-metro="${esc(metro.id)}">
<h3>${esc(metro.id)} <span class="badge ${worst}">${worst}</span></h3>
<div>${esc(metro.peeringLocation)} · ${esc(metro.region)} · ${esc(metro.status)}</div>
<table><tr><th>leg</th><th>router</th><th>state</th><th>availability</th><th>in</th><th>out</th><th>share</th><th>flaps</th><th>events</th></tr>
${rows.join("\n")}
</table>
${metroOnly.length > 0 ? `<div>At the metro: ${metroOnly.map((e) => `<span class="badge ${e.severity}" title="${esc(e.observed)}">${esc(EVENT_KINDS[e.kind].title)}${e.prefix ? ` ${esc(e.prefix)}` : ""}</span>`).join(" ")}</div>` : ""}
</section>`;
}

function prefixTable(input: PageInput): string {
  const rows = input.plan.registrations
    .filter((r) => r.kind === "prefix")
    .map((r) => {
      const latency = input.telemetry?.analysis.prefixes.find((p) => p.prefix === r.key);
      const seen = input.seenAt;
      const events = input.events.filter((e) => e.prefix === r.key);
      return `<tr class="prefix" data-prefix="${esc(r.key)}"><td>${esc(r.key)}</td><td>AS${r.asn}</td><td>${esc(r.home ?? `waiting (${r.reason})`)}</td><td>${seen ? esc(seen.get(r.key)?.join(", ") ?? "nowhere") : "not observed in this report"}</td><td class="num">${latency ? `${latency.medianMs.toFixed(1)} ms` : "-"}</td><td class="num">${latency?.estimateMs !== undefined ? `${latency.estimateMs.toFixed(1)} ms (${esc(latency.nearestMetro ?? "")})` : "-"}</td><td>${events.length === 0 ? '<span class="badge ok">ok</span>' : events.map((e) => `<span class="badge ${e.severity}">${esc(EVENT_KINDS[e.kind].title)}</span>`).join(" ")}</td></tr>`;
    });
  return `<table id="prefixes"><tr><th>prefix</th><th>origin</th><th>registered at</th><th>seen at</th><th>median latency</th><th>nearest-edge estimate</th><th>events</th></tr>
${rows.join("\n")}
</table>`;
}

interface Line {
  label: string;
  samples: readonly Sample[];
  dashed?: boolean;
}

function charts(telemetry: NonNullable<PageInput["telemetry"]>): string {
  const { snapshot, analysis } = telemetry;
  const start = Date.parse(snapshot.window.start);
  const end = Date.parse(snapshot.window.end);
  const latency: Line[] = analysis.prefixes.map((p) => ({ label: `${p.prefix} (${p.metro})`, samples: p.samples }));
  const estimates: Line[] = analysis.prefixes
    .filter((p) => p.estimateMs !== undefined)
    .map((p) => ({
      label: `estimate ${p.prefix}`,
      samples: [
        { at: snapshot.window.start, value: p.estimateMs! },
        { at: snapshot.window.end, value: p.estimateMs! },
      ],
      dashed: true,
    }));
  const availability: Line[] = analysis.sessions.map((s) => ({
    label: `${s.leg} ${s.afi === "ipv4" ? "v4" : "v6"}`,
    samples: s.availability,
  }));
  const rtt: Line[] = snapshot.roundTrip.map((r) => ({ label: `${r.peeringService} ${r.test}`, samples: r.samples }));
  return `<h2>Over the window</h2>
<div class="charts">
${chart("latency", "Registered prefix latency (median, ms); dashed: nearest-edge estimate", [...latency, ...estimates], start, end)}
${chart("availability", "Session availability (%)", availability, start, end, 100)}
${rtt.length > 0 ? chart("round-trip", "Customer round trip time (ms)", rtt, start, end) : ""}
</div>`;
}

/** A line chart as inline SVG: time across, value up, one colour per line, a legend below. */
function chart(
  id: string,
  title: string,
  lines: readonly Line[],
  start: number,
  end: number,
  fixedMax?: number,
): string {
  const W = 640;
  const H = 200;
  const pad = { left: 44, right: 10, top: 10, bottom: 24 };
  const values = lines.flatMap((l) => l.samples.map((s) => s.value));
  const max = fixedMax ?? Math.max(1, ...values) * 1.1;
  const x = (at: string) =>
    pad.left + ((Date.parse(at) - start) / Math.max(1, end - start)) * (W - pad.left - pad.right);
  const y = (v: number) => pad.top + (1 - v / max) * (H - pad.top - pad.bottom);
  const ticks = [0, 0.25, 0.5, 0.75, 1].map((f) => f * max);
  const grid = ticks
    .map(
      (v) =>
        `<line x1="${pad.left}" x2="${W - pad.right}" y1="${y(v).toFixed(1)}" y2="${y(v).toFixed(1)}" stroke="#e3e3e3"/><text x="${pad.left - 4}" y="${(y(v) + 4).toFixed(1)}" font-size="10" text-anchor="end">${Number(v.toFixed(1))}</text>`,
    )
    .join("");
  const colour = new Map<string, string>();
  const colourOf = (label: string) => {
    const key = label.replace(/^estimate /, "");
    if (!colour.has(key)) colour.set(key, PALETTE[colour.size % PALETTE.length]);
    return colour.get(key)!;
  };
  const paths = lines
    .filter((l) => l.samples.length > 0)
    .map(
      (l) =>
        `<polyline fill="none" stroke="${colourOf(l.label.split(" (")[0])}" stroke-width="2"${l.dashed ? ' stroke-dasharray="6 4"' : ""} points="${l.samples.map((s) => `${x(s.at).toFixed(1)},${y(s.value).toFixed(1)}`).join(" ")}"><title>${esc(l.label)}</title></polyline>`,
    )
    .join("\n");
  const legend = lines
    .filter((l) => !l.dashed)
    .map((l) => `<span><i style="background:${colourOf(l.label.split(" (")[0])}"></i>${esc(l.label)}</span>`)
    .join("");
  const axis = `<text x="${pad.left}" y="${H - 6}" font-size="10">${esc(new Date(start).toISOString().slice(0, 16))}Z</text><text x="${W - pad.right}" y="${H - 6}" font-size="10" text-anchor="end">${esc(new Date(end).toISOString().slice(0, 16))}Z</text>`;
  return `<figure id="chart-${id}" data-lines="${lines.filter((l) => !l.dashed).length}">
<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" role="img" aria-label="${esc(title)}">
<rect x="0" y="0" width="${W}" height="${H}" fill="#fff"/>${grid}${axis}
${paths}
</svg>
<figcaption>${esc(title)}</figcaption>
<div class="legend">${legend}</div>
</figure>`;
}
