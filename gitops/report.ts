/**
 * The change report: a comparison (`compare.ts`) as Markdown fit for a pull-request comment and a
 * job summary. Azure resources added, changed (property by property) and removed; per router a
 * unified diff of its rendered config (secrets were redacted in the snapshots); policy results,
 * marked new where the base did not have them; the stack as a Mermaid diagram with the change
 * highlighted; and "No change" when nothing differs.
 *
 * Pure and stable: the same comparison and context give the same bytes (no clock, no paths).
 * `maxChars` fits it into a comment (GitHub refuses comments over 65,536 characters): the largest
 * config diffs, then the inputs of new resources, are left out first, each saying so.
 */
import { stringify } from "yaml";
import { plural } from "../cli/text";
import type { ConfigChange, PlanComparison, PropertyChange, ResourceChange } from "./compare";
import { MERMAID_LEGEND, mermaidLines } from "./mermaid";
import type { PlanSnapshot, SnapshotResource, SnapshotViolation } from "./snapshot";

/** Where the two plans come from, as the report's first lines say it. */
export interface ReportContext {
  stack: string;
  /** The base as given (`main`, `origin/main`) and the commit it named. */
  baseRef: string;
  baseCommit: string;
  /** What the change is: `the working tree at 1a2b3c4 (with uncommitted changes)`. */
  head: string;
}

export interface ReportOptions {
  /** At most this many characters (0: no limit). */
  maxChars?: number;
}

/** The first line of every report: the PR workflow finds its own comment by it, to update it. */
export function reportMarker(stack: string): string {
  return `<!-- peering-as-code change report: stack ${stack} -->`;
}

/** GitHub's limit on a comment's body, less room for the workflow's own lines. */
export const COMMENT_MAX_CHARS = 60_000;

const code = (text: string) => `\`${text}\``;
/** A JSON value in a table cell: inline code, pipes escaped (GFM reads `\|` as a pipe inside a cell). */
const cell = (value: unknown) => (value === undefined ? "(none)" : code(JSON.stringify(value).replace(/\|/g, "\\|")));
const shortType = (type: string) => type.split(":").pop() ?? type;

/** A code fence longer than any run of backticks in the text, so nothing inside can close it. */
function fenced(info: string, text: string): string[] {
  const longest = Math.max(0, ...(text.match(/`+/g) ?? []).map((r) => r.length));
  const fence = "`".repeat(Math.max(3, longest + 1));
  return [`${fence}${info}`, ...text.replace(/\n$/, "").split("\n"), fence];
}

function details(summary: string, body: string[], open = false): string[] {
  return [`<details${open ? " open" : ""}><summary>${summary}</summary>`, "", ...body, "", "</details>", ""];
}

/** What a resource is, in a few words: where a Peering is and how many legs, which prefix is registered where. */
function describe(r: SnapshotResource): string {
  const i = r.inputs;
  const tags = (i.tags ?? {}) as Record<string, unknown>;
  switch (r.type) {
    case "azure-native:peering:Peering": {
      const direct = i.direct as { connections?: unknown[] } | undefined;
      const n = Array.isArray(direct?.connections) ? direct.connections.length : 0;
      return `${String(i.peeringLocation)}, ${plural(n, "connection")}, metro ${String(tags.metro)} ${String(tags.status)}`;
    }
    case "azure-native:peering:RegisteredPrefix":
      return `${String(i.prefix)} on ${String(i.peeringName)}`;
    case "azure-native:peering:RegisteredAsn":
      return `AS${String(i.asn)} on ${String(i.peeringName)}`;
    case "azure-native:peering:PeerAsn":
      return `AS${String(i.peerAsn)} ${String(i.peerName)}`;
    default:
      return "";
  }
}

function summaryLine(c: PlanComparison): string {
  const r = c.resources;
  const metros = (mark: "added" | "removed") =>
    c.topology.filter((m) => m.mark === mark).map((m) => `${m.id} (${m.metro.status})`);
  const parts = [
    ...(metros("added").length > 0 ? [`metros added: ${metros("added").join(", ")}`] : []),
    ...(metros("removed").length > 0 ? [`metros removed: ${metros("removed").join(", ")}`] : []),
    `Azure: ${r.added.length} to add, ${r.changed.length} to change, ${r.removed.length} to remove`,
    `router configs: ${count(c.configs.changes, "added")} new, ${count(c.configs.changes, "changed")} changed, ${count(c.configs.changes, "removed")} removed, ${c.configs.unchanged.length} unchanged`,
    `policies: ${verdict(c.head)}`,
  ];
  return `**${parts.join(" · ")}**`;
}

const count = (changes: readonly ConfigChange[], kind: ConfigChange["kind"]) =>
  changes.filter((x) => x.kind === kind).length;

function verdict(s: PlanSnapshot): string {
  if (!s.policies) return "not run (nothing was planned)";
  const mandatory = s.policies.violations.filter((v) => v.level === "mandatory").length;
  const advisory = s.policies.violations.length - mandatory;
  return mandatory > 0
    ? `FAIL, ${plural(mandatory, "mandatory violation")} (${s.policies.ran} run, ${advisory} advisory)`
    : `pass (${s.policies.ran} run, ${advisory} advisory)`;
}

function problemsSection(c: PlanComparison, ctx: ReportContext): string[] {
  const out: string[] = [];
  if (c.head.problems.length > 0) {
    out.push(
      `### The plan of this change fails: ${plural(c.head.problems.length, "problem")}`,
      "",
      "Nothing of this change can be planned until they are fixed; each names the file, the field and the fix.",
      "",
      ...fenced("", c.head.problems.join("\n")),
      "",
    );
  }
  if (c.base.problems.length > 0) {
    out.push(
      `> The plan of the base (${code(ctx.baseRef)}) did not succeed (${plural(c.base.problems.length, "problem")}): everything below is compared with nothing. ${c.base.problems[0]}`,
      "",
    );
  }
  if (c.head.newAllocations.length > 0) {
    out.push(
      `> The allocation lock is out of date: ${plural(c.head.newAllocations.length, "new allocation")} (${c.head.newAllocations.join("; ")}). Run ${code(`npm run plan -- --stack ${ctx.stack}`)} and commit ${code(`stacks/${ctx.stack}/allocations.lock.yaml`)} with the change.`,
      "",
    );
  }
  return out;
}

function propertyTable(changes: readonly PropertyChange[], note: (path: string) => string): string[] {
  return [
    "| property | base | this change |",
    "| --- | --- | --- |",
    ...changes.map((p) => `| ${code(p.path)}${note(p.path)} | ${cell(p.base)} | ${cell(p.head)} |`),
  ];
}

function changedResource(r: ResourceChange): string[] {
  const out = [`**~ ${code(r.name)}** (${code(r.type)})`, ""];
  if (r.replacedBy.length > 0)
    out.push(
      `Pulumi **replaces** it: ${r.replacedBy.map(code).join(", ")} ${r.replacedBy.length === 1 ? "names the Azure resource or is" : "name the Azure resource or are"} taken only at its creation.${r.base.options.protect || r.head.options.protect ? " It is protected: `pulumi up` refuses until the protection is lifted." : ""}`,
      "",
    );
  if (r.ignored.length > 0)
    out.push(`Never sent to Azure (${code("ignoreChanges")}): ${r.ignored.map(code).join(", ")}.`, "");
  const replaced = new Set(r.replacedBy);
  const ignored = new Set(r.ignored);
  const rows = [
    ...propertyTable(r.inputs, (p) => (replaced.has(p) ? " (replaces)" : ignored.has(p) ? " (ignored)" : "")),
    ...r.options.map((p) => `| ${code(p.path)} (resource option) | ${cell(p.base)} | ${cell(p.head)} |`),
  ];
  out.push(...rows, "");
  return out;
}

function resourcesSection(c: PlanComparison, omitted: ReadonlySet<string>): string[] {
  const r = c.resources;
  const out = ["### Azure resources", ""];
  if (r.added.length + r.removed.length + r.changed.length === 0) {
    out.push(`No change to the ${plural(r.unchanged, "Azure resource")} the stack declares.`, "");
    return out;
  }
  out.push("| | resource | type | what |", "| --- | --- | --- | --- |");
  for (const x of r.added) out.push(`| + | ${code(x.name)} | ${code(shortType(x.type))} | ${describe(x)} |`);
  for (const x of r.changed)
    out.push(
      `| ~ | ${code(x.name)} | ${code(shortType(x.type))} | ${plural(x.inputs.length + x.options.length, "property", "properties")} changed${x.replacedBy.length > 0 ? ", **replaced**" : ""} |`,
    );
  for (const x of r.removed) {
    const notes = [
      ...(x.options.protect ? ["protected: `pulumi up` refuses to delete it until it is unprotected"] : []),
      ...(x.options.retainOnDelete ? ["retained on delete: Pulumi forgets it, Azure keeps it"] : []),
    ];
    out.push(
      `| − | ${code(x.name)} | ${code(shortType(x.type))} | ${describe(x)}${notes.length > 0 ? `; ${notes.join("; ")}` : ""} |`,
    );
  }
  out.push("", `Unchanged: ${plural(r.unchanged, "resource")}.`, "");
  for (const x of r.added) {
    const key = `inputs:${x.type}::${x.name}`;
    const summary = `<b>+</b> <code>${x.name}</code>: what <code>pulumi up</code> would send`;
    out.push(
      ...(omitted.has(key)
        ? [`${summary.replace(/<\/?b>|<\/?code>/g, "")}: left out to fit a comment (see the job summary).`, ""]
        : details(summary, fenced("yaml", stringify({ inputs: x.inputs, options: x.options })))),
    );
  }
  for (const x of r.changed) out.push(...changedResource(x));
  return out;
}

function configsSection(c: PlanComparison, omitted: ReadonlySet<string>): string[] {
  const out = ["### Router configs", ""];
  // A removed config's router is found in the base.
  const legs = [...c.head.metros, ...c.base.metros].flatMap((m) => m.legs);
  const routerOf = (file: string) => legs.find((l) => l.config === file);
  const kinds: Record<ConfigChange["kind"], string> = { added: "new", changed: "changed", removed: "removed" };
  if (c.configs.changes.length === 0) out.push("No router config changes.", "");
  for (const change of c.configs.changes) {
    const router = routerOf(change.file);
    const who = router ? ` (${router.hostname}, ${router.vendor})` : "";
    const summary = `<b>${kinds[change.kind]}</b> <code>${change.file}</code>${who}: +${change.linesAdded} −${change.linesRemoved}`;
    if (omitted.has(`config:${change.file}`)) {
      out.push(
        `- ${kinds[change.kind]} ${code(change.file)}${who}: +${change.linesAdded} −${change.linesRemoved}; the diff is left out to fit a comment (see the job summary).`,
        "",
      );
      continue;
    }
    out.push(...details(summary, fenced("diff", change.patch), change.linesAdded + change.linesRemoved <= 40));
  }
  const waiting = c.topology.flatMap((m) =>
    m.mark === "removed"
      ? []
      : m.legs
          .filter((l) => l.mark !== "removed" && l.leg.config === undefined)
          .map((l) => `${l.leg.hostname} (${m.id} leg ${l.name}, ${l.leg.status})`),
  );
  if (waiting.length > 0)
    out.push(
      `No router config yet: ${waiting.join(", ")}. A leg gets its config once it is provisioning and its session addresses are known (README, Metro lifecycle).`,
      "",
    );
  if (c.configs.unchanged.length > 0)
    out.push(
      `Unchanged: ${plural(c.configs.unchanged.length, "router config")} (${c.configs.unchanged.map(code).join(", ")}).`,
      "",
    );
  return out;
}

function policiesSection(c: PlanComparison): string[] {
  const out = ["### Policies", "", `This change: ${verdict(c.head)}; base: ${verdict(c.base)}.`, ""];
  const row = (v: SnapshotViolation, since: string) =>
    `| ${v.level} | ${code(v.policy)} | ${v.resource ? code(v.resource) : ""} | ${v.message.replace(/\|/g, "\\|")} | ${since} |`;
  if (c.policies.results.length > 0) {
    out.push(
      "| level | policy | resource | message | since base |",
      "| --- | --- | --- | --- | --- |",
      ...c.policies.results.map((v) => row(v, v.isNew ? "**new**" : "unchanged")),
      "",
    );
  }
  if (c.policies.resolved.length > 0) {
    out.push(
      `Resolved by this change (${plural(c.policies.resolved.length, "violation")}):`,
      "",
      "| level | policy | resource | message | since base |",
      "| --- | --- | --- | --- | --- |",
      ...c.policies.resolved.map((v) => row(v, "resolved")),
      "",
    );
  }
  return out;
}

function topologySection(c: PlanComparison): string[] {
  if (c.topology.length === 0) return [];
  return [
    "### Metros, legs and routers",
    "",
    ...fenced("mermaid", mermaidLines(c.topology).join("\n")),
    "",
    `<sub>${MERMAID_LEGEND}</sub>`,
    "",
  ];
}

function render(c: PlanComparison, ctx: ReportContext, omitted: ReadonlySet<string>): string {
  return `${sections(c, ctx, omitted).join("\n").replace(/\n+$/, "")}\n`;
}

function sections(c: PlanComparison, ctx: ReportContext, omitted: ReadonlySet<string>): string[] {
  const head = [
    reportMarker(ctx.stack),
    `## Change report: stack ${code(ctx.stack)}`,
    "",
    `Base ${code(ctx.baseRef)} (${code(ctx.baseCommit.slice(0, 12))}), planned with its own code and inventory, against ${ctx.head}. Both plans are offline (Pulumi's mock runtime, the same policy pack in-process); secrets are redacted.`,
    "",
  ];
  if (c.noChange) {
    return [
      ...head,
      `**No change.** The plan of this change is the plan of the base: no Azure resource, router config, metro, leg or policy result differs (policies: ${verdict(c.head)}).`,
      "",
      ...problemsSection(c, ctx),
    ];
  }
  return [
    ...head,
    summaryLine(c),
    "",
    ...problemsSection(c, ctx),
    ...resourcesSection(c, omitted),
    ...configsSection(c, omitted),
    ...policiesSection(c),
    ...topologySection(c),
  ];
}

/**
 * The report. With `maxChars`, the largest config diffs are left out first, then the inputs of new
 * resources, until it fits; if even that is too long, it is cut and says so.
 */
export function changeReport(c: PlanComparison, ctx: ReportContext, options: ReportOptions = {}): string {
  const max = options.maxChars ?? 0;
  const omitted = new Set<string>();
  let text = render(c, ctx, omitted);
  if (max <= 0 || text.length <= max) return text;
  const candidates = [
    ...[...c.configs.changes]
      .sort((a, b) => b.patch.length - a.patch.length || a.file.localeCompare(b.file))
      .map((x) => `config:${x.file}`),
    ...c.resources.added.map((x) => `inputs:${x.type}::${x.name}`),
  ];
  for (const key of candidates) {
    omitted.add(key);
    text = render(c, ctx, omitted);
    if (text.length <= max) return text;
  }
  const note = "\n\n… (cut to fit a comment: the whole report is in the job summary)\n";
  return text.slice(0, max - note.length) + note;
}
