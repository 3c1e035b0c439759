/**
 * The change report of a pull request: `npm run diff -- --stack lab --base origin/main`.
 *
 * The base ref's plan is made with the base ref's own code and inventory: the ref's tree is
 * exported (`git archive`, so the repository and its worktrees are left alone) into a temporary
 * folder, its dependencies are the working tree's when its package-lock.json is the same (a link),
 * else installed with `npm ci`, and its `npm run plan -- --json` runs there. The working tree's plan
 * runs the same way here, at the same time. The two snapshots are compared (`gitops/compare.ts`)
 * and printed as Markdown fit for a pull-request comment (`gitops/report.ts`).
 *
 * Exit codes: 0 the report is written and the change plans and passes the policies; 1 the report is
 * written and the change fails (inventory problems or a mandatory violation: the report says which);
 * 2 no report (a bad argument, an unknown ref, a base that predates the machine-readable plan).
 */
import { spawn, spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { REPO_ROOT } from "../load/files";
import { comparePlans } from "../gitops/compare";
import { changeReport, COMMENT_MAX_CHARS, type ReportContext } from "../gitops/report";
import { parseSnapshot, SnapshotError, type PlanSnapshot } from "../gitops/snapshot";
import { runCli } from "./main";

const USAGE =
  "usage: npm run diff -- --stack <name> --base <git ref> [--out <file>] [--comment-out <file>] [--max-chars <n>]";

export interface DiffOptions {
  stack: string;
  base: string;
  /** The full report (default: standard output). */
  out?: string;
  /** The same report fitted into a pull-request comment. */
  commentOut?: string;
  /** A limit on the report written to `out` (0: none). */
  maxChars: number;
}

/** A failure that leaves no report: its message is the whole story, with the fix. */
export class DiffError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "DiffError";
  }
}

export function parseDiffArgs(argv: readonly string[]): DiffOptions {
  let stack: string | undefined;
  let base: string | undefined;
  let out: string | undefined;
  let commentOut: string | undefined;
  let maxChars = 0;
  const problems: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = () => {
      const v = argv[++i];
      if (v === undefined || v.startsWith("--")) problems.push(`${a} needs a value`);
      return v ?? "";
    };
    if (a === "--stack" || a === "-s") stack = value();
    else if (a === "--base") base = value();
    else if (a === "--out") out = value();
    else if (a === "--comment-out") commentOut = value();
    else if (a === "--max-chars") {
      const v = value();
      maxChars = Number(v);
      if (!/^\d+$/.test(v))
        problems.push(`--max-chars ${JSON.stringify(v)}: give a whole number of characters (0: no limit)`);
    } else if (a === "--help" || a === "-h") {
      console.log(USAGE);
      process.exit(0);
    } else problems.push(`unknown argument ${JSON.stringify(a)}`);
  }
  if (stack === undefined) problems.push("--stack is missing: name the stack to compare, e.g. --stack lab");
  else if (!/^[A-Za-z0-9_.-]+$/.test(stack))
    problems.push(
      `--stack ${JSON.stringify(stack)} is not a stack name: name a folder under stacks/, e.g. --stack lab`,
    );
  if (base === undefined)
    problems.push(
      "--base is missing: name the commit to compare with, e.g. --base origin/main (a pull request's base)",
    );
  else if (base.startsWith("-")) problems.push(`--base ${JSON.stringify(base)} is not a git ref`);
  if (problems.length > 0) throw new DiffError(`diff: ${problems.join("; ")}. ${USAGE.replace(/^u/, "U")}`);
  return {
    stack: stack as string,
    base: base as string,
    ...(out ? { out } : {}),
    ...(commentOut ? { commentOut } : {}),
    maxChars,
  };
}

function git(cwd: string, args: readonly string[]): { ok: boolean; stdout: string; stderr: string } {
  const r = spawnSync("git", args, { cwd, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
  if (r.error) throw new DiffError(`diff: git could not run (${r.error.message}). Fix: install git`);
  return { ok: r.status === 0, stdout: r.stdout.trim(), stderr: r.stderr.trim() };
}

interface Checkout {
  /** The repository's top level, and where the project sits in it (`""` at the top). */
  top: string;
  prefix: string;
  baseCommit: string;
  /** The working tree, as the report names it. */
  head: string;
}

function resolveCheckout(root: string, base: string): Checkout {
  const top = git(root, ["rev-parse", "--show-toplevel"]);
  if (!top.ok)
    throw new DiffError(`diff: ${root} is not in a git repository (${top.stderr}). Fix: run npm run diff in a clone`);
  const commit = git(root, ["rev-parse", "--verify", "--quiet", `${base}^{commit}`]);
  if (!commit.ok)
    throw new DiffError(
      `diff: --base ${base}: no such commit in this repository. Fix: fetch it (git fetch origin ${base.replace(/^origin\//, "")}; a shallow CI checkout needs fetch-depth: 0) or name a commit, e.g. --base origin/main`,
    );
  const headCommit = git(root, ["rev-parse", "--short=12", "HEAD"]);
  const dirty = git(root, ["status", "--porcelain", "--untracked-files=normal", "--", "."]).stdout !== "";
  const prefix = path.relative(fs.realpathSync(top.stdout), fs.realpathSync(root)).split(path.sep).join("/");
  return {
    top: top.stdout,
    prefix,
    baseCommit: commit.stdout,
    head: `the working tree at ${headCommit.ok ? `\`${headCommit.stdout}\`` : "a commit-less HEAD"}${dirty ? " (with uncommitted changes)" : ""}`,
  };
}

/** The base's tree in a temporary folder, with dependencies to run its plan. */
function exportBase(checkout: Checkout, root: string, into: string): void {
  const tree = checkout.prefix === "" ? checkout.baseCommit : `${checkout.baseCommit}:${checkout.prefix}`;
  const tar = path.join(into, "..", `${path.basename(into)}.tar`);
  const archived = git(checkout.top, ["archive", "--format=tar", `--output=${tar}`, tree]);
  if (!archived.ok) throw new DiffError(`diff: git archive ${tree} failed: ${archived.stderr}`);
  fs.mkdirSync(into, { recursive: true });
  const untar = spawnSync("tar", ["-xf", tar, "-C", into], { encoding: "utf8" });
  fs.rmSync(tar, { force: true });
  if (untar.status !== 0)
    throw new DiffError(`diff: unpacking the base failed: ${untar.stderr || untar.error?.message}`);
  const lock = (dir: string) => {
    const file = path.join(dir, "package-lock.json");
    return fs.existsSync(file) ? fs.readFileSync(file, "utf8") : undefined;
  };
  if (!fs.existsSync(path.join(into, "package.json")))
    throw new DiffError(
      `diff: the base ${checkout.baseCommit.slice(0, 12)} has no package.json: it is not a commit of this project`,
    );
  if (lock(into) !== undefined && lock(into) === lock(root) && fs.existsSync(path.join(root, "node_modules"))) {
    // The same lock file: the same dependencies. Node resolves modules from the link's target.
    fs.symlinkSync(path.join(root, "node_modules"), path.join(into, "node_modules"), "dir");
    return;
  }
  process.stderr.write(`diff: the base's package-lock.json differs: installing its dependencies (npm ci) …\n`);
  const ci = spawnSync("npm", ["ci", "--no-audit", "--no-fund", "--ignore-scripts"], {
    cwd: into,
    encoding: "utf8",
    stdio: ["ignore", "ignore", "pipe"],
  });
  if (ci.status !== 0)
    throw new DiffError(
      `diff: npm ci for the base failed: ${(ci.stderr ?? "").trim().split("\n").slice(-3).join(" ")}`,
    );
}

interface PlanResult {
  code: number | null;
  stderr: string;
  json?: string;
}

/** `npm run plan -- --stack <s> --json <file>` in `cwd`, as that checkout's own package.json runs it. */
function runPlan(cwd: string, stack: string, jsonFile: string): Promise<PlanResult> {
  return new Promise((resolve, reject) => {
    const child = spawn("npm", ["run", "--silent", "plan", "--", "--stack", stack, "--json", jsonFile], {
      cwd,
      stdio: ["ignore", "ignore", "pipe"],
    });
    let stderr = "";
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString("utf8")));
    child.on("error", (e) => reject(new DiffError(`diff: npm could not run (${e.message})`)));
    child.on("close", (code) =>
      resolve({ code, stderr, ...(fs.existsSync(jsonFile) ? { json: fs.readFileSync(jsonFile, "utf8") } : {}) }),
    );
  });
}

/** The base's snapshot, or why there is none: a base from before `--json` says so and how to go on. */
function baseSnapshot(result: PlanResult, ctx: { base: string; commit: string }): PlanSnapshot {
  const label = `base ${ctx.base} (${ctx.commit.slice(0, 12)})`;
  if (result.json === undefined) {
    if (/unknown argument "--json"|Missing script: "?plan/.test(result.stderr))
      throw new DiffError(
        `diff: ${label} predates the machine-readable plan (its \`npm run plan\` has no --json), so its plan cannot be compared. ` +
          "Fix: compare with a base that has it (any commit since the change report was added), or review the base's `npm run plan` output by hand",
      );
    throw new DiffError(`diff: the plan of ${label} failed (exit ${String(result.code)}): ${lastLines(result.stderr)}`);
  }
  try {
    return parseSnapshot(result.json, label);
  } catch (e) {
    if (e instanceof SnapshotError)
      throw new DiffError(`diff: ${e.message}. Fix: compare with a base whose plan this code reads`);
    throw e;
  }
}

function lastLines(text: string): string {
  return text.trim().split("\n").slice(-5).join("\n") || "(it printed nothing)";
}

export async function runDiff(
  opts: DiffOptions,
  root = REPO_ROOT,
): Promise<{ report: string; comment: string; code: number }> {
  const checkout = resolveCheckout(root, opts.base);
  const work = fs.mkdtempSync(path.join(os.tmpdir(), "pac-diff-"));
  try {
    const baseDir = path.join(work, "base");
    exportBase(checkout, root, baseDir);
    const [base, head] = await Promise.all([
      runPlan(baseDir, opts.stack, path.join(work, "base.json")),
      runPlan(root, opts.stack, path.join(work, "head.json")),
    ]);
    const baseSnap = baseSnapshot(base, { base: opts.base, commit: checkout.baseCommit });
    if (head.json === undefined)
      throw new DiffError(
        `diff: the plan of the working tree failed (exit ${String(head.code)}): ${lastLines(head.stderr)}`,
      );
    const headSnap = parseSnapshot(head.json, "the working tree");
    const comparison = comparePlans(baseSnap, headSnap);
    const ctx: ReportContext = {
      stack: opts.stack,
      baseRef: opts.base,
      baseCommit: checkout.baseCommit,
      head: checkout.head,
    };
    const fails =
      headSnap.problems.length > 0 || (headSnap.policies?.violations.some((v) => v.level === "mandatory") ?? false);
    return {
      report: changeReport(comparison, ctx, { maxChars: opts.maxChars }),
      comment: changeReport(comparison, ctx, { maxChars: COMMENT_MAX_CHARS }),
      code: fails ? 1 : 0,
    };
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

async function main(): Promise<number> {
  try {
    const opts = parseDiffArgs(process.argv.slice(2));
    const { report, comment, code } = await runDiff(opts);
    if (opts.out) fs.writeFileSync(opts.out, report);
    else process.stdout.write(report);
    if (opts.commentOut) fs.writeFileSync(opts.commentOut, comment);
    return code;
  } catch (e) {
    if (e instanceof DiffError) {
      console.error(e.message);
      return 2;
    }
    throw e;
  }
}

if (require.main === module) runCli("diff", main);
