/**
 * The Pulumi program, as one function: load the stack's inventory, plan it, and declare the
 * resources. `stacks/index.ts` (the CLI's entry point) and the offline plan both run exactly this.
 */
import * as pulumi from "@pulumi/pulumi";
import { CustomerPeeringService, ServiceProvider, type ConnectionStatus } from "../components";
import { Rollout } from "../components/routerConfig";
import { renderPushRendering } from "../components/support";
import { declareStackParts, ROLLOUT_NAME, SERVICE_PROVIDER_NAME } from "../declarations";
import { DEPLOY_CONFIG_KEY, readDeploySettings, type DeploySettings } from "../deploy/settings";
import { readStackFiles } from "../load/files";
import type { StackFiles } from "../load/load";
import { InventoryError } from "../load/problem";
import { stackPaths } from "../load/stackPaths";
import { LIFECYCLE } from "../plan/lifecycle";
import type { Plan } from "../plan/model";
import { planStack } from "../plan/plan";
import { missingSecretProblems, secretConfigKeys } from "../plan/secrets";
import { configPath, createRenderer, loadTemplateSources, type Renderer } from "../render";

/** One row per BGP session: the plan's table, fit to paste into a change ticket. */
export interface SessionRow {
  metro: string;
  peeringLocation: string;
  leg: string;
  router: string;
  vendor: string;
  interface: string;
  bandwidthMbps: number;
  afi: string;
  sessionPrefix: string;
  microsoft: string;
  sp: string;
  addressOrigin: string;
  md5: string;
  maxPrefix: number;
}

export interface StackOutputs {
  plan: Plan;
  sp: ServiceProvider;
  /** `metro/hostname.ext` → rendered config; secret where the config carries a key. */
  configs: Record<string, pulumi.Output<string>>;
  /** Same keys; secrets replaced by REDACTED. */
  reviewConfigs: Record<string, string>;
  sessions: SessionRow[];
  /** Per declared metro, per leg: what Azure reports of the connection (id, state, session states). */
  connections: Record<string, pulumi.Output<Record<string, Omit<ConnectionStatus, "leg">>>>;
  /** Per registration (`198.51.100.0/24`, `AS64501`): its home metro, or what it waits for. */
  registrations: Record<string, string>;
  /** The Peering Service prefix key of each registered prefix and ASN, to hand to customers: a Pulumi secret. */
  prefixKeys: pulumi.Output<Record<string, string>>;
  /** Customers' Peering Services declared on their behalf, by customer id. */
  customers: Record<string, CustomerPeeringService>;
  /** The pushes of router configs, where the stack config has `deploy` (README, Deploying). */
  rollout?: Rollout;
}

let renderer: Renderer | undefined;

export interface DefineOptions {
  /** Stack config (defaults to the project's). */
  config?: pulumi.Config;
  /** The stack's files, already read (tests pass variants); defaults to reading stacks/<stack>/. */
  files?: StackFiles;
}

export function definePeeringStack(stack: string, options: DefineOptions = {}): StackOutputs {
  const config = options.config ?? new pulumi.Config();
  const planned = planStack(options.files ?? readStackFiles(stack));
  if (!planned.ok) throw new InventoryError(planned.problems);
  const plan = planned.value;

  if (plan.newAllocations.length > 0 && !pulumi.runtime.isDryRun()) {
    // Deploying addresses or registration homes nobody reviewed would break the promise that they never move.
    throw new InventoryError([
      {
        file: stackPaths(stack).lock,
        line: 1,
        field: "",
        message: `${plan.newAllocations.length} allocation(s) (session prefixes, registration homes) are not recorded yet (${plan.newAllocations.join("; ")})`,
        fix: `run \`npm run plan -- --stack ${stack}\` and commit ${stackPaths(stack).lock} before \`pulumi up\``,
      },
    ]);
  }

  const secrets = readSecrets(plan, config);
  const deploy = readDeploy(stack, plan, config);
  // What the stack declares, computed once: the components instantiate exactly these.
  const declared = declareStackParts(plan, deploy?.settings);
  // One batch for the run: the policy model and shared partials are built once for all the routers,
  // their review configs and their drained variants, not once for each of them.
  const templates = (renderer ??= createRenderer(loadTemplateSources())).batch();
  const sp = new ServiceProvider(SERVICE_PROVIDER_NAME, { plan, renderer: templates, secrets, declared: declared.sp });

  const configs: Record<string, pulumi.Output<string>> = {};
  const reviewConfigs: Record<string, string> = {};
  for (const router of plan.routers) {
    const location = sp.locations[router.metro.id];
    const file = configPath(router);
    configs[file] = location.configs[router.hostname];
    reviewConfigs[file] = location.reviewConfigs[router.hostname];
  }
  const connections = Object.fromEntries(
    Object.entries(sp.locations).map(([metro, l]) => [
      metro,
      l.connections.apply((cs) => Object.fromEntries(cs.map(({ leg, ...status }) => [leg, status]))),
    ]),
  );
  const registrations = Object.fromEntries(plan.registrations.map((r) => [r.key, r.home ?? r.reason]));
  // Azure generates each key on registration; it is what customers activate with, so it stays secret.
  const keys = [
    ...Object.entries(sp.registeredPrefixes).map(([key, r]) => [key, r.peeringServicePrefixKey] as const),
    ...Object.entries(sp.registeredAsns).map(([key, r]) => [key, r.peeringServicePrefixKey] as const),
  ];
  const prefixKeys = pulumi.secret(
    pulumi.all(keys.map(([, k]) => k)).apply((values) => Object.fromEntries(keys.map(([key], i) => [key, values[i]]))),
  );
  const registeredPrefixes = Object.fromEntries(
    declared.sp.registrations.flatMap((r) =>
      r.kind === "prefix" ? [[r.declaration.name, sp.registeredPrefixes[r.registration.key]] as const] : [],
    ),
  );
  const customers = Object.fromEntries(
    declared.customers.map((c) => [
      c.customer.id,
      new CustomerPeeringService(c.component.name, { declared: c, registeredPrefixes }),
    ]),
  );
  const rollout =
    declared.rollout === undefined || deploy === undefined
      ? undefined
      : new Rollout(ROLLOUT_NAME, {
          declared: declared.rollout,
          configs: Object.fromEntries(
            plan.routers.map((r) => [r.hostname, sp.locations[r.metro.id].configs[r.hostname]]),
          ),
          privateKeys: deploy.privateKeys,
          // Only the routers pushed to: each is rendered once more, drained (deploy/drain.ts).
          pushRenderings: Object.fromEntries(
            Object.values(declared.rollout.routers).map(({ router }) => [
              router.hostname,
              renderPushRendering(templates, router, secrets, sp.locations[router.metro.id].configs[router.hostname]),
            ]),
          ),
        });
  return {
    plan,
    sp,
    configs,
    reviewConfigs,
    sessions: sessionRows(plan),
    connections,
    registrations,
    prefixKeys,
    customers,
    ...(rollout ? { rollout } : {}),
  };
}

/** The stack's deploy settings and the SSH private keys they name (secret config), or undefined. */
function readDeploy(
  stack: string,
  plan: Plan,
  config: pulumi.Config,
): { settings: DeploySettings; privateKeys: Record<string, pulumi.Output<string>> } | undefined {
  const privateKeys: Record<string, pulumi.Output<string>> = {};
  const read = readDeploySettings(
    config.getObject<unknown>(DEPLOY_CONFIG_KEY),
    plan,
    stackPaths(stack).pulumiConfig,
    (name) => {
      const key = config.getSecret(name);
      if (key !== undefined) privateKeys[name] = key;
      return key !== undefined;
    },
  );
  if (read.problems.length > 0) throw new InventoryError(read.problems);
  return read.settings === undefined ? undefined : { settings: read.settings, privateKeys };
}

/** Every resource the program declared, settled: their names resolve once all are registered. */
export function declaredNames(outputs: StackOutputs): pulumi.Output<unknown> {
  const { sp } = outputs;
  return pulumi.all([
    sp.peerAsn.name,
    ...Object.values(sp.locations).map((l) => l.peering.name),
    ...Object.values(sp.registeredPrefixes).map((r) => r.name),
    ...Object.values(sp.registeredAsns).map((r) => r.name),
    ...Object.values(outputs.customers).flatMap((c) => [
      c.peeringService.name,
      ...Object.values(c.prefixes).map((p) => p.name),
      ...Object.values(c.tests).map((t) => t.name),
    ]),
  ]);
}

/** MD5 keys come only from Pulumi secret config, by the name the inventory gives. */
function readSecrets(plan: Plan, config: pulumi.Config): Record<string, pulumi.Output<string>> {
  const secrets: Record<string, pulumi.Output<string>> = {};
  for (const name of secretConfigKeys(plan)) {
    const value = config.getSecret(name);
    if (value !== undefined) secrets[name] = value;
  }
  const problems = missingSecretProblems(plan, (name) => secrets[name] !== undefined);
  if (problems.length > 0) throw new InventoryError(problems);
  return secrets;
}

/** The sessions the routers run (legs whose state renders configs). */
function sessionRows(plan: Plan): SessionRow[] {
  return plan.metros.flatMap((m) =>
    m.legs
      .filter((l) => LIFECYCLE[l.status].rendered)
      .flatMap((l) =>
        l.sessions.map((s) => ({
          metro: m.id,
          peeringLocation: m.peeringLocation,
          leg: l.name,
          router: l.hostname,
          vendor: l.vendor,
          interface: l.interface,
          bandwidthMbps: l.bandwidthMbps,
          afi: s.afi,
          sessionPrefix: s.sessionPrefix,
          microsoft: s.peerAddress,
          sp: s.localAddress,
          addressOrigin: l[s.afi].origin,
          md5: s.md5KeySecret ? `[secret ${s.md5KeySecret}]` : "none",
          maxPrefix: s.maxPrefix.limit,
        })),
      ),
  );
}
