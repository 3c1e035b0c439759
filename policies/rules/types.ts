/**
 * The shape of a rule, independent of how it runs: under the Pulumi engine (through `@pulumi/policy`,
 * see `policies/pack.ts`) or in-process in the offline plan (`policies/run.ts`). A rule sees only
 * what the engine shows a policy: each custom resource's type, name, URN and input properties.
 */

/** The resource options a policy sees (`@pulumi/policy` PolicyResourceOptions; no retainOnDelete among them). */
export interface PolicyOptions {
  protect: boolean;
  ignoreChanges: readonly string[];
  deleteBeforeReplace: boolean;
}

/** What a policy sees of one resource. */
export interface PolicyResource {
  type: string;
  name: string;
  urn: string;
  /** Input properties, secrets already unwrapped (as the engine hands them to a policy). */
  props: Record<string, unknown>;
  options: PolicyOptions;
  /**
   * Whether the value at `path` (property names and array indexes from the top) is a Pulumi secret.
   * In-process the recorded inputs still carry the secret marker; under the engine a policy sees
   * plain values, so there it is answered from the resource's `additionalSecretOutputs`.
   */
  isSecret(path: ReadonlyArray<string | number>): boolean;
}

export type EnforcementLevel = "advisory" | "mandatory" | "disabled";

/** Reports one violation; `urn` names the resource (stack rules), resource rules report on their own. */
export type Report = (message: string, urn?: string) => void;

/** JSON Schema of one config property, as `@pulumi/policy`'s `configSchema` takes it. */
export type ConfigProperty =
  | { type: "integer" | "number"; minimum?: number; maximum?: number; default: number; description: string }
  | { type: "boolean"; default: boolean; description: string }
  | {
      type: "array";
      items: { type: "integer"; enum: number[] };
      minItems: number;
      uniqueItems: true;
      default: number[];
      description: string;
    };

interface RuleBase<C extends object> {
  name: string;
  description: string;
  enforcementLevel: EnforcementLevel;
  /** Every config property with its default: the README's policy table is written from these. */
  config: { [K in keyof C]: ConfigProperty };
}

export interface ResourceRule<C extends object> extends RuleBase<C> {
  kind: "resource";
  validate(resource: PolicyResource, config: C, report: Report): void;
}

export interface StackRule<C extends object> extends RuleBase<C> {
  kind: "stack";
  validate(resources: readonly PolicyResource[], config: C, report: Report): void;
}

/** Any rule, whatever its config (`validate` is a method, so its config parameter is bivariant). */
export type Rule = ResourceRule<object> | StackRule<object>;

/** A rule's config properties by name (the mapped type erases to `{}` in the heterogeneous `Rule`). */
export function configProperties(rule: Rule): Record<string, ConfigProperty> {
  return rule.config as Record<string, ConfigProperty>;
}

/** The config a rule runs with: its defaults, overridden by what the policy config file sets. */
export function configOf(rule: Rule, given: Record<string, unknown> | undefined): object {
  const out: Record<string, unknown> = {};
  for (const [key, prop] of Object.entries(configProperties(rule))) {
    out[key] = given && given[key] !== undefined ? given[key] : prop.default;
  }
  return out;
}

/** Type tokens of the resources the rules read (declarations/model.ts owns them). */
export { TYPES } from "../../declarations/model";
