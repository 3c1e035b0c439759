/**
 * The offline plan: `npm run plan -- --stack lab`.
 *
 * Computes what the Pulumi program declares for the stack (`declarations/`: the pure functions its
 * components instantiate; test/declarations proves the mock runtime records exactly these), applies
 * the policy pack to it in-process, prints what `pulumi preview` would create, and writes every
 * router config, secrets redacted, to out/<stack>/<metro>/<router>.<ext>, each as it is rendered.
 * Needs neither the Pulumi CLI nor Azure credentials; nothing is written unless the whole plan
 * succeeds.
 *
 * With `--json <file>` it writes the machine-readable plan instead (`gitops/snapshot.ts`: resources,
 * review configs, policy results), from the same declarations, and nothing else: no configs, no
 * lock. `npm run diff` and `npm run onboard` read it.
 */
import { drainedRouter, sessionFacts } from "../deploy/drain";
import * as fs from "fs";
import * as path from "path";
import { allStackDeclarations, declareStackParts, type RolloutDeclarations } from "../declarations";
import { DEPLOY_CONFIG_KEY, readDeploySettings } from "../deploy/settings";
import { readStackFiles, REPO_ROOT, StackNotFoundError } from "../load/files";
import { formatLock } from "../load/lock";
import { formatProblem, InventoryError } from "../load/problem";
import { stackPaths } from "../load/stackPaths";
import type { Plan, RouterPlan } from "../plan/model";
import { planStack } from "../plan/plan";
import { missingSecretProblems } from "../plan/secrets";
import {
  configPathOf,
  createRenderer,
  loadTemplateSources,
  redactingResolver,
  type Renderer,
  type RouterRenderer,
} from "../render";
import { asRecorded, PROJECT, readStackConfig, type RecordedResource, type RenderedConfigs } from "./declared";
import { PolicyConfigError } from "../policies/run";
import { checkStackPolicies, type PolicyOutcome } from "./policies";
import { formatPlanReport } from "./report";
import { formatSnapshot, type PlanSnapshot } from "../gitops/snapshot";
import { assertNoSecret, failedSnapshot, planSnapshot, secretValuesOf } from "./snapshot";
import type { StackFiles } from "../load/load";
import { runCli } from "./main";

export interface PlanOptions {
  stack: string;
  /** The folder holding `stacks/` (the repository by default; tests point it at fixtures). */
  root: string;
  outDir: string;
  /** Write new allocations to the lock (default), or refuse to run when the lock is stale (CI). */
  lockMode: "write" | "frozen";
  /** Write the machine-readable plan here (`-`: standard output) and nothing else. */
  json?: string;
}

export interface DeclaredStack {
  plan: Plan;
  /** What the program registers, as the engine receives it (components included). */
  resources: RecordedResource[];
}

export interface PlanRun extends DeclaredStack {
  reviewConfigs: Record<string, string>;
}

const USAGE = "usage: npm run plan -- [--stack <name>] [--out <dir>] [--root <dir>] [--frozen-lock] [--json <file>|-]";

function parseArgs(argv: string[]): PlanOptions {
  let stack = "lab";
  let outDir: string | undefined;
  let root = REPO_ROOT;
  let lockMode: PlanOptions["lockMode"] = "write";
  let json: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === "--stack" || a === "-s") stack = argv[++i] ?? "";
    else if (a.startsWith("--stack=")) stack = a.slice(8);
    else if (a === "--out") outDir = argv[++i];
    else if (a === "--root") root = path.resolve(argv[++i] ?? ".");
    else if (a === "--frozen-lock") lockMode = "frozen";
    else if (a === "--json") json = argv[++i] ?? "";
    else if (a === "--help" || a === "-h") {
      console.log(USAGE);
      process.exit(0);
    } else {
      console.error(`plan: unknown argument ${JSON.stringify(a)}. ${USAGE.replace(/^u/, "U")}`);
      process.exit(2);
    }
  }
  if (json === "") {
    console.error("plan: --json needs a file name (or - for standard output). Fix: e.g. --json plan.json");
    process.exit(2);
  }
  if (!/^[A-Za-z0-9_.-]+$/.test(stack)) {
    console.error(
      `plan: --stack ${JSON.stringify(stack)} is not a stack name. Fix: name a folder under stacks/, e.g. --stack lab`,
    );
    process.exit(2);
  }
  return { stack, root, outDir: outDir ?? path.join(root, "out", stack), lockMode, ...(json ? { json } : {}) };
}

/**
 * Loads and plans the stack, checks that its stack config sets every secret the inventory names,
 * and declares its resources. Throws InventoryError on bad input, StackNotFoundError without one.
 * `files` defaults to the stack's files under `root` (`npm run onboard` passes them with a new metro).
 */
export function declareOffline(
  stack: string,
  root = REPO_ROOT,
  files: StackFiles = readStackFiles(stack, root),
  config: Readonly<Record<string, string>> = readStackConfig(stack, root).config,
): DeclaredStack {
  const planned = planStack(files);
  if (!planned.ok) throw new InventoryError(planned.problems);
  const plan = planned.value;
  const missing = missingSecretProblems(plan, (key) => config[`${PROJECT}:${key}`] !== undefined);
  if (missing.length > 0) throw new InventoryError(missing);
  const deploy = readDeploySettings(
    parseConfigObject(config[`${PROJECT}:${DEPLOY_CONFIG_KEY}`]),
    plan,
    stackPaths(stack).pulumiConfig,
    (name) => config[`${PROJECT}:${name}`] !== undefined,
  );
  if (deploy.problems.length > 0) throw new InventoryError(deploy.problems);
  const declared = declareStackParts(plan, deploy.settings);
  const declarations = allStackDeclarations(declared);
  const rollout = declared.rollout;
  const rendered = rollout === undefined ? undefined : renderedConfigs(plan, rollout, config);
  return { plan, resources: asRecorded(stack, declarations, config, rendered) };
}

/** A stack config object as Pulumi's `Config.getObject` reads it: JSON, or undefined when unset. */
function parseConfigObject(text: string | undefined): unknown {
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

/**
 * The configs of the routers the stack pushes to, as the program renders them (the MD5 keys from
 * the stack config in them): the pushes' stdin and triggers. Rendered only when asked for.
 */
function renderedConfigs(
  plan: Plan,
  rollout: RolloutDeclarations,
  config: Readonly<Record<string, string>>,
): RenderedConfigs {
  const byHostname = new Map(plan.routers.map((r) => [r.hostname, r]));
  const texts = new Map<string, { text: string; secret: boolean }>();
  const routerOf = (hostname: string) => {
    const router = byHostname.get(hostname);
    if (!router) throw new Error(`internal: the rollout pushes to ${hostname}, which is not planned`);
    return router;
  };
  const md5 = (name: string) => {
    const v = config[`${PROJECT}:${name}`];
    if (v === undefined) throw new Error(`internal: secret ${name} is not in the stack config`);
    return v;
  };
  // One handle for the whole stack: what its routers (and their drained variants, which keep the
  // same import and export policy objects) render alike is built once.
  let batch: RouterRenderer | undefined;
  const render = (router: RouterPlan) => {
    batch ??= (renderer ??= createRenderer(loadTemplateSources())).batch();
    return batch.render(router, md5).text;
  };
  const rendered: RenderedConfigs = {
    config(hostname) {
      const known = texts.get(hostname);
      if (known) return known;
      const router = routerOf(hostname);
      const secret = router.sessions.some((s) => s.md5KeySecret !== undefined);
      const text = render(router);
      texts.set(hostname, { text, secret });
      return { text, secret };
    },
    pushRendering(hostname) {
      const router = routerOf(hostname);
      return {
        text: rendered.config(hostname).text,
        drained: render(drainedRouter(router)),
        sessions: sessionFacts(router, md5),
      };
    },
    pushInput(hostname, previous, next) {
      const rc = rollout.routers[hostname];
      if (!rc) throw new Error(`internal: ${hostname} is not in the rollout`);
      return rc.commands.pushInput(previous, next);
    },
  };
  return rendered;
}

let renderer: Renderer | undefined;

/** Every router's config with secrets redacted, by its path under the output folder, one at a time. */
export function* reviewConfigs(plan: Plan): Generator<[file: string, text: string]> {
  renderer ??= createRenderer(loadTemplateSources());
  for (const config of renderer.renderAll(plan.routers, redactingResolver)) yield [configPathOf(config), config.text];
}

/**
 * The offline plan in memory: what is declared and every config (tests; the CLI streams them).
 * `files` and `config` default to the stack's, read as `declareOffline` reads them.
 */
export function runOfflinePlan(
  stack: string,
  root = REPO_ROOT,
  files?: StackFiles,
  config?: Readonly<Record<string, string>>,
): PlanRun {
  const declared = declareOffline(stack, root, files, config);
  return { ...declared, reviewConfigs: Object.fromEntries(reviewConfigs(declared.plan)) };
}

/**
 * Writes the configs, each as it comes, into a fresh folder and swaps it in, so a reader never sees
 * half a plan (and a failure leaves the old folder as it was). Returns the paths written, sorted.
 */
export function writeConfigs(outDir: string, configs: Iterable<readonly [file: string, text: string]>): string[] {
  const staging = `${outDir}.staging-${process.pid}`;
  fs.rmSync(staging, { recursive: true, force: true });
  const written: string[] = [];
  const made = new Set<string>();
  try {
    for (const [file, text] of configs) {
      const target = path.join(staging, file);
      const dir = path.dirname(target);
      if (!made.has(dir)) {
        fs.mkdirSync(dir, { recursive: true });
        made.add(dir);
      }
      fs.writeFileSync(target, text);
      written.push(path.join(outDir, file));
    }
  } catch (e) {
    fs.rmSync(staging, { recursive: true, force: true });
    throw e;
  }
  fs.rmSync(outDir, { recursive: true, force: true });
  fs.mkdirSync(path.dirname(outDir), { recursive: true });
  fs.renameSync(staging, outDir);
  return written.sort((a, b) => a.localeCompare(b));
}

/** `--json`: the machine-readable plan, also when the plan fails (its problems or violations are in it). */
function emitJson(opts: PlanOptions & { json: string }): number {
  let snapshot: PlanSnapshot;
  let secrets: string[] = [];
  let code = 0;
  try {
    // The stack's files first, then its config, as declareOffline reads them: the config once.
    const files = readStackFiles(opts.stack, opts.root);
    const { config } = readStackConfig(opts.stack, opts.root);
    const run = runOfflinePlan(opts.stack, opts.root, files, config);
    const policies = checkStackPolicies(opts.stack, opts.root, run.resources);
    secrets = secretValuesOf(run.plan, config);
    snapshot = planSnapshot({ stack: opts.stack, ...run, policies, secrets });
    if (policies.mandatory > 0) code = 1;
  } catch (e) {
    if (e instanceof InventoryError) snapshot = failedSnapshot(opts.stack, e.problems.map(formatProblem));
    else if (e instanceof StackNotFoundError || e instanceof PolicyConfigError)
      snapshot = failedSnapshot(opts.stack, e.message.split("\n"));
    else throw e;
    code = 1;
  }
  const text = formatSnapshot(snapshot);
  assertNoSecret(text, secrets);
  if (opts.json === "-") process.stdout.write(text);
  else fs.writeFileSync(opts.json, text);
  return code;
}

function main(): number {
  const started = process.hrtime.bigint();
  const opts = parseArgs(process.argv.slice(2));
  if (opts.json !== undefined) return emitJson({ ...opts, json: opts.json });
  let run: DeclaredStack;
  try {
    run = declareOffline(opts.stack, opts.root);
  } catch (e) {
    if (e instanceof InventoryError || e instanceof StackNotFoundError) {
      console.error(e.message);
      return 1;
    }
    throw e;
  }
  let policies: PolicyOutcome;
  try {
    policies = checkStackPolicies(opts.stack, opts.root, run.resources);
  } catch (e) {
    if (e instanceof PolicyConfigError) {
      console.error(e.message);
      return 1;
    }
    throw e;
  }
  if (policies.mandatory > 0) {
    console.error(policies.text);
    return 1;
  }
  // Named relative to the root, like every problem in the inventory (the root may be --root).
  const lockFile = stackPaths(opts.stack).lock;
  const lockPath = path.join(opts.root, lockFile);
  const lockText = formatLock(run.plan.lock);
  const lockChanged = (fs.existsSync(lockPath) ? fs.readFileSync(lockPath, "utf8") : "") !== lockText;
  if (lockChanged && opts.lockMode === "frozen") {
    console.error(
      `${lockFile}: the allocation lock is out of date (${run.plan.newAllocations.join("; ") || "entries to rewrite"}); nothing was written. ` +
        `Fix: run \`npm run plan -- --stack ${opts.stack}\` and commit the lock with the inventory change`,
    );
    return 1;
  }
  const written = writeConfigs(opts.outDir, reviewConfigs(run.plan));
  let lockNote = "";
  if (lockChanged) {
    fs.writeFileSync(lockPath, lockText);
    lockNote = `${path.relative(process.cwd(), lockPath)} updated: ${run.plan.newAllocations.length} new allocation(s) (${run.plan.newAllocations.join("; ")}). Commit it with the inventory change.`;
  }
  const elapsedMs = Number(process.hrtime.bigint() - started) / 1e6;
  console.log(
    formatPlanReport({
      plan: run.plan,
      resources: run.resources,
      written: written.map((w) => path.relative(process.cwd(), w)),
      lockNote,
      elapsedMs,
    }),
  );
  console.log(`\n${policies.text}`);
  return 0;
}

if (require.main === module) runCli("plan", main);
