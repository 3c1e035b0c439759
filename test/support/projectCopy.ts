/**
 * A copy of this project in a temporary git repository, for tests that run its commands where they
 * may write and commit (`npm run onboard`, `npm run diff`): the files git tracks or would track (so
 * uncommitted work is in), the same node_modules (a link: the lock file is the same), and a first
 * commit. The repository's own stacks/ are never written.
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { REPO_ROOT } from "../../load/files";

/** Runs git in `cwd`; throws with its output when it fails. */
export function git(cwd: string, ...args: string[]): string {
  const r = spawnSync("git", args, {
    cwd,
    encoding: "utf8",
    env: {
      ...process.env,
      GIT_AUTHOR_NAME: "test",
      GIT_AUTHOR_EMAIL: "test@example.net",
      GIT_COMMITTER_NAME: "test",
      GIT_COMMITTER_EMAIL: "test@example.net",
    },
  });
  if (r.status !== 0) throw new Error(`git ${args.join(" ")}: ${r.stderr || r.error?.message}`);
  return r.stdout.trim();
}

/** The project's files as git sees them (tracked, and untracked but not ignored). */
function projectFiles(): string[] {
  return git(REPO_ROOT, "ls-files", "--cached", "--others", "--exclude-standard", "-z")
    .split("\0")
    .filter((f) => f !== "" && fs.existsSync(path.join(REPO_ROOT, f)));
}

/** A temporary git repository holding a copy of the project, committed; remove it with `fs.rmSync`. */
export function projectCopy(): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "pac-project-"));
  for (const f of projectFiles()) {
    fs.mkdirSync(path.dirname(path.join(root, f)), { recursive: true });
    fs.copyFileSync(path.join(REPO_ROOT, f), path.join(root, f));
  }
  fs.symlinkSync(path.join(REPO_ROOT, "node_modules"), path.join(root, "node_modules"), "dir");
  git(root, "init", "--quiet", "--initial-branch=main");
  // `node_modules/` in .gitignore matches directories only; the link is not one.
  fs.appendFileSync(path.join(root, ".git", "info", "exclude"), "node_modules\nout/\n");
  git(root, "add", "--all");
  git(root, "commit", "--quiet", "--message", "base");
  return root;
}

/** Runs one of the project's npm scripts in `cwd` (`npm run --silent <script> -- <args>`). */
export function npmRun(
  cwd: string,
  script: string,
  ...args: string[]
): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync("npm", ["run", "--silent", script, "--", ...args], {
    cwd,
    encoding: "utf8",
    timeout: 240_000,
    maxBuffer: 64 * 1024 * 1024,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}
