import * as pulumi from "@pulumi/pulumi";
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
