/**
 * The rollout of every router config the stack pushes (`deploy` in the stack config): metros in
 * waves, each metro one leg at a time, each leg after a fresh health check of the one before
 * (`deploy/rollout.ts`). Per router a `RouterConfig` component with its commands: a read of what
 * the last push kept on the router (the rendering, its drained variant, its session facts), then the
 * push (drained first where the change affects a session, deploy/drain.ts; apply, health gate,
 * confirm or roll back); per later leg of a metro a check. `remote.Command` on the router (FRR, BIRD), `local.Command`
 * on the runner (IOS-XR, Junos, EOS), with the exact strings of `deploy/scripts.ts`. Every command is
 * replaced when its router's rendered config changes: its triggers carry the config's hash.
 * `Rollout` (components/routerConfig.ts) instantiates it. Pure.
 */
import { rolloutWaves } from "../deploy/rollout";
import { routerCommands, type RouterCommands } from "../deploy/scripts";
import type { DeploySettings, DeployTarget } from "../deploy/settings";
import type { Plan, RouterPlan } from "../plan/model";
import {
  component,
  outputRef,
  secretRef,
  TYPES,
  type Declaration,
  type PushInputRef,
  type RenderedConfigRef,
  type SecretRef,
} from "./model";

/** The inputs of a push command: `remote.CommandArgs` or `local.CommandArgs`, the fields we set. */
export interface CommandInputs {
  /** On the router: how to reach it (the SSH private key secret). */
  connection?: { host: string; port: number; user: string; privateKey: SecretRef; hostKey?: string };
  /** On the runner: the private key for its `ssh`/`scp`, never on a command line. */
  environment?: { PAC_SSH_KEY: SecretRef };
  create: string;
  /** The config hashes whose change replaces the command. */
  triggers: RenderedConfigRef[];
  logging: "none" | "stdoutAndStderr";
  stdin?: PushInputRef;
}

export interface RouterConfigDeclarations {
  router: RouterPlan;
  target: DeployTarget;
  commands: RouterCommands;
  component: Declaration<object>;
  /** Reads what the last push kept on the router: the rendering, its drained variant, its session facts. */
  readPrevious: Declaration<CommandInputs>;
  push: Declaration<CommandInputs>;
}

export interface RolloutDeclarations {
  component: Declaration<object>;
  /** By hostname, in rollout order. */
  routers: Record<string, RouterConfigDeclarations>;
  /** `<router>-check-before-<next router>`: the checks that gate a metro's later legs. */
  checks: Record<string, Declaration<CommandInputs>>;
  /** Every declaration in an order that creates what a resource waits for before it: the component first. */
  order: Array<Declaration<object>>;
}

/** The name of the stack's Rollout component (`stacks/program.ts`). */
export const ROLLOUT_NAME = "rollout";

const hashOf = (hostname: string): RenderedConfigRef => ({ renderedConfigOf: hostname, as: "hash", secret: false });

/** What the rollout named `name` declares. */
export function declareRollout(
  name: string,
  plan: Pick<Plan, "metros" | "routers">,
  settings: DeploySettings,
): RolloutDeclarations {
  const self = component(TYPES.rollout, name);
  const routers: Record<string, RouterConfigDeclarations> = {};
  const checks: Record<string, Declaration<CommandInputs>> = {};
  const order: Array<Declaration<object>> = [self];
  let waveAfter: readonly string[] = [];
  for (const wave of rolloutWaves(plan, settings)) {
    const ends: string[] = [];
    for (const metro of wave) {
      let waitFor = waveAfter;
      let before: RouterConfigDeclarations | undefined;
      for (const router of metro.routers) {
        if (before !== undefined) {
          // Runs whenever this leg changes, even if the leg before did not: its health now, not at its push.
          const check = command(
            before,
            `${before.component.name}-check-before-${router.hostname}`,
            { create: before.commands.check, triggers: [hashOf(before.router.hostname), hashOf(router.hostname)] },
            { dependsOn: [before.push.name] },
          );
          checks[`${before.router.hostname}-check-before-${router.hostname}`] = check;
          order.push(check);
          waitFor = [check.name];
        }
        const rc = declareRouterConfig(`${name}-${router.hostname}`, router, settings, waitFor, self);
        routers[router.hostname] = rc;
        order.push(rc.component, rc.readPrevious, rc.push);
        before = rc;
        waitFor = [rc.push.name];
      }
      ends.push(...waitFor);
    }
    waveAfter = ends;
  }
  return { component: self, routers, checks, order };
}

function declareRouterConfig(
  name: string,
  router: RouterPlan,
  settings: DeploySettings,
  after: readonly string[],
  parent: Declaration<object>,
): RouterConfigDeclarations {
  const target = settings.targets[router.hostname];
  const commands = routerCommands(router, target, settings);
  const self = component(TYPES.routerConfig, name, parent);
  const partial = { router, target, commands, component: self };
  const hash = [hashOf(router.hostname)];
  const readPrevious = command(
    partial,
    `${name}-read-previous`,
    // The previous rendering may carry MD5 keys: never in the log, secret in state.
    { create: commands.readPrevious, triggers: hash, logging: "none" },
    { dependsOn: [...after], additionalSecretOutputs: ["stdout"] },
  );
  const stdin: PushInputRef = { pushInputOf: router.hostname, previous: outputRef(readPrevious, "stdout") };
  // The push prints what it applied and why it confirmed or rolled back, never the config.
  const push = command(
    partial,
    `${name}-push`,
    { create: commands.push, stdin, triggers: hash },
    { dependsOn: [readPrevious.name] },
  );
  return { ...partial, readPrevious, push };
}

/**
 * A command of `rc`: on FRR and BIRD on the router over SSH (`remote.Command`); on IOS-XR, Junos and
 * EOS on the runner (`local.Command`, in the project directory, where `cli/gate.ts` is), with the
 * private key in its environment (`PAC_SSH_KEY`, secret in state), never on a command line.
 */
function command(
  rc: Pick<RouterConfigDeclarations, "commands" | "target" | "component">,
  name: string,
  args: Pick<CommandInputs, "create" | "triggers" | "stdin"> & { logging?: CommandInputs["logging"] },
  options: { dependsOn: string[]; additionalSecretOutputs?: string[] },
): Declaration<CommandInputs> {
  const { target } = rc;
  const key = secretRef(target.privateKeySecret);
  const common = { logging: args.logging ?? "stdoutAndStderr", create: args.create, triggers: args.triggers };
  const stdin = args.stdin === undefined ? {} : { stdin: args.stdin };
  if (rc.commands.runsOn === "router")
    return {
      type: TYPES.remoteCommand,
      name,
      parent: rc.component,
      custom: true,
      inputs: {
        connection: {
          host: target.host,
          port: target.port,
          user: target.user,
          privateKey: key,
          ...(target.hostKey ? { hostKey: target.hostKey } : {}),
        },
        ...common,
        ...stdin,
      },
      options,
    };
  return {
    type: TYPES.localCommand,
    name,
    parent: rc.component,
    custom: true,
    inputs: { ...common, ...stdin, environment: { PAC_SSH_KEY: key } },
    options: { ...options, additionalSecretOutputs: [...(options.additionalSecretOutputs ?? []), "environment"] },
  };
}
