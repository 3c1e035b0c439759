/**
 * The policy pack in-process: the offline plan applies the same rule objects the engine runs to the
 * resources the program declared under the mock runtime, with the same policy config file, and
 * prints violations the way the Pulumi CLI does.
 */
import * as fs from "fs";
import * as path from "path";
// Pulumi's wire-format constants only: the root module loads TypeScript and npm's arborist (a second).
import { specialSecretSig, specialSigKey } from "@pulumi/pulumi/runtime/rpc";
import {
  configOf,
  configProperties,
  PACK_NAME,
  RULES,
  type EnforcementLevel,
  type PolicyResource,
  type Rule,
} from "./rules";

export const PACK_DIR = __dirname;

/** The pack's name and version, as the CLI shows them (`PolicyPack` name, policies/package.json version). */
export function packIdentity(): string {
  const pkg = JSON.parse(fs.readFileSync(path.join(PACK_DIR, "package.json"), "utf8")) as { version?: unknown };
  return `${PACK_NAME} v${typeof pkg.version === "string" ? pkg.version : "0.0.0"}`;
}

/** A resource as the mock runtime recorded it: inputs may still carry Pulumi's secret markers. */
export interface DeclaredResource {
  type: string;
  name: string;
  urn: string;
  inputs: Record<string, unknown>;
  /** The options the engine received; a policy sees protect, ignoreChanges and deleteBeforeReplace. */
  options?: { protect?: boolean; ignoreChanges?: readonly string[]; deleteBeforeReplace?: boolean };
}

export interface Violation {
  policy: string;
  description: string;
  enforcementLevel: Exclude<EnforcementLevel, "disabled">;
  urn?: string;
  message: string;
}

export class PolicyConfigError extends Error {}

/** Per policy: an enforcement level, or an object with `enforcementLevel` and config properties; `all` sets every level. */
export type PolicyPackConfig = Record<string, unknown>;

/** How the engine marks a secret value in resource inputs: `{ [specialSigKey]: specialSecretSig, value }`. */
export function isSecretEnvelope(v: unknown): v is { value: unknown } {
  return typeof v === "object" && v !== null && (v as Record<string, unknown>)[specialSigKey] === specialSecretSig;
}

/** Inputs with every secret marker opened: the plain values a policy reads. */
export function unwrapSecrets(v: unknown): unknown {
  if (isSecretEnvelope(v)) return unwrapSecrets(v.value);
  if (Array.isArray(v)) return v.map(unwrapSecrets);
  if (typeof v === "object" && v !== null)
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, unwrapSecrets(x)]));
  return v;
}

/** What a policy sees of a declared resource: plain props, and which paths were secret. */
export function asPolicyResource(r: DeclaredResource): PolicyResource {
  return {
    type: r.type,
    name: r.name,
    urn: r.urn,
    props: unwrapSecrets(r.inputs) as Record<string, unknown>,
    options: {
      protect: r.options?.protect ?? false,
      ignoreChanges: r.options?.ignoreChanges ?? [],
      deleteBeforeReplace: r.options?.deleteBeforeReplace ?? false,
    },
    isSecret(pathTo) {
      let at: unknown = r.inputs;
      for (const step of pathTo) {
        if (isSecretEnvelope(at)) return true;
        if (typeof at !== "object" || at === null) return false;
        at = (at as Record<string | number, unknown>)[step];
      }
      return isSecretEnvelope(at);
    },
  };
}

const LEVELS: readonly EnforcementLevel[] = ["advisory", "mandatory", "disabled"];

/** Checks a policy config the way the CLI does against the pack's schema: known policies, known properties, right types. */
export function checkPackConfig(config: PolicyPackConfig, file: string, rules: readonly Rule[] = RULES): void {
  const problems: string[] = [];
  const byName = new Map(rules.map((r) => [r.name, r]));
  for (const [name, value] of Object.entries(config)) {
    if (name === "all") {
      if (!LEVELS.includes(value as EnforcementLevel)) problems.push(`"all" must be one of ${LEVELS.join(", ")}`);
      continue;
    }
    const rule = byName.get(name);
    if (!rule) {
      problems.push(`"${name}" is not a policy of this pack (policies: ${[...byName.keys()].join(", ")})`);
      continue;
    }
    if (typeof value === "string") {
      if (!LEVELS.includes(value as EnforcementLevel))
        problems.push(`${name}: "${value}" is not an enforcement level (${LEVELS.join(", ")})`);
      continue;
    }
    if (typeof value !== "object" || value === null || Array.isArray(value)) {
      problems.push(`${name}: must be an enforcement level or an object of config properties`);
      continue;
    }
    const props = configProperties(rule);
    for (const [key, v] of Object.entries(value)) {
      if (key === "enforcementLevel") {
        if (!LEVELS.includes(v as EnforcementLevel))
          problems.push(`${name}.enforcementLevel: "${String(v)}" is not one of ${LEVELS.join(", ")}`);
        continue;
      }
      const prop = props[key];
      if (!prop) {
        problems.push(
          `${name}.${key}: is not a config property of ${name} (properties: ${Object.keys(props).join(", ") || "none"})`,
        );
        continue;
      }
      const ok =
        prop.type === "boolean"
          ? typeof v === "boolean"
          : prop.type === "array"
            ? Array.isArray(v) && v.length >= prop.minItems && v.every((x) => prop.items.enum.includes(x as number))
            : typeof v === "number" &&
              (prop.type === "number" || Number.isInteger(v)) &&
              (prop.minimum === undefined || v >= prop.minimum) &&
              (prop.maximum === undefined || v <= prop.maximum);
      if (!ok) problems.push(`${name}.${key}: ${JSON.stringify(v)} does not fit: ${prop.description}`);
    }
  }
  if (problems.length > 0) {
    throw new PolicyConfigError(
      `${file}: ${problems.length} problem(s) in the policy config; nothing was written:\n${problems.map((p) => `  ${p}`).join("\n")}`,
    );
  }
}

/** Reads a policy config file (`--policy-pack-config`); no file means every default. */
export function readPackConfig(file: string, displayName = file): PolicyPackConfig {
  if (!fs.existsSync(file)) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(fs.readFileSync(file, "utf8"));
  } catch (e) {
    throw new PolicyConfigError(
      `${displayName}: is not valid JSON (${e instanceof Error ? e.message : String(e)}). Fix: correct the file`,
    );
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed))
    throw new PolicyConfigError(`${displayName}: must be a JSON object of policy names`);
  checkPackConfig(parsed as PolicyPackConfig, displayName);
  return parsed as PolicyPackConfig;
}

function levelOf(rule: Rule, config: PolicyPackConfig): EnforcementLevel {
  const own = config[rule.name];
  if (typeof own === "string") return own as EnforcementLevel;
  const nested =
    typeof own === "object" && own !== null ? (own as Record<string, unknown>).enforcementLevel : undefined;
  if (typeof nested === "string") return nested as EnforcementLevel;
  return typeof config.all === "string" ? (config.all as EnforcementLevel) : rule.enforcementLevel;
}

/** Runs every rule over the declared custom resources; violations in rule order, then as reported. */
export function runPolicies(
  resources: readonly DeclaredResource[],
  config: PolicyPackConfig = {},
  rules: readonly Rule[] = RULES,
): { violations: Violation[]; ran: number } {
  const seen = resources.map(asPolicyResource);
  const violations: Violation[] = [];
  let ran = 0;
  for (const rule of rules) {
    const level = levelOf(rule, config);
    if (level === "disabled") continue;
    ran++;
    const own = config[rule.name];
    const ruleConfig = configOf(
      rule,
      typeof own === "object" && own !== null ? (own as Record<string, unknown>) : undefined,
    );
    const add = (message: string, urn?: string) =>
      violations.push({ policy: rule.name, description: rule.description, enforcementLevel: level, urn, message });
    if (rule.kind === "resource") {
      for (const r of seen) rule.validate(r, ruleConfig, (message) => add(message, r.urn));
    } else {
      rule.validate(seen, ruleConfig, add);
    }
  }
  return { violations, ran };
}

/** `name: type` of a URN (`urn:pulumi:<stack>::<project>::<parent$...$type>::<name>`). */
function describeUrn(urn: string): string {
  const parts = urn.split("::");
  const name = parts.slice(3).join("::");
  const type = (parts[2] ?? "").split("$").pop();
  return `${name}: ${type}`;
}

/** Violations as the Pulumi CLI prints them at the end of a preview. */
export function formatViolations(violations: readonly Violation[], pack = packIdentity()): string {
  const lines = ["Policy Violations:"];
  for (const v of violations) {
    lines.push(`    [${v.enforcementLevel}]  ${pack}  ${v.policy}${v.urn ? ` (${describeUrn(v.urn)})` : ""}`);
    lines.push(`    ${v.description}`);
    lines.push(`    ${v.message}`);
  }
  return lines.join("\n");
}
