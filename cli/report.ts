/**
 * The offline plan's report: what an engineer pastes into a change ticket. Plain text, fixed
 * columns, no secrets (MD5 keys appear only by their config name).
 */
import { LIFECYCLE } from "../plan/lifecycle";
import { legsInOrder, isAddressed, type Plan } from "../plan/model";
import { stackPaths } from "../load/stackPaths";
import { VENDOR_PROFILES } from "../vendors";
import type { RecordedResource } from "./declared";

export interface PlanReportInput {
  plan: Plan;
  resources: RecordedResource[];
  written: string[];
  lockNote: string;
  elapsedMs: number;
}

export function table(header: string[], rows: string[][]): string[] {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i]))
      .join("  ")
      .trimEnd();
  return [line(header), line(widths.map((w) => "-".repeat(w))), ...rows.map(line)];
}

function gbps(mbps: number): string {
  return `${mbps / 1000}G`;
}

export function formatPlanReport(input: PlanReportInput): string {
  const { plan } = input;
  const legs = plan.metros.flatMap((m) => legsInOrder(m));
  const out: string[] = [];
  out.push(`Offline plan of stack "${plan.stack}": ${plan.sp.name}, AS${plan.sp.asn}`);
  out.push(
    `${plan.metros.length} metros, ${legs.length} legs, ${plan.routers.length} routers, ${plan.sessions.length} BGP sessions to Microsoft AS8075; ` +
      `${plan.sp.prefixes.length} registered prefixes: ${plan.sp.prefixes.map((p) => `${p.prefix} (AS${p.originAsn})`).join(", ")}`,
  );
  out.push(
    `PeerAsn AS${plan.sp.asn} "${plan.sp.name}": ${plan.sp.peerAsnValidationState}${plan.sp.peerAsnApproved ? "" : " (no peering is declared until it is Approved)"}. ` +
      `Sent to Azure only when it is created: Azure does not support modifying a PeerAsn; to change its name or contacts ask Microsoft (peering@microsoft.com).`,
  );
  for (const metro of plan.metros) {
    out.push("");
    const rules = LIFECYCLE[metro.status];
    out.push(
      `Metro ${metro.id}: Azure peering location ${metro.peeringLocation}, PeeringDB facility ${metro.peeringDbFacilityId}, region ${metro.region}, ${metro.status}: ${rules.meaning}` +
        (LIFECYCLE[metro.status].declared && !metro.declared ? " (not declared yet: the PeerAsn is not approved)" : ""),
    );
    const rows = legsInOrder(metro).flatMap((l) => {
      const leg = [
        l.name,
        l.status,
        l.hostname,
        l.vendor,
        l.interface,
        `${l.members.length}x${l.portGbps}G=${gbps(l.bandwidthMbps)}`,
      ];
      const md5 = l.md5KeySecret ? `secret:${l.md5KeySecret}` : "-";
      if (!isAddressed(l))
        return [[...leg, "-", "waiting for Microsoft's addresses", "-", "-", "-", md5, String(l.maxPrefixLimit.ipv4)]];
      return l.sessions.map((s) => [
        ...leg,
        s.afi,
        s.sessionPrefix,
        s.peerAddress,
        s.localAddress,
        l[s.afi].origin,
        md5,
        String(s.maxPrefix.limit),
      ]);
    });
    out.push(
      ...table(
        [
          "leg",
          "state",
          "router",
          "vendor",
          "bundle",
          "LAG",
          "afi",
          "session prefix",
          "Microsoft",
          "SP",
          "address",
          "MD5",
          "max-prefix",
        ],
        rows,
      ).map((l) => `  ${l}`),
    );
    const drained = legsInOrder(metro).filter((l) => l.drain && LIFECYCLE[l.status].rendered);
    if (drained.length > 0) {
      out.push(
        `  DRAINED (RFC 8326 graceful shutdown: announced with 65535:0, learned at local-pref 0): ${drained.map((l) => `leg ${l.name} on ${l.hostname}`).join(", ")}`,
      );
    }
    const unrendered = legsInOrder(metro).filter((l) => !LIFECYCLE[l.status].rendered);
    if (unrendered.length > 0) {
      out.push(
        `  no router config for ${unrendered.map((l) => `leg ${l.name} (${l.status})`).join(", ")}: rendered from provisioning on`,
      );
    }
    const agreed = legsInOrder(metro).filter((l) => l.md5Agreement !== undefined);
    for (const l of agreed)
      out.push(
        `  MD5 on leg ${l.name}: an exception Microsoft agreed to (its peering policy says MD5 isn't supported): ${l.md5Agreement}`,
      );
  }

  if (plan.registrations.length > 0) {
    out.push("");
    out.push(
      "Registrations (each once, on its home peering; announced at every metro; the prefix key serves every location):",
    );
    const lock = stackPaths(plan.stack).lock;
    const rows = plan.registrations.map((r) => [
      r.key,
      r.kind === "prefix" ? `AS${r.asn}` : "-",
      r.home ?? "-",
      r.state,
      r.home === undefined ? "-" : r.protect ? "protected" : "unprotected",
      r.reason,
    ]);
    out.push(...table(["registration", "origin", "home", "state", "protection", "why"], rows).map((l) => `  ${l}`));
    for (const r of plan.registrations.filter((x) => x.state === "moving")) {
      out.push(
        `  MOVE ${r.key}: pulumi up deletes its registration${r.pinned ? ` at ${r.pinned}` : ""}, then registers it at ${r.home} (unprotected while it moves; expect a new prefix key for customers). ` +
          `After pulumi up, pin the new home: write \`${r.key}: ${r.home}\` under ${r.kind === "prefix" ? "registeredPrefixes" : "registeredAsns"} in ${lock}.`,
      );
    }
  }

  if (plan.waiting.length > 0) {
    out.push("");
    out.push("Waiting:");
    out.push(
      ...table(
        ["what", "waits for", "next"],
        plan.waiting.map((w) => [w.subject, w.waitsFor, w.next]),
      ).map((l) => `  ${l}`),
    );
  }

  const notes = platformNotes(plan);
  if (notes.length > 0) {
    out.push("");
    out.push("Where a platform cannot say exactly what the plan says (README, Router configs):");
    out.push(...notes.map((n) => `  ${n}`));
  }

  const prerequisites = prerequisiteLines(plan);
  if (prerequisites.length > 0) {
    out.push("");
    out.push(
      "Router-wide prerequisites (README, Ownership and merge): the product never changes these silently. CONFIRM each on its router before the first push; SET BY PRODUCT ones are in its config because the inventory's routerWide hands them over:",
    );
    out.push(...prerequisites.map((n) => `  ${n}`));
  }

  out.push("");
  const custom = input.resources.filter((r) => r.custom);
  out.push(
    `Resources pulumi preview would declare: ${custom.length} Azure resources (+ ${input.resources.length - custom.length} components)`,
  );
  const byType = new Map<string, string[]>();
  for (const r of custom) byType.set(r.type, [...(byType.get(r.type) ?? []), r.name]);
  for (const [type, names] of [...byType].sort(([a], [b]) => a.localeCompare(b))) {
    out.push(`  + ${type} x${names.length}: ${names.sort().join(", ")}`);
  }
  const declared = plan.metros.filter((m) => m.declared);
  const protectedMetros = declared.filter((m) => LIFECYCLE[m.status].protect).map((m) => m.id);
  const retained = declared.filter((m) => LIFECYCLE[m.status].retainOnDelete).map((m) => m.id);
  out.push(
    `  protected (pulumi refuses to delete them): the PeerAsn; the peerings of ${protectedMetros.join(", ") || "no metro"}`,
  );
  if (retained.length > 0)
    out.push(
      `  retained on delete (Pulumi forgets them, Microsoft deprovisions them): the peerings of ${retained.join(", ")}`,
    );
  const undeclared = plan.metros.filter((m) => !m.declared).map((m) => `${m.id} (${m.status})`);
  if (undeclared.length > 0) out.push(`  nothing declared for ${undeclared.join(", ")}`);

  out.push("");
  out.push(`Router configs (secrets redacted): ${input.written.length}`);
  out.push(...input.written.map((w) => `  ${w}`));
  if (plan.retiredAllocations.length > 0) {
    out.push("");
    out.push(`Reserved session prefixes of removed legs (kept in the lock): ${plan.retiredAllocations.join(", ")}`);
  }
  if (plan.retiredRegistrations.length > 0) {
    out.push("");
    out.push(
      `Homes of registrations the inventory no longer lists (kept in the lock; remove a line by hand once the registration is gone): ${plan.retiredRegistrations.join(", ")}`,
    );
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
    return r.sessions.flatMap((s) =>
      profile.cannotExpress(s).map((note) => `${r.hostname} (${profile.name}) ${s.id}: ${note}`),
    );
  });
}

/** Per router, what it must have outside the product's config (`prerequisites` of `vendors/<vendor>.ts`). */
export function prerequisiteLines(plan: Plan): string[] {
  return plan.routers.flatMap((r) =>
    VENDOR_PROFILES[r.vendor]
      .prerequisites(r)
      .flatMap((p) => [
        `${r.hostname} (${VENDOR_PROFILES[r.vendor].name}) ${p.setByProduct ? "SET BY PRODUCT" : "CONFIRM"}: ${p.what}${!p.setByProduct && p.key !== undefined ? ` (or hand it to the product: routerWide.${p.key} in ${r.legs[0].source.file})` : ""}`,
        ...p.lines.map((l) => `    ${l}`),
        `    why: ${p.why}`,
      ]),
  );
}
