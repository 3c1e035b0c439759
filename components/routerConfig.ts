import * as pulumi from "@pulumi/pulumi";
import { local, remote } from "@pulumi/command";
import { TYPES, type CommandInputs, type Declaration, type RolloutDeclarations } from "../declarations";
import type { RouterConfigDeclarations } from "../declarations/rollout";
import type { PushRendering } from "../deploy/drain";
import { configHash } from "../deploy/scripts";
import { inputsOf, optionsOf, type RefSources } from "./support";

/** A command of a push: `remote.Command` on the router, or `local.Command` on the runner. */
export type PushCommand = remote.Command | local.Command;

/** What the commands of a rollout read: the routers' rendered configs and the SSH private keys. */
interface PushSources {
  /** Rendered config by hostname (secret where it carries an MD5 key). */
  configs: Record<string, pulumi.Output<string>>;
  /** Private keys by secret config key name. */
  privateKeys: Record<string, pulumi.Output<string>>;
  /** What each push sends about the next rendering, by hostname (`renderPushRendering`). */
  pushRenderings: Record<string, pulumi.Output<PushRendering>>;
}

/**
 * One router's config, pushed over SSH with the platform's transactional apply, gated on the
 * health of its sessions to Microsoft and rolled back automatically when they are not healthy
 * (`deploy/scripts.ts` holds the exact commands). It runs again only when the rendered config
 * changes: the triggers carry its hash. What it declares is `declareRollout`
 * (declarations/rollout.ts); this component instantiates it.
 */
export class RouterConfig extends pulumi.ComponentResource {
  /** `sha256:` of the rendered config (secret where the config is). */
  readonly hash: pulumi.Output<string>;
  /** Reads what the last push kept on the router: the push's removals and stages are computed from it. */
  readonly readPrevious: PushCommand;
  /** Applies, gates, confirms or rolls back; fails the update when the gate fails. */
  readonly push: PushCommand;
  readonly hostname: string;

  constructor(
    declared: RouterConfigDeclarations,
    sources: PushSources,
    /** Declared resources by name: what the commands wait for. */
    resources: Record<string, pulumi.Resource>,
    opts?: pulumi.ComponentResourceOptions,
  ) {
    super(TYPES.routerConfig, declared.component.name, {}, opts);
    this.hostname = declared.router.hostname;
    this.hash = sources.configs[this.hostname].apply(configHash);
    this.readPrevious = pushCommand(declared.readPrevious, this, sources, resources, declared);
    resources[declared.readPrevious.name] = this.readPrevious;
    this.push = pushCommand(declared.push, this, sources, resources, declared);
    resources[declared.push.name] = this.push;
    this.registerOutputs({ hash: this.hash, push: this.push.stdout });
  }
}

/**
 * On FRR and BIRD the command runs on the router over SSH (`remote.Command`); on IOS-XR, Junos
 * and EOS it runs on the runner (`local.Command`, in the project directory, where `cli/gate.ts`
 * is), which drives the router's CLI with `ssh`/`scp`: the private key reaches it in the
 * environment (`PAC_SSH_KEY`, secret in state), never on a command line.
 */
function pushCommand(
  d: Declaration<CommandInputs>,
  parent: pulumi.Resource,
  sources: PushSources,
  resources: Record<string, pulumi.Resource>,
  rc: Pick<RouterConfigDeclarations, "commands">,
): PushCommand {
  const refSources: RefSources = {
    secrets: sources.privateKeys,
    configs: sources.configs,
    pushRenderings: sources.pushRenderings,
    resources,
    pushInput: (_hostname, previous, next) => rc.commands.pushInput(previous, next),
  };
  // A boundary: the declared inputs are the command's arguments (declarations/rollout.ts CommandInputs).
  const inputs = inputsOf(d, refSources) as unknown as remote.CommandArgs & local.CommandArgs;
  const options = optionsOf(d, parent, resources);
  return d.type === TYPES.remoteCommand
    ? new remote.Command(d.name, inputs, options)
    : new local.Command(d.name, inputs, options);
}

export interface RolloutArgs {
  /** What the rollout declares (`declareRollout`, declarations/rollout.ts). */
  declared: RolloutDeclarations;
  /** Rendered config by hostname. */
  configs: Record<string, pulumi.Output<string>>;
  /** Private keys by secret config key name. */
  privateKeys: Record<string, pulumi.Output<string>>;
  /** What each push sends about the next rendering, by hostname (`renderPushRendering`). */
  pushRenderings: Record<string, pulumi.Output<PushRendering>>;
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
    super(TYPES.rollout, name, {}, opts);
    const { declared } = args;
    const sources = { configs: args.configs, privateKeys: args.privateKeys, pushRenderings: args.pushRenderings };
    const resources: Record<string, pulumi.Resource> = {};
    const routerByComponent = new Map(Object.values(declared.routers).map((r) => [r.component.name, r]));
    const checkKey = new Map(Object.entries(declared.checks).map(([key, d]) => [d.name, key]));
    const created = new Map<string, RouterConfig>();
    for (const d of declared.order) {
      const router = routerByComponent.get(d.name);
      if (router) {
        const rc = new RouterConfig(router, sources, resources, { parent: this });
        created.set(d.name, rc);
        this.routers[router.router.hostname] = rc;
        continue;
      }
      const key = checkKey.get(d.name);
      if (key === undefined) continue; // the component itself, or a RouterConfig's own command
      const parent = created.get(d.parent?.name ?? "");
      if (!parent) throw new Error(`internal: ${d.name} has no RouterConfig parent`);
      const rc = routerByComponent.get(d.parent?.name ?? "");
      if (!rc) throw new Error(`internal: ${d.name} has no RouterConfig declaration`);
      const check = pushCommand(declared.checks[key], parent, sources, resources, rc);
      resources[d.name] = check;
      this.checks[key] = check;
    }
    this.registerOutputs({ routers: Object.keys(this.routers) });
  }
}
