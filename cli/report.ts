/**
 * The offline plan's report: what an engineer pastes into a change ticket. Plain text, fixed
 * columns, no secrets (MD5 keys appear only by their config name).
 */
import type { Plan } from "../plan/model";
import { VENDOR_PROFILES } from "../vendors";
import type { RecordedResource } from "./mockRuntime";

export interface PlanReportInput {
  plan: Plan;
  resources: RecordedResource[];
  written: string[];
  lockNote: string;
  elapsedMs: number;
}

export function table(header: string[], rows: string[][]): string[] {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i])).join("  ").trimEnd();
  return [line(header), line(widths.map((w) => "-".repeat(w))), ...rows.map(line)];
}

function gbps(mbps: number): string {
  return `${mbps / 1000}G`;
}

export function formatPlanReport(input: PlanReportInput): string {
  const { plan } = input;
  const legs = plan.metros.flatMap((m) => m.legs);
  const out: string[] = [];
  out.push(`Offline plan of stack "${plan.stack}": ${plan.sp.name}, AS${plan.sp.asn}`);
  out.push(
    `${plan.metros.length} metros, ${legs.length} legs, ${plan.routers.length} routers, ${plan.sessions.length} BGP sessions to Microsoft AS8075; ` +
      `${plan.sp.prefixes.length} registered prefixes: ${plan.sp.prefixes.map((p) => `${p.prefix} (AS${p.originAsn})`).join(", ")}`,
  );
  for (const metro of plan.metros) {
    out.push("");
    out.push(
      `Metro ${metro.id}: Azure peering location ${metro.peeringLocation}, PeeringDB facility ${metro.peeringDbFacilityId}, region ${metro.region}, ${metro.status}`,
    );
    const rows = metro.legs.flatMap((l) =>
      l.sessions.map((s) => [
        l.name,
        l.hostname,
        l.vendor,
        l.interface,
        `${l.members.length}x${l.members[0].speedGbps}G=${gbps(l.bandwidthMbps)}`,
        s.afi,
        s.sessionPrefix,
        s.peerAddress,
        s.localAddress,
        l[s.afi].origin,
        s.md5KeySecret ? `secret:${s.md5KeySecret}` : "-",
        String(s.maxPrefix.limit),
      ]),
    );
    out.push(
      ...table(["leg", "router", "vendor", "bundle", "LAG", "afi", "session prefix", "Microsoft", "SP", "address", "MD5", "max-prefix"], rows).map((l) => `  ${l}`),
    );
    const drained = metro.legs.filter((l) => l.drain);
    if (drained.length > 0) {
      out.push(`  DRAINED (RFC 8326 graceful shutdown: announced with 65535:0, learned at local-pref 0): ${drained.map((l) => `leg ${l.name} on ${l.hostname}`).join(", ")}`);
    }
  }

  const notes = platformNotes(plan);
  if (notes.length > 0) {
    out.push("");
    out.push("Where a platform cannot say exactly what the plan says (README, Router configs):");
    out.push(...notes.map((n) => `  ${n}`));
  }

  out.push("");
  const custom = input.resources.filter((r) => r.custom);
  out.push(`Resources pulumi preview would declare: ${custom.length} Azure resources (+ ${input.resources.length - custom.length} components)`);
  const byType = new Map<string, string[]>();
  for (const r of custom) byType.set(r.type, [...(byType.get(r.type) ?? []), r.name]);
  for (const [type, names] of [...byType].sort(([a], [b]) => a.localeCompare(b))) {
    out.push(`  + ${type} x${names.length}: ${names.sort().join(", ")}`);
  }
  const protectedMetros = plan.metros.filter((m) => m.status === "active").map((m) => m.id);
  out.push(`  protected (refuse deletion until the metro is marked decommissioned): ${protectedMetros.join(", ") || "none"}`);

  out.push("");
  out.push(`Router configs (secrets redacted): ${input.written.length}`);
  out.push(...input.written.map((w) => `  ${w}`));
  if (plan.retiredAllocations.length > 0) {
    out.push("");
    out.push(`Reserved session prefixes of removed legs (kept in the lock): ${plan.retiredAllocations.join(", ")}`);
  }
  if (input.lockNote) {
    out.push("");
    out.push(input.lockNote);
  }
  out.push("");
  out.push(`Planned in ${Math.round(input.elapsedMs)} ms.`);
  return out.join("\n");
}

/** Per session, what its router's platform cannot express (`cannotExpress` of `vendors/<vendor>.ts`). */
export function platformNotes(plan: Plan): string[] {
  return plan.routers.flatMap((r) => {
    const profile = VENDOR_PROFILES[r.vendor];
    return r.sessions.flatMap((s) => profile.cannotExpress(s).map((note) => `${r.hostname} (${profile.name}) ${s.id}: ${note}`));
  });
}
