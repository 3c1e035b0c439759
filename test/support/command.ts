/** Runs a command without a shell and collects what it printed; one runner for every test helper. */
import { spawn } from "child_process";

export interface CommandResult {
  code: number | null;
  stdout: string;
  stderr: string;
  /** The child's pid: FRR names its `/var/tmp/frr/<daemon>.<pid>` crash-log directory after it. */
  pid: number | undefined;
}

/**
 * Resolves when the command ends (killed after `timeoutMs`); rejects only when it cannot start.
 * Asynchronous on purpose: a test may serve the child (a fake endpoint) from its own event loop.
 */
export function runCommand(
  cmd: string,
  args: readonly string[],
  timeoutMs = 30_000,
  options: {
    cwd?: string;
    env?: NodeJS.ProcessEnv;
    /** Written to the child's stdin, then closed (without it the child's stdin is /dev/null). */
    stdin?: string;
  } = {},
): Promise<CommandResult> {
  const { stdin, ...spawnOptions } = options;
  return new Promise((resolve, reject) => {
    const child =
      stdin === undefined
        ? spawn(cmd, args, { ...spawnOptions, stdio: ["ignore", "pipe", "pipe"] })
        : spawn(cmd, args, { ...spawnOptions, stdio: ["pipe", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString("utf8")));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString("utf8")));
    const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
    child.on("error", (e) => {
      clearTimeout(timer);
      reject(new Error(`${cmd}: ${e.message}`));
    });
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr, pid: child.pid });
    });
    child.stdin?.end(stdin);
  });
}
