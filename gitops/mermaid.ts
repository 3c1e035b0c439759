/**
 * The stack as a Mermaid flowchart (GitHub renders it in pull-request comments): one box per metro
 * holding its SP routers, Microsoft's edge (AS 8075) at the metro's peering location, and one line
 * per leg from its router to Microsoft. What the change adds is green, what it changes amber, what
 * it removes red and dashed.
 *
 * Pure. Every id is derived from a validated metro id or hostname, every label is quoted with its
 * quotes escaped, and the order is the comparison's (sorted), so the same comparison always gives
 * the same diagram.
 */
import type { Mark, TopologyMetro } from "./compare";

const STYLE: Record<Exclude<Mark, "unchanged">, { fill: string; stroke: string; dashed: boolean }> = {
  added: { fill: "#dafbe1", stroke: "#1a7f37", dashed: false },
  changed: { fill: "#fff8c5", stroke: "#9a6700", dashed: false },
  removed: { fill: "#ffebe9", stroke: "#cf222e", dashed: true },
};

/** The legend printed under the diagram. */
export const MERMAID_LEGEND = "green: added, amber: changed, red and dashed: removed";

const id = (kind: string, name: string) => `${kind}_${name.replace(/[^A-Za-z0-9]/g, "_")}`;
/** A quoted Mermaid label: `#quot;` is how Mermaid writes a quote inside one. */
const label = (text: string) => `"${text.replace(/"/g, "#quot;")}"`;

function gbps(mbps: number): string {
  return `${mbps / 1000}G`;
}

/** The flowchart's lines, without the code fence. */
export function mermaidLines(topology: readonly TopologyMetro[]): string[] {
  const lines = ["flowchart LR"];
  const nodeMarks = new Map<Mark, string[]>();
  const linkMarks = new Map<Mark, number[]>();
  const metroMarks: Array<[string, Mark]> = [];
  let link = 0;
  const mark = <T>(map: Map<Mark, T[]>, m: Mark, x: T) => map.set(m, [...(map.get(m) ?? []), x]);

  for (const metro of topology) {
    const m = metro.metro;
    const box = id("metro", m.id);
    lines.push(`  subgraph ${box}[${label(`${m.id}: ${m.peeringLocation}, ${m.status}`)}]`);
    for (const r of metro.routers) {
      const node = id("router", r.hostname);
      lines.push(`    ${node}[${label(`${r.hostname}<br/>${r.vendor}`)}]`);
      mark(nodeMarks, r.mark, node);
    }
    lines.push("  end");
    const microsoft = id("microsoft", m.id);
    lines.push(`  ${microsoft}{{${label(`Microsoft AS8075<br/>${m.peeringLocation}`)}}}`);
    // Microsoft's side of the metro is its Peering.
    mark(nodeMarks, metro.microsoft, microsoft);
    metroMarks.push([box, metro.mark]);
    for (const l of metro.legs) {
      const leg = l.leg;
      const text = `${l.name}: ${leg.members}x${leg.portGbps}G=${gbps(leg.bandwidthMbps)}, ${leg.status}${leg.drain ? ", drained" : ""}`;
      lines.push(`  ${id("router", leg.hostname)} ---|${label(text)}| ${microsoft}`);
      mark(linkMarks, l.mark, link++);
    }
  }

  for (const [name, s] of Object.entries(STYLE)) {
    lines.push(
      `  classDef ${name} fill:${s.fill},stroke:${s.stroke},color:#1f2328${s.dashed ? ",stroke-dasharray:4 3" : ""}`,
    );
  }
  for (const m of Object.keys(STYLE) as Array<keyof typeof STYLE>) {
    const nodes = nodeMarks.get(m);
    if (nodes) lines.push(`  class ${nodes.join(",")} ${m}`);
  }
  for (const [box, m] of metroMarks) {
    if (m === "unchanged") continue;
    const s = STYLE[m];
    lines.push(`  style ${box} stroke:${s.stroke},stroke-width:2px${s.dashed ? ",stroke-dasharray:4 3" : ""}`);
  }
  for (const m of Object.keys(STYLE) as Array<keyof typeof STYLE>) {
    const links = linkMarks.get(m);
    const s = STYLE[m];
    if (links)
      lines.push(
        `  linkStyle ${links.join(",")} stroke:${s.stroke},stroke-width:3px${s.dashed ? ",stroke-dasharray:4 3" : ""}`,
      );
  }
  return lines;
}
