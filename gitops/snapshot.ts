/**
 * The machine-readable plan (`npm run plan -- --json <file>`): what the offline plan declared, in a
 * form another checkout of the project can read back. `npm run diff` runs the plan of a base ref with
 * that ref's own code and compares its snapshot with the working tree's, so the shape is a contract
 * between versions of the project: it carries its format and version, and a reader refuses what it
 * does not know instead of guessing.
 *
 * Everything in it is already redacted (MD5 keys are `REDACTED`, as in the review configs) and sorted,
 * so the same inventory and code give the same bytes.
 *
 * Pure: no Pulumi, no file system here (`cli/snapshot.ts` builds one from a plan run).
 */

export const SNAPSHOT_FORMAT = "peering-as-code/plan";
export const SNAPSHOT_VERSION = 1;

/** A custom resource the program declared: what `pulumi preview` would send, secrets redacted. */
export interface SnapshotResource {
  type: string;
  /** The Pulumi resource name (the last part of its URN). */
  name: string;
  /** The declared inputs, keys sorted, secrets replaced by `REDACTED`. */
  inputs: Record<string, unknown>;
  /** The resource options the engine received that change what Pulumi does with it. */
  options: {
    protect: boolean;
    retainOnDelete: boolean;
    deleteBeforeReplace: boolean;
    ignoreChanges: string[];
    additionalSecretOutputs: string[];
  };
}

/** One leg as the plan has it: enough to draw the stack and to tell what changed on it. */
export interface SnapshotLeg {
  name: string;
  status: string;
  hostname: string;
  vendor: string;
  interface: string;
  members: number;
  portGbps: number;
  bandwidthMbps: number;
  drain: boolean;
  /** The session prefixes, once known (Microsoft may still have to assign them). */
  ipv4?: string;
  ipv6?: string;
  /** The router config that carries the leg's sessions (`metro/router.ext`), once rendered. */
  config?: string;
}

export interface SnapshotMetro {
  id: string;
  peeringLocation: string;
  peeringDbFacilityId: number;
  region: string;
  status: string;
  /** The metro's Peering is declared in Azure. */
  declared: boolean;
  legs: SnapshotLeg[];
}

export interface SnapshotViolation {
  policy: string;
  level: "advisory" | "mandatory";
  /** The resource's Pulumi name, for rules that name one. */
  resource?: string;
  message: string;
}

export interface PlanSnapshot {
  format: typeof SNAPSHOT_FORMAT;
  version: typeof SNAPSHOT_VERSION;
  stack: string;
  /** Why nothing was planned (inventory problems, a bad policy config, a missing stack); empty when planned. */
  problems: string[];
  sp?: { name: string; asn: number };
  metros: SnapshotMetro[];
  resources: SnapshotResource[];
  /** `metro/router.ext` → the rendered config, secrets redacted. */
  configs: Record<string, string>;
  /** The policy pack's verdict over the resources; absent when nothing was planned. */
  policies?: { ran: number; violations: SnapshotViolation[] };
  /** Allocations the plan made that the lock does not hold yet (commit the lock with the change). */
  newAllocations: string[];
}

/** A snapshot that cannot be read: its text names why, for the engineer. */
export class SnapshotError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "SnapshotError";
  }
}

/** Objects with their keys sorted, all the way down: the same value always serialises to the same bytes. */
export function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (typeof value === "object" && value !== null)
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((k) => [k, sortKeys((value as Record<string, unknown>)[k])]),
    );
  return value;
}

/** The snapshot's text: sorted keys, two-space indent, a final newline. */
export function formatSnapshot(snapshot: PlanSnapshot): string {
  return `${JSON.stringify(sortKeys(snapshot), null, 2)}\n`;
}

/**
 * Reads a snapshot written by `npm run plan -- --json`, checking its format and version and the
 * shape of what the report reads. `label` says whose it is (`base main`) in the error.
 */
export function parseSnapshot(text: string, label: string): PlanSnapshot {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new SnapshotError(`${label}: the plan is not JSON (${e instanceof Error ? e.message : String(e)})`);
  }
  const doc = value as Partial<PlanSnapshot> | null;
  if (typeof doc !== "object" || doc === null || doc.format !== SNAPSHOT_FORMAT) {
    throw new SnapshotError(`${label}: not a plan snapshot (no "format": "${SNAPSHOT_FORMAT}")`);
  }
  if (doc.version !== SNAPSHOT_VERSION) {
    throw new SnapshotError(
      `${label}: plan snapshot version ${String(doc.version)}, this code reads version ${SNAPSHOT_VERSION}`,
    );
  }
  const shapeProblems = [
    typeof doc.stack === "string" ? undefined : "stack",
    isStringArray(doc.problems) ? undefined : "problems",
    Array.isArray(doc.metros) ? undefined : "metros",
    Array.isArray(doc.resources) && doc.resources.every(isResource) ? undefined : "resources",
    isStringRecord(doc.configs) ? undefined : "configs",
    isStringArray(doc.newAllocations) ? undefined : "newAllocations",
    doc.policies === undefined || (Array.isArray(doc.policies.violations) && typeof doc.policies.ran === "number")
      ? undefined
      : "policies",
  ].filter((x): x is string => x !== undefined);
  if (shapeProblems.length > 0) {
    throw new SnapshotError(`${label}: the plan snapshot's ${shapeProblems.join(", ")} do not have the expected shape`);
  }
  return doc as PlanSnapshot;
}

function isStringArray(v: unknown): v is string[] {
  return Array.isArray(v) && v.every((x) => typeof x === "string");
}

function isStringRecord(v: unknown): v is Record<string, string> {
  return (
    typeof v === "object" && v !== null && !Array.isArray(v) && Object.values(v).every((x) => typeof x === "string")
  );
}

function isResource(v: unknown): v is SnapshotResource {
  const r = v as Partial<SnapshotResource> | null;
  return (
    typeof r === "object" &&
    r !== null &&
    typeof r.type === "string" &&
    typeof r.name === "string" &&
    typeof r.inputs === "object" &&
    typeof r.options === "object"
  );
}
