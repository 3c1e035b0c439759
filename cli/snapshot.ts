/**
 * Builds the machine-readable plan (`gitops/snapshot.ts`) from an offline plan run: the custom
 * resources with their inputs and options (secret values replaced by REDACTED, as in the review
 * configs), the review configs, each metro and leg as planned, and the policy pack's verdict.
 */
import { LIFECYCLE } from "../plan/lifecycle";
import { isAddressed, legsInOrder, type Plan } from "../plan/model";
import { REDACTED_SECRET } from "../render";
import { configFileName } from "../vendors";
import {
  SNAPSHOT_FORMAT,
  SNAPSHOT_VERSION,
  sortKeys,
  type PlanSnapshot,
  type SnapshotMetro,
  type SnapshotResource,
} from "../gitops/snapshot";
import { isSecretEnvelope, type Violation } from "../policies/run";
import { PROJECT, type RecordedResource } from "./declared";

/**
 * Properties that hold a secret wherever they appear: azure-native `peering`'s MD5 key; a push
 * command's SSH private key (`remote.Command` connection, `local.Command` environment).
 */
const SECRET_PROPERTIES: ReadonlySet<string> = new Set(["md5AuthenticationKey", "privateKey", "PAC_SSH_KEY"]);

/**
 * Inputs with every secret value replaced by REDACTED: a snapshot is written to files and PR
 * comments. Pulumi marks the whole top-level input secret when anything inside it is (`direct` of a
 * Peering with one MD5 key), so hiding the whole input would hide every connection's changes too: a
 * secret scalar is hidden whole, a secret object or list only where it holds a secret, that is the
 * properties that hold secrets and any string containing a secret value the program read (`secrets`).
 */
export function redactSecrets(v: unknown, secrets: readonly string[], key = ""): unknown {
  if (isSecretEnvelope(v)) {
    const inner = v.value;
    return typeof inner === "object" && inner !== null ? redactSecrets(inner, secrets, key) : REDACTED_SECRET;
  }
  if (Array.isArray(v)) return v.map((x) => redactSecrets(x, secrets, key));
  if (typeof v === "object" && v !== null)
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, redactSecrets(x, secrets, k)]));
  if (SECRET_PROPERTIES.has(key)) return REDACTED_SECRET;
  if (typeof v === "string" && secrets.some((s) => s !== "" && v.includes(s))) return REDACTED_SECRET;
  return v;
}

/**
 * The secret values the program reads (each leg's MD5 key, from the stack config as
 * `readStackConfig` gives it, `<project>:<key>`), so that a snapshot can be checked never to carry one.
 */
export function secretValuesOf(plan: Plan, config: Readonly<Record<string, string>>): string[] {
  const names = [...new Set(plan.metros.flatMap((m) => legsInOrder(m).flatMap((l) => l.md5KeySecret ?? [])))];
  return names.flatMap((n) => config[`${PROJECT}:${n}`] ?? []).sort();
}

/** Thrown when a snapshot would carry a secret value: a bug, never written. */
export function assertNoSecret(text: string, secrets: readonly string[]): void {
  if (secrets.some((s) => s !== "" && text.includes(s)))
    throw new Error("internal: the plan snapshot would carry a secret value; nothing was written");
}

export function snapshotResources(
  resources: readonly RecordedResource[],
  secrets: readonly string[],
): SnapshotResource[] {
  return resources
    .filter((r) => r.custom)
    .map((r) => ({
      type: r.type,
      name: r.name,
      inputs: sortKeys(redactSecrets(r.inputs, secrets)) as Record<string, unknown>,
      options: {
        protect: r.options.protect,
        retainOnDelete: r.options.retainOnDelete,
        deleteBeforeReplace: r.options.deleteBeforeReplace,
        ignoreChanges: [...r.options.ignoreChanges].sort(),
        additionalSecretOutputs: [...r.options.additionalSecretOutputs].sort(),
      },
    }))
    .sort((a, b) => a.type.localeCompare(b.type) || a.name.localeCompare(b.name));
}

export function snapshotMetros(plan: Plan): SnapshotMetro[] {
  return plan.metros.map((m) => ({
    id: m.id,
    peeringLocation: m.peeringLocation,
    peeringDbFacilityId: m.peeringDbFacilityId,
    region: m.region,
    status: m.status,
    declared: m.declared,
    legs: legsInOrder(m).map((l) => ({
      name: l.name,
      status: l.status,
      hostname: l.hostname,
      vendor: l.vendor,
      interface: l.interface,
      members: l.members.length,
      portGbps: l.portGbps,
      bandwidthMbps: l.bandwidthMbps,
      drain: l.drain,
      ...(isAddressed(l) ? { ipv4: l.ipv4.prefix, ipv6: l.ipv6.prefix } : {}),
      ...(isAddressed(l) && LIFECYCLE[l.status].rendered
        ? { config: `${m.id}/${configFileName(l.hostname, l.vendor)}` }
        : {}),
    })),
  }));
}

/** The resource name a violation's URN ends with (`urn:pulumi:<stack>::<project>::<type>::<name>`). */
function resourceOf(urn: string | undefined): string | undefined {
  return urn === undefined ? undefined : urn.split("::").slice(3).join("::");
}

export interface SnapshotInput {
  stack: string;
  plan: Plan;
  resources: readonly RecordedResource[];
  reviewConfigs: Record<string, string>;
  policies: { ran: number; violations: readonly Violation[] };
  /** The secret values the program read (MD5 keys): never in a snapshot. */
  secrets: readonly string[];
}

export function planSnapshot(input: SnapshotInput): PlanSnapshot {
  const { plan } = input;
  return {
    format: SNAPSHOT_FORMAT,
    version: SNAPSHOT_VERSION,
    stack: input.stack,
    problems: [],
    sp: { name: plan.sp.name, asn: plan.sp.asn },
    metros: snapshotMetros(plan),
    resources: snapshotResources(input.resources, input.secrets),
    configs: Object.fromEntries(Object.entries(input.reviewConfigs).sort(([a], [b]) => a.localeCompare(b))),
    policies: {
      ran: input.policies.ran,
      violations: input.policies.violations.map((v) => ({
        policy: v.policy,
        level: v.enforcementLevel,
        ...(resourceOf(v.urn) !== undefined ? { resource: resourceOf(v.urn) } : {}),
        message: v.message,
      })),
    },
    newAllocations: [...plan.newAllocations],
  };
}

/** The snapshot of a stack that could not be planned: its problems, nothing declared. */
export function failedSnapshot(stack: string, problems: readonly string[]): PlanSnapshot {
  return {
    format: SNAPSHOT_FORMAT,
    version: SNAPSHOT_VERSION,
    stack,
    problems: [...problems],
    metros: [],
    resources: [],
    configs: {},
    newAllocations: [],
  };
}
