import * as pulumi from "@pulumi/pulumi";
import {
  isSecretRef,
  resolveRefs,
  type Declaration,
  type DeclaredOptions,
  type Ref,
  type Resolved,
} from "../declarations";
import type { RouterPlan } from "../plan/model";
import type { Renderer } from "../render";

/**
 * Renders a router's config inside Pulumi: when the router has MD5 keys the config is computed from
 * the secret outputs, so Pulumi keeps the whole config secret in state and stack outputs.
 */
export function renderRouterConfig(
  renderer: Renderer,
  router: RouterPlan,
  secrets: Record<string, pulumi.Output<string>>,
): pulumi.Output<string> {
  const names = [...new Set(router.sessions.flatMap((s) => (s.md5KeySecret ? [s.md5KeySecret] : [])))].sort();
  if (names.length === 0) {
    return pulumi.output(
      renderer.render(router, () => {
        throw new Error(`internal: ${router.hostname} asked for a secret it does not declare`);
      }).text,
    );
  }
  return pulumi.all(names.map((n) => secrets[n])).apply((values) => {
    const byName = new Map(names.map((n, i) => [n, values[i]]));
    return renderer.render(router, (n) => {
      const v = byName.get(n);
      if (v === undefined) throw new Error(`internal: secret ${n} was not resolved for ${router.hostname}`);
      return v;
    }).text;
  });
}

/**
 * A declaration's inputs as the resource takes them: each secret the Pulumi secret of its config
 * key, each id the id of the declared resource it names (`ids`, by declared name).
 */
export function inputsOf<I extends object>(
  d: Declaration<I>,
  secrets: Record<string, pulumi.Output<string>>,
  ids: Record<string, pulumi.Input<string>>,
): Resolved<I, pulumi.Output<string> | pulumi.Input<string>> {
  return resolveRefs(d.inputs, (ref: Ref) => {
    const value = isSecretRef(ref) ? secrets[ref.secretConfigKey] : ids[ref.idOf];
    if (value === undefined)
      throw new Error(`internal: ${d.name} refers to ${JSON.stringify(ref)}, which its component does not hold`);
    return value;
  });
}

/**
 * A declaration's options for its constructor: its parent component, and each resource it depends
 * on, by declared name, from `resources`. Nothing is added that the declaration does not say.
 */
export function optionsOf(
  d: Declaration<object>,
  parent: pulumi.Resource,
  resources: Record<string, pulumi.Resource> = {},
): pulumi.CustomResourceOptions {
  const { dependsOn, ignoreChanges, additionalSecretOutputs, ...flags }: DeclaredOptions = d.options;
  return {
    parent,
    ...flags,
    ...(ignoreChanges ? { ignoreChanges: [...ignoreChanges] } : {}),
    ...(additionalSecretOutputs ? { additionalSecretOutputs: [...additionalSecretOutputs] } : {}),
    ...(dependsOn
      ? {
          dependsOn: dependsOn.map((name) => {
            const r = resources[name];
            if (!r) throw new Error(`internal: ${d.name} depends on ${name}, which its component does not hold`);
            return r;
          }),
        }
      : {}),
  };
}
