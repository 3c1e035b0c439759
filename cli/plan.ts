/**
 * The offline plan: `npm run plan -- --stack lab`.
 *
 * Runs the Pulumi program itself under Pulumi's mock runtime (no CLI, no Azure credentials), then
 * prints what `pulumi preview` would create and writes every router config, secrets redacted, to
 * out/<stack>/<metro>/<router>.<ext>. Nothing is written unless the whole plan succeeds.
 *
 * With `--json <file>` it writes the machine-readable plan instead (`gitops/snapshot.ts`: resources,
 * review configs, policy results) and nothing else: no configs, no lock. `npm run diff` reads it.
 */
import * as fs from "fs";
import * as path from "path";
import { readStackFiles, REPO_ROOT, StackNotFoundError } from "../load/files";
import { formatLock } from "../load/lock";
import { formatProblem, InventoryError } from "../load/problem";
import { stackPaths } from "../load/stackPaths";
import type { Plan } from "../plan/model";
import { resolve, startMockRuntime, type RecordedResource } from "./mockRuntime";
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

export interface PlanRun {
  plan: Plan;
  resources: RecordedResource[];
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
 * Runs the program under mocks and collects what it declared. Throws InventoryError on bad input.
 * `files` defaults to the stack's files under `root` (`npm run onboard` passes them with a new metro).
 */
export async function runOfflinePlan(
  stack: string,
  root = REPO_ROOT,
  files: StackFiles = readStackFiles(stack, root),
): Promise<PlanRun> {
  const recorder = await startMockRuntime(stack, root);
  // Imported only now: the program reads config and registers resources when it is loaded.
  const { definePeeringStack, declaredNames } = await import("../stacks/program");
  const outputs = definePeeringStack(stack, { files });
  const reviewConfigs = await resolve(outputs.reviewConfigs);
  // Every resource registers before its outputs resolve; awaiting their names settles them all.
  await resolve(declaredNames(outputs));
  return { plan: outputs.plan, resources: recorder.resources, reviewConfigs };
}

/** Writes the configs into a fresh folder and swaps it in, so a reader never sees half a plan. */
export function writeConfigs(outDir: string, configs: Record<string, string>): string[] {
  const staging = `${outDir}.staging-${process.pid}`;
  fs.rmSync(staging, { recursive: true, force: true });
  const written: string[] = [];
  for (const [file, text] of Object.entries(configs).sort(([a], [b]) => a.localeCompare(b))) {
    const target = path.join(staging, file);
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.writeFileSync(target, text);
    written.push(path.join(outDir, file));
  }
  fs.rmSync(outDir, { recursive: true, force: true });
  fs.mkdirSync(path.dirname(outDir), { recursive: true });
  fs.renameSync(staging, outDir);
  return written;
}

/** `--json`: the machine-readable plan, also when the plan fails (its problems or violations are in it). */
async function emitJson(opts: PlanOptions & { json: string }): Promise<number> {
  let snapshot: PlanSnapshot;
  let secrets: string[] = [];
  let code = 0;
  try {
    const run = await runOfflinePlan(opts.stack, opts.root);
    const policies = checkStackPolicies(opts.stack, opts.root, run.resources);
    secrets = secretValuesOf(run.plan);
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

async function main(): Promise<number> {
  const started = process.hrtime.bigint();
  const opts = parseArgs(process.argv.slice(2));
  if (opts.json !== undefined) return emitJson({ ...opts, json: opts.json });
  let run: PlanRun;
  try {
    run = await runOfflinePlan(opts.stack, opts.root);
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
  const written = writeConfigs(opts.outDir, run.reviewConfigs);
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
