import * as pulumi from "@pulumi/pulumi";
import { local, remote } from "@pulumi/command";
import type { RouterPlan } from "../plan/model";
import { rolloutWaves } from "../deploy/rollout";
import { configHash, routerCommands, type RouterCommands } from "../deploy/scripts";
import type { DeploySettings, DeployTarget } from "../deploy/settings";

export interface RouterConfigArgs {
  /** The router as planned: its sessions to Microsoft are what the health gate checks. */
  router: RouterPlan;
  /** Its rendered config (secret where it carries an MD5 key). */
  config: pulumi.Output<string>;
  /** How to reach it (stack config `deploy.routers.<hostname>`). */
  target: DeployTarget;
  settings: DeploySettings;
  /** The OpenSSH private key, a Pulumi secret (`pulumi config set --secret <privateKeySecret>`). */
  privateKey: pulumi.Output<string>;
  /** What the push waits for: the fresh health check of the leg before it, or the wave before. */
  after: pulumi.Resource[];
}

/**
 * One router's config, pushed over SSH with the platform's transactional apply, gated on the
 * health of its sessions to Microsoft and rolled back automatically when they are not healthy
 * (`deploy/scripts.ts` holds the exact commands). It runs again only when the rendered config
 * changes: the triggers carry its hash.
 */
/** A command of a push: `remote.Command` on the router, or `local.Command` on the runner. */
export type PushCommand = remote.Command | local.Command;

interface PushCommandArgs {
  create: string;
  triggers: pulumi.Input<unknown>[];
  logging: "none" | "stdoutAndStderr";
  stdin?: pulumi.Input<string>;
}

export class RouterConfig extends pulumi.ComponentResource {
  /** `sha256:` of the rendered config (secret where the config is). */
  readonly hash: pulumi.Output<string>;
  /** Reads the rendering last confirmed on the router (FRR: removals are computed from it). */
  readonly readPrevious?: PushCommand;
  /** Applies, gates, confirms or rolls back; fails the update when the gate fails. */
  readonly push: PushCommand;
  readonly hostname: string;
  private readonly commands: RouterCommands;
  private readonly connection: remote.CommandArgs["connection"];
  private readonly privateKey: pulumi.Output<string>;

  constructor(
    private readonly resourceName: string,
    args: RouterConfigArgs,
    opts?: pulumi.ComponentResourceOptions,
  ) {
    super("peering-as-code:index:RouterConfig", resourceName, {}, opts);
    const name = resourceName;
    const { target } = args;
    this.hostname = args.router.hostname;
    this.commands = routerCommands(args.router, target, args.settings);
    this.hash = args.config.apply(configHash);
    this.privateKey = args.privateKey;
    this.connection = {
      host: target.host,
      port: target.port,
      user: target.user,
      privateKey: args.privateKey,
      ...(target.hostKey ? { hostKey: target.hostKey } : {}),
    };
    const readCommand = this.commands.readPrevious;
    const previous =
      readCommand === undefined
        ? undefined
        : this.command(
            `${name}-read-previous`,
            // The previous rendering may carry MD5 keys: never in the log, secret in state.
            { create: readCommand, triggers: [this.hash], logging: "none" },
            { parent: this, dependsOn: args.after, additionalSecretOutputs: ["stdout"] },
          );
    this.readPrevious = previous;
    const stdin =
      previous === undefined
        ? args.config
        : pulumi.all([previous.stdout, args.config]).apply(([prev, next]) => this.commands.pushInput(prev, next));
    this.push = this.command(
      `${name}-push`,
      // The push prints what it applied and why it confirmed or rolled back, never the config.
      { create: this.commands.push, stdin: pulumi.secret(stdin), triggers: [this.hash], logging: "stdoutAndStderr" },
      { parent: this, dependsOn: previous === undefined ? args.after : [previous] },
    );
    this.registerOutputs({ hash: this.hash, push: this.push.stdout });
  }

  /**
   * A fresh health check of this router, run whenever `nextHash` (the next leg's config) or this
   * router's config changes, after this router's push: the next leg's push waits for it.
   */
  checkBefore(nextName: string, nextHash: pulumi.Output<string>): PushCommand {
    return this.command(
      `${this.resourceName}-check-before-${nextName}`,
      { create: this.commands.check, triggers: [this.hash, nextHash], logging: "stdoutAndStderr" },
      { parent: this, dependsOn: [this.push] },
    );
  }

  /**
   * On FRR and BIRD the command runs on the router over SSH (`remote.Command`); on IOS-XR, Junos
   * and EOS it runs on the runner (`local.Command`, in the project directory, where `cli/gate.ts`
   * is), which drives the router's CLI with `ssh`/`scp`: the private key reaches it in the
   * environment (`PAC_SSH_KEY`, secret in state), never on a command line.
   */
  private command(name: string, args: PushCommandArgs, opts: pulumi.CustomResourceOptions): PushCommand {
    if (this.commands.runsOn === "router")
      return new remote.Command(name, { connection: this.connection, ...args }, opts);
    return new local.Command(
      name,
      { ...args, environment: { PAC_SSH_KEY: pulumi.secret(this.privateKey) } },
      { ...opts, additionalSecretOutputs: [...(opts.additionalSecretOutputs ?? []), "environment"] },
    );
  }
}

export interface RolloutArgs {
  plan: { metros: Parameters<typeof rolloutWaves>[0]["metros"]; routers: RouterPlan[] };
  /** Rendered config by hostname. */
  configs: Record<string, pulumi.Output<string>>;
  settings: DeploySettings;
  /** Private keys by secret config key name. */
  privateKeys: Record<string, pulumi.Output<string>>;
  /** What every push waits for (the Azure side of the metros). */
  after: pulumi.Resource[];
}

/**
 * The rollout of every router config the stack pushes: metros in waves, each metro one leg at a
 * time, each leg after a fresh health check of the one before (`deploy/rollout.ts`).
 */
export class Rollout extends pulumi.ComponentResource {
  readonly routers: Record<string, RouterConfig> = {};
  /** Per metro, the checks that gate its later legs: `<router>-check-before-<next router>`. */
  readonly checks: Record<string, PushCommand> = {};

  constructor(name: string, args: RolloutArgs, opts?: pulumi.ComponentResourceOptions) {
    super("peering-as-code:index:Rollout", name, {}, opts);
    let waveAfter: pulumi.Resource[] = args.after;
    for (const wave of rolloutWaves(args.plan, args.settings)) {
      const ends: pulumi.Resource[] = [];
      for (const { routers } of wave) {
        let after = waveAfter;
        let before: RouterConfig | undefined;
        for (const router of routers) {
          const target = args.settings.targets[router.hostname];
          const config = args.configs[router.hostname];
          if (before !== undefined) {
            // Run whenever this leg changes, even if the leg before did not: its health now, not at its push.
            const check = before.checkBefore(router.hostname, config.apply(configHash));
            this.checks[`${before.hostname}-check-before-${router.hostname}`] = check;
            after = [check];
          }
          const rc = new RouterConfig(
            `${name}-${router.hostname}`,
            {
              router,
              config,
              target,
              settings: args.settings,
              privateKey: args.privateKeys[target.privateKeySecret],
              after,
            },
            { parent: this },
          );
          this.routers[router.hostname] = rc;
          before = rc;
          after = [rc.push];
        }
        ends.push(...after);
      }
      waveAfter = ends;
    }
    this.registerOutputs({ routers: Object.keys(this.routers) });
  }
}
