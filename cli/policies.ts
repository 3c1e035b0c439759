/**
 * The offline plan's policy gate: the pack's rules (policies/) in-process over the resources the
 * program declared under the mock runtime, with the stack's policy config, printed like the CLI.
 */
import * as path from "path";
import { stackPaths } from "../load/stackPaths";
import { PROJECT, type RecordedResource } from "./declared";
import { formatViolations, packIdentity, readPackConfig, runPolicies, type Violation } from "../policies/run";

export interface PolicyOutcome {
  violations: Violation[];
  /** How many policies ran (those not disabled by the config). */
  ran: number;
  mandatory: number;
  /** What to print: the violations as the CLI shows them, then one summary line. */
  text: string;
}

/** The URN the engine would give the resource (the offline plan leaves out the parent types). */
export function urnOf(stack: string, r: Pick<RecordedResource, "type" | "name">): string {
  return `urn:pulumi:${stack}::${PROJECT}::${r.type}::${r.name}`;
}

/** Throws PolicyConfigError for a bad policy config file. */
export function checkStackPolicies(stack: string, root: string, resources: readonly RecordedResource[]): PolicyOutcome {
  // What `--policy-pack-config` is given: the policy config next to the stack config.
  const shown = stackPaths(stack).policyConfig;
  const config = readPackConfig(path.join(root, shown), shown);
  const declared = resources
    .filter((r) => r.custom)
    .map((r) => ({ type: r.type, name: r.name, urn: urnOf(stack, r), inputs: r.inputs, options: r.options }));
  const { violations, ran } = runPolicies(declared, config);
  const mandatory = violations.filter((v) => v.enforcementLevel === "mandatory").length;
  const advisory = violations.length - mandatory;
  const source = `policy pack ${packIdentity()}, config ${Object.keys(config).length > 0 ? shown : "defaults"}`;
  const summary =
    violations.length === 0
      ? `Policies: all ${ran} policies passed (${source})`
      : mandatory > 0
        ? `Policies: ${mandatory} mandatory and ${advisory} advisory violation(s) of ${ran} policies (${source}); nothing was written. Fix each as its message says and plan again.`
        : `Policies: no mandatory violation of ${ran} policies, ${advisory} advisory (${source})`;
  return {
    violations,
    ran,
    mandatory,
    text: [...(violations.length > 0 ? [formatViolations(violations), ""] : []), summary].join("\n"),
  };
}
