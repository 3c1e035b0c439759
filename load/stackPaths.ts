/**
 * Where a stack's files live: the one place that knows. Paths are relative to the root that holds
 * `stacks/` (the repository, or `--root`), with `/` separators, as problems and messages show them;
 * join them to the root to read or write. Pure: no file system here.
 *
 *   stacks/<stack>/sp.yaml                  the SP
 *   stacks/<stack>/metros/<metro>.yaml      one file per peering metro
 *   stacks/<stack>/customers/<id>.yaml      optional: one file per customer Peering Service
 *   stacks/<stack>/allocations.lock.yaml    session prefixes, written by `npm run plan`
 *   stacks/Pulumi.<stack>.yaml              Pulumi stack config (Pulumi.yaml: stackConfigDir: stacks)
 *   stacks/Pulumi.<stack>.policy.json       policy pack config (`--policy-pack-config`)
 */
export const STACKS_DIR = "stacks";

export interface StackPaths {
  /** `stacks/<stack>`: the inventory folder. */
  dir: string;
  sp: string;
  metrosDir: string;
  metro(id: string): string;
  customersDir: string;
  lock: string;
  pulumiConfig: string;
  policyConfig: string;
}

export function stackPaths(stack: string): StackPaths {
  const dir = `${STACKS_DIR}/${stack}`;
  return {
    dir,
    sp: `${dir}/sp.yaml`,
    metrosDir: `${dir}/metros`,
    metro: (id) => `${dir}/metros/${id}.yaml`,
    customersDir: `${dir}/customers`,
    lock: `${dir}/allocations.lock.yaml`,
    pulumiConfig: `${STACKS_DIR}/Pulumi.${stack}.yaml`,
    policyConfig: `${STACKS_DIR}/Pulumi.${stack}.policy.json`,
  };
}
