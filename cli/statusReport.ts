/**
 * The status report as an engineer reads it (a table fit to paste into a change ticket) or as a
 * program reads it (`--json`). Prefix keys are secrets (the SP hands each to its customers): both
 * show `REDACTED` unless the caller asks for them (`--show-secrets`). MD5 keys never reach the
 * report at all (the snapshot does not read them).
 *
 * Pure: no I/O.
 */
import { table } from "./report";
import type { Edit, Finding, LegStatus, StatusReport } from "../status/compare";

export const REDACTED = "REDACTED";

/** The report with every prefix key replaced by `REDACTED`, unless `showSecrets`. */
export function redact(report: StatusReport, showSecrets: boolean): StatusReport {
  if (showSecrets) return report;
  return {
    ...report,
    registrations: report.registrations.map((r) => ({
      ...r,
      azure: r.azure.map((a) => (a.prefixKey !== undefined ? { ...a, prefixKey: REDACTED } : a)),
    })),
  };
}

/** The process's exit code: 0 in sync, 1 when Azure and the inventory disagree (2 is for errors, in the CLI). */
export function exitCodeOf(report: StatusReport): 0 | 1 {
  return report.inSync ? 0 : 1;
}

export function statusJson(report: StatusReport, showSecrets: boolean): string {
  return JSON.stringify({ ...redact(report, showSecrets), exitCode: exitCodeOf(report) }, null, 2);
}

const gbps = (mbps: number | undefined) => (mbps === undefined ? "-" : `${mbps / 1000}G`);

/** `write \`status: active\` at stacks/lab/metros/frankfurt.yaml:9` */
export function formatEdit(e: Edit): string {
  const where = e.line !== undefined ? `${e.file}:${e.line}` : e.file;
  return e.action === "replace"
    ? `write \`${e.text}\` at ${where}`
    : `add \`${e.text}\` to ${e.at ?? "the entry"} at ${where}`;
}

function findingLine(f: Finding): string[] {
  return [
    `  ${`[${f.severity}]`.padEnd(9)} ${f.subject}: ${f.observed}. Next: ${f.next}`,
    ...(f.edit ? [`            ${formatEdit(f.edit)}`] : []),
  ];
}

function legRow(l: LegStatus): string[] {
  const c = l.azure;
  return [
    l.name,
    l.status,
    l.router,
    c?.state ?? "-",
    c?.ipv4.state ?? "-",
    c?.ipv6.state ?? "-",
    c
      ? `${gbps(c.provisionedBandwidthMbps)} of ${gbps(c.bandwidthMbps ?? l.bandwidthMbps)}`
      : `- of ${gbps(l.bandwidthMbps)}`,
    c?.ipv4.microsoft ?? "-",
    c?.ipv6.microsoft ?? "-",
    l.severity,
  ];
}

export function formatStatusTable(input: StatusReport, showSecrets: boolean): string {
  const report = redact(input, showSecrets);
  const out: string[] = [];
  out.push(`Azure status of stack "${report.stack}": ${report.spName}, AS${report.asn}`);
  out.push(
    `Read from ${report.endpoint}, api-version ${report.apiVersion}, subscription ${report.subscription}, resource group ${report.resourceGroup}`,
  );
  const pa = report.peerAsn;
  out.push("");
  out.push(
    `PeerAsn AS${pa.asn}${pa.azure ? ` (${pa.azure.name})` : ""}: ${pa.azure ? `${pa.azure.validationState ?? "no validationState"} in Azure` : "not in Azure"}, ${pa.inventory} in the inventory: ${pa.severity}`,
  );

  for (const m of report.metros) {
    out.push("");
    const azure = m.azure
      ? `peering ${m.peeringName} at ${m.azure.peeringLocation ?? "?"} (${m.azure.provisioningState ?? "?"})`
      : m.declared
        ? `peering ${m.peeringName} not in Azure`
        : "nothing declared";
    out.push(`Metro ${m.id}: ${m.status}; ${azure}: ${m.severity}`);
    out.push(
      ...table(
        [
          "leg",
          "state",
          "router",
          "connection",
          "IPv4 session",
          "IPv6 session",
          "bandwidth",
          "Microsoft IPv4",
          "Microsoft IPv6",
          "verdict",
        ],
        m.legs.map(legRow),
      ).map((l) => `  ${l}`),
    );
    for (const c of m.extraConnections)
      out.push(`  + connection #${c.position + 1} in Azure only: ${c.identifier ?? "-"}, ${c.state ?? "-"}`);
    out.push(`  next: ${m.next}`);
  }

  if (report.registrations.length > 0) {
    out.push("");
    out.push(
      `Registrations (each once, on its home peering${showSecrets ? "; prefix keys shown: handle with care" : "; prefix keys redacted, --show-secrets shows them"}):`,
    );
    const rows = report.registrations.map((r) => [
      r.key,
      r.kind,
      r.home ?? `- (${r.state})`,
      r.azure.map((a) => a.metro ?? a.peering).join(", ") || "-",
      r.kind === "prefix"
        ? r.azure.map((a) => a.validationState ?? "-").join(", ") || "-"
        : r.azure.map((a) => a.provisioningState ?? "-").join(", ") || "-",
      r.azure.map((a) => a.prefixKey ?? "-").join(", ") || "-",
      r.severity,
    ]);
    out.push(
      ...table(["registration", "kind", "home", "in Azure", "validation", "prefix key", "verdict"], rows).map(
        (l) => `  ${l}`,
      ),
    );
  }
  if (report.otherPeerings.length > 0) {
    out.push("");
    out.push(`Other peerings in ${report.resourceGroup} (not this stack's): ${report.otherPeerings.join(", ")}`);
  }

  const acting = report.findings.filter((f) => f.severity === "drift" || f.severity === "problem");
  const waiting = report.findings.filter((f) => f.severity === "waiting");
  if (acting.length > 0) {
    out.push("");
    out.push("Next steps:");
    out.push(...acting.flatMap(findingLine));
  }
  if (waiting.length > 0) {
    out.push("");
    out.push("Waiting (nothing to change now):");
    out.push(
      ...waiting.map((f) => `  ${f.subject}: ${f.observed}. ${f.next.charAt(0).toUpperCase()}${f.next.slice(1)}`),
    );
  }
  out.push("");
  const problems = acting.filter((f) => f.severity === "problem").length;
  const drift = acting.length - problems;
  out.push(
    report.inSync
      ? "In sync: Azure agrees with the inventory (exit 0)."
      : `Not in sync: ${[drift > 0 ? `${drift} disagreement${drift === 1 ? "" : "s"}` : "", problems > 0 ? `${problems} problem${problems === 1 ? "" : "s"} reported by Azure` : ""].filter(Boolean).join(", ")} (exit 1).`,
  );
  return out.join("\n");
}
