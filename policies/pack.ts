/**
 * The rules as `@pulumi/policy` policies, for the real engine (`pulumi preview --policy-pack
 * policies`). Plain objects: constructing the `PolicyPack` (which starts a gRPC server) is left to
 * `index.ts` alone.
 */
import type {
  Policies,
  PolicyConfigSchema,
  PolicyResource as EngineResource,
  PolicyResourceOptions,
  ReportViolation,
} from "@pulumi/policy";
import { configOf, configProperties, type ConfigProperty, type PolicyResource, type Rule } from "./rules";

/**
 * Under the engine a policy sees secrets already unwrapped, so a value counts as secret when the
 * resource declares its top-level property in `additionalSecretOutputs` (the component does so for
 * `direct` whenever a connection carries an MD5 key).
 */
function fromEngine(
  r: Pick<EngineResource, "type" | "name" | "urn" | "props">,
  opts: PolicyResourceOptions,
): PolicyResource {
  const secretOutputs = opts.additionalSecretOutputs ?? [];
  return {
    type: r.type,
    name: r.name,
    urn: r.urn,
    props: r.props,
    options: {
      protect: opts.protect,
      ignoreChanges: opts.ignoreChanges,
      deleteBeforeReplace: opts.deleteBeforeReplace ?? false,
    },
    isSecret: (path) => path.length > 0 && secretOutputs.includes(String(path[0])),
  };
}

export function enginePolicies(rules: readonly Rule[]): Policies {
  return rules.map((rule) => {
    const properties: Record<string, ConfigProperty> = configProperties(rule);
    const configSchema: PolicyConfigSchema = { properties };
    const common = {
      name: rule.name,
      description: rule.description,
      enforcementLevel: rule.enforcementLevel,
      ...(Object.keys(properties).length > 0 ? { configSchema } : {}),
    };
    if (rule.kind === "resource") {
      return {
        ...common,
        validateResource: (args, report: ReportViolation) =>
          rule.validate(
            fromEngine(args, args.opts),
            configOf(rule, args.getConfig<Record<string, unknown>>()),
            (message) => report(message),
          ),
      };
    }
    return {
      ...common,
      validateStack: (args, report: ReportViolation) =>
        rule.validate(
          args.resources.map((r) => fromEngine(r, r.opts)),
          configOf(rule, args.getConfig<Record<string, unknown>>()),
          (message, urn) => report(message, urn),
        ),
    };
  });
}
