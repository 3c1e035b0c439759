/**
 * What a change does: the plan of a base (made with the base's own code and inventory) against the
 * plan of the change, both as snapshots (`snapshot.ts`). Azure resources added, changed (property by
 * property, with what forces a replacement) and removed; each router config as a unified diff;
 * policy results new and resolved; and the stack's metros, legs and routers marked added, changed,
 * removed or unchanged, for the diagram.
 *
 * Pure: no Pulumi, no file system, no git. Everything is sorted, so the same snapshots always give
 * the same comparison.
 */
import { createTwoFilesPatch } from "diff";
import type { PlanSnapshot, SnapshotLeg, SnapshotMetro, SnapshotResource, SnapshotViolation } from "./snapshot";

export type Mark = "added" | "removed" | "changed" | "unchanged";

/** One property that differs; `base` or `head` is absent where the property is. */
export interface PropertyChange {
  path: string;
  base?: unknown;
  head?: unknown;
}

export interface ResourceChange {
  type: string;
  name: string;
  base: SnapshotResource;
  head: SnapshotResource;
  /** Input properties that differ, by dotted path (`direct.connections[1].bandwidthInMbps`). */
  inputs: PropertyChange[];
  /** Resource options that differ (`protect`, `retainOnDelete`, …). */
  options: PropertyChange[];
  /** The changed inputs that make Pulumi replace the resource (its Azure id, or create-only). */
  replacedBy: string[];
  /** The changed inputs Pulumi never sends (`ignoreChanges` of the change). */
  ignored: string[];
}

export interface ConfigChange {
  /** `metro/router.ext` */
  file: string;
  kind: "added" | "removed" | "changed";
  /** A unified diff (`--- a/… +++ b/… @@ …`), three lines of context. */
  patch: string;
  linesAdded: number;
  linesRemoved: number;
}

export interface ViolationResult extends SnapshotViolation {
  /** Not in the base's results. */
  isNew: boolean;
}

export interface TopologyLeg {
  name: string;
  mark: Mark;
  /** The leg as the change has it (the base's where it is removed). */
  leg: SnapshotLeg;
}

export interface TopologyRouter {
  hostname: string;
  vendor: string;
  mark: Mark;
}

export interface TopologyMetro {
  id: string;
  /** The metro: changed when anything in it is. */
  mark: Mark;
  /** Microsoft's side of the metro: its Peering. */
  microsoft: Mark;
  metro: SnapshotMetro;
  legs: TopologyLeg[];
  routers: TopologyRouter[];
}

export interface PlanComparison {
  base: PlanSnapshot;
  head: PlanSnapshot;
  resources: { added: SnapshotResource[]; removed: SnapshotResource[]; changed: ResourceChange[]; unchanged: number };
  configs: { changes: ConfigChange[]; unchanged: string[] };
  policies: { results: ViolationResult[]; resolved: SnapshotViolation[] };
  topology: TopologyMetro[];
  /** Nothing differs: resources, configs, policy results, metros and legs, problems. */
  noChange: boolean;
}

/**
 * Inputs that name the Azure resource (path parameters of its REST API, azure-rest-api-specs
 * `Microsoft.Peering/stable/2022-10-01/peering.json`) or that Azure takes only at creation (a
 * Peering's `location`, README "Microsoft's rules"): a change replaces the resource.
 */
export const REPLACING_INPUTS: Readonly<Record<string, readonly string[]>> = {
  "azure-native:peering:PeerAsn": ["peerAsnName"],
  "azure-native:peering:Peering": ["location", "peeringName", "resourceGroupName"],
  "azure-native:peering:RegisteredAsn": ["peeringName", "registeredAsnName", "resourceGroupName"],
  "azure-native:peering:RegisteredPrefix": ["peeringName", "registeredPrefixName", "resourceGroupName"],
};

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);

/** Deep equality of JSON values. */
export function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => sameValue(x, b[i]));
  if (isPlainObject(a) && isPlainObject(b)) {
    const keys = Object.keys(a);
    return keys.length === Object.keys(b).length && keys.every((k) => Object.hasOwn(b, k) && sameValue(a[k], b[k]));
  }
  return false;
}

/**
 * Where two JSON values differ, by path: objects key by key, lists index by index; a value present
 * on one side only is one change at its own path (a new connection is `direct.connections[2]`, not
 * each of its fields).
 */
export function propertyChanges(base: unknown, head: unknown, path = ""): PropertyChange[] {
  if (sameValue(base, head)) return [];
  if (isPlainObject(base) && isPlainObject(head)) {
    const keys = [...new Set([...Object.keys(base), ...Object.keys(head)])].sort();
    return keys.flatMap((k) => {
      const at = path === "" ? k : `${path}.${k}`;
      if (!Object.hasOwn(base, k)) return [{ path: at, head: head[k] }];
      if (!Object.hasOwn(head, k)) return [{ path: at, base: base[k] }];
      return propertyChanges(base[k], head[k], at);
    });
  }
  if (Array.isArray(base) && Array.isArray(head)) {
    return Array.from({ length: Math.max(base.length, head.length) }, (_, i) => i).flatMap((i) => {
      const at = `${path}[${i}]`;
      if (i >= base.length) return [{ path: at, head: head[i] }];
      if (i >= head.length) return [{ path: at, base: base[i] }];
      return propertyChanges(base[i], head[i], at);
    });
  }
  return [{ path, base, head }];
}

const resourceKey = (r: Pick<SnapshotResource, "type" | "name">) => `${r.type}::${r.name}`;
const topLevel = (path: string) => path.split(/[.[]/)[0];

function compareResources(base: readonly SnapshotResource[], head: readonly SnapshotResource[]) {
  const before = new Map(base.map((r) => [resourceKey(r), r]));
  const after = new Map(head.map((r) => [resourceKey(r), r]));
  const order = (a: SnapshotResource, b: SnapshotResource) =>
    a.type.localeCompare(b.type) || a.name.localeCompare(b.name);
  const added = head.filter((r) => !before.has(resourceKey(r))).sort(order);
  const removed = base.filter((r) => !after.has(resourceKey(r))).sort(order);
  const changed: ResourceChange[] = [];
  let unchanged = 0;
  for (const h of [...head].sort(order)) {
    const b = before.get(resourceKey(h));
    if (!b) continue;
    const inputs = propertyChanges(b.inputs, h.inputs);
    const options = propertyChanges(b.options, h.options);
    if (inputs.length === 0 && options.length === 0) {
      unchanged++;
      continue;
    }
    const replacing = REPLACING_INPUTS[h.type] ?? [];
    const ignoredInputs = new Set(h.options.ignoreChanges);
    changed.push({
      type: h.type,
      name: h.name,
      base: b,
      head: h,
      inputs,
      options,
      replacedBy: inputs.map((c) => c.path).filter((p) => replacing.includes(topLevel(p))),
      ignored: inputs.map((c) => c.path).filter((p) => ignoredInputs.has(topLevel(p))),
    });
  }
  return { added, removed, changed, unchanged };
}

/** A unified diff of one file; counts its added and removed lines. */
export function unifiedDiff(file: string, base: string | undefined, head: string | undefined): ConfigChange {
  const patch = createTwoFilesPatch(
    base === undefined ? "/dev/null" : `a/${file}`,
    head === undefined ? "/dev/null" : `b/${file}`,
    base ?? "",
    head ?? "",
    undefined,
    undefined,
    { context: 3 },
  )
    .split("\n")
    // jsdiff starts with a line of `=`; a unified diff starts at `---`.
    .filter((line, i) => !(i === 0 && /^=+$/.test(line)))
    .join("\n")
    .replace(/\n+$/, "\n");
  const lines = patch.split("\n").slice(2);
  return {
    file,
    kind: base === undefined ? "added" : head === undefined ? "removed" : "changed",
    patch,
    linesAdded: lines.filter((l) => l.startsWith("+")).length,
    linesRemoved: lines.filter((l) => l.startsWith("-")).length,
  };
}

function compareConfigs(base: Record<string, string>, head: Record<string, string>) {
  const files = [...new Set([...Object.keys(base), ...Object.keys(head)])].sort();
  const changes: ConfigChange[] = [];
  const unchanged: string[] = [];
  for (const file of files) {
    const b = Object.hasOwn(base, file) ? base[file] : undefined;
    const h = Object.hasOwn(head, file) ? head[file] : undefined;
    if (b === h) unchanged.push(file);
    else changes.push(unifiedDiff(file, b, h));
  }
  return { changes, unchanged };
}

const violationKey = (v: SnapshotViolation) => JSON.stringify([v.policy, v.level, v.resource ?? "", v.message]);
const violationOrder = (a: SnapshotViolation, b: SnapshotViolation) =>
  (a.level === b.level ? 0 : a.level === "mandatory" ? -1 : 1) ||
  a.policy.localeCompare(b.policy) ||
  (a.resource ?? "").localeCompare(b.resource ?? "") ||
  a.message.localeCompare(b.message);

function comparePolicies(base: readonly SnapshotViolation[], head: readonly SnapshotViolation[]) {
  const before = new Set(base.map(violationKey));
  const after = new Set(head.map(violationKey));
  return {
    results: [...head].sort(violationOrder).map((v) => ({ ...v, isNew: !before.has(violationKey(v)) })),
    resolved: base.filter((v) => !after.has(violationKey(v))).sort(violationOrder),
  };
}

function markOf<T>(base: T | undefined, head: T | undefined, same: (b: T, h: T) => boolean): Mark {
  if (base === undefined) return "added";
  if (head === undefined) return "removed";
  return same(base, head) ? "unchanged" : "changed";
}

/** Metros, legs and routers of both plans, each marked; a router is changed when its config or one of its legs is. */
function compareTopology(base: PlanSnapshot, head: PlanSnapshot, changedConfigs: ReadonlySet<string>): TopologyMetro[] {
  const ids = [...new Set([...base.metros, ...head.metros].map((m) => m.id))].sort();
  return ids.map((id) => {
    const b = base.metros.find((m) => m.id === id);
    const h = head.metros.find((m) => m.id === id);
    const metro = (h ?? b) as SnapshotMetro;
    const legNames = [...new Set([...(b?.legs ?? []), ...(h?.legs ?? [])].map((l) => l.name))];
    const legs: TopologyLeg[] = legNames.map((name) => {
      const bl = b?.legs.find((l) => l.name === name);
      const hl = h?.legs.find((l) => l.name === name);
      const mark = markOf(
        bl,
        hl,
        (x, y) => sameValue(x, y) && !(y.config !== undefined && changedConfigs.has(y.config)),
      );
      return { name, mark, leg: (hl ?? bl) as SnapshotLeg };
    });
    // Every router of either plan: a leg moved to another router leaves its old router removed.
    const hostnames = [...new Set([...(b?.legs ?? []), ...(h?.legs ?? [])].map((l) => l.hostname))];
    const routers: TopologyRouter[] = hostnames.map((hostname) => {
      const before = b?.legs.filter((l) => l.hostname === hostname) ?? [];
      const after = h?.legs.filter((l) => l.hostname === hostname) ?? [];
      const own = legs.filter((l) => l.leg.hostname === hostname);
      const mark: Mark =
        before.length === 0
          ? "added"
          : after.length === 0
            ? "removed"
            : own.some((l) => l.mark !== "unchanged") || before.length !== after.length
              ? "changed"
              : "unchanged";
      return { hostname, vendor: [...before, ...after].pop()?.vendor ?? "", mark };
    });
    const metroFieldsSame = (x: SnapshotMetro, y: SnapshotMetro) =>
      sameValue({ ...x, legs: [] }, { ...y, legs: [] }) &&
      legs.every((l) => l.mark === "unchanged") &&
      sameValue(peeringOf(base, id), peeringOf(head, id));
    const microsoft = markOf(peeringOf(base, id), peeringOf(head, id), sameValue);
    return { id, mark: markOf(b, h, metroFieldsSame), microsoft, metro, legs, routers };
  });
}

/** The metro's Peering, found by its `metro` tag (plan/peeringTags.ts). */
function peeringOf(s: PlanSnapshot, metro: string): SnapshotResource | undefined {
  return s.resources.find(
    (r) =>
      r.type === "azure-native:peering:Peering" &&
      (r.inputs.tags as Record<string, unknown> | undefined)?.metro === metro,
  );
}

export function comparePlans(base: PlanSnapshot, head: PlanSnapshot): PlanComparison {
  const resources = compareResources(base.resources, head.resources);
  const configs = compareConfigs(base.configs, head.configs);
  const policies = comparePolicies(base.policies?.violations ?? [], head.policies?.violations ?? []);
  const topology = compareTopology(base, head, new Set(configs.changes.map((c) => c.file)));
  const noChange =
    resources.added.length === 0 &&
    resources.removed.length === 0 &&
    resources.changed.length === 0 &&
    configs.changes.length === 0 &&
    policies.resolved.length === 0 &&
    policies.results.every((v) => !v.isNew) &&
    topology.every((m) => m.mark === "unchanged") &&
    sameValue(base.problems, head.problems);
  return { base, head, resources, configs, policies, topology, noChange };
}
