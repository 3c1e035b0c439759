/**
 * The lab's I/O with the host: commands, namespaces, veths, FRR daemons and vtysh. Nothing here
 * touches the system FRR service: every daemon has its own sockets, pid files and config directory,
 * and is started inside a lab namespace.
 */
import * as fs from "fs";
import { runCommand, type CommandResult } from "../support/command";
import { LAB_PREFIX } from "./topology";

export const FRR_DIR = "/usr/lib/frr";
/** Daemons of the SP and Microsoft edges; customers run zebra and bgpd only. */
export const ROUTER_DAEMONS = ["zebra", "bgpd", "bfdd", "staticd", "isisd"] as const;
export type Daemon = (typeof ROUTER_DAEMONS)[number];
/** FRR daemons beside BIRD on a BIRD router: the lab's IGP only (BIRD holds BGP's port and runs BFD). */
export const BIRD_EDGE_FRR_DAEMONS = ["zebra", "isisd"] as const;
/** FRR leaves a crash-log directory here for every daemon process, whatever its options. */
export const FRR_VAR_TMP = "/var/tmp/frr";

export type RunResult = CommandResult;

export function run(cmd: string, args: readonly string[], timeoutMs = 20_000): Promise<RunResult> {
  return runCommand(cmd, args, timeoutMs);
}

/** Runs a command and throws with its output unless it exits 0. */
export async function must(cmd: string, args: readonly string[], timeoutMs?: number): Promise<string> {
  const r = await run(cmd, args, timeoutMs);
  if (r.code !== 0) {
    throw new Error(`\`${[cmd, ...args].join(" ")}\` exited ${String(r.code)}: ${(r.stderr || r.stdout).trim()}`);
  }
  return r.stdout;
}

export const sleep = (ms: number) => new Promise<void>((ok) => setTimeout(ok, ms));

/** `ip -n <ns> ...` */
export const ipIn = (ns: string, ...args: string[]) => must("ip", ["-n", ns, ...args]);
/** A command inside a namespace. */
export const inNs = (ns: string, cmd: string, args: string[], timeoutMs?: number) =>
  run("ip", ["netns", "exec", ns, cmd, ...args], timeoutMs);

function onPath(cmd: string): boolean {
  return (process.env.PATH ?? "/usr/sbin:/usr/bin:/sbin:/bin")
    .split(":")
    .some((dir) => dir !== "" && fs.existsSync(`${dir}/${cmd}`));
}

/** Why the lab cannot run here, or an empty list. */
export function missingPrerequisites(): string[] {
  const missing: string[] = [];
  if (typeof process.getuid === "function" && process.getuid() !== 0) {
    missing.push(
      "not root: network namespaces, veths and FRR's daemons need root (run `npm test` as root, as CI does; `npm run test:unit` runs everything else)",
    );
  }
  const daemons = ROUTER_DAEMONS.filter((d) => !fs.existsSync(`${FRR_DIR}/${d}`));
  if (daemons.length > 0 || !onPath("vtysh")) {
    missing.push(
      `FRR is not installed (missing: ${[...daemons.map((d) => `${FRR_DIR}/${d}`), ...(onPath("vtysh") ? [] : ["vtysh"])].join(", ")}): run \`bash .ci/install-daemons\``,
    );
  }
  for (const [cmd, pkg] of [
    ["bird", "bird2"],
    ["birdc", "bird2"],
    ["ip", "iproute2"],
    ["tc", "iproute2"],
    ["fping", "fping"],
    ["sysctl", "procps"],
    ["sshd", "openssh-server"],
    ["ssh", "openssh-client"],
    ["ssh-keygen", "openssh-client"],
  ] as const) {
    if (!onPath(cmd)) missing.push(`\`${cmd}\` is missing: run \`bash .ci/install-daemons\` (Debian package ${pkg})`);
  }
  return missing;
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}

export async function listNamespaces(): Promise<string[]> {
  const out = await must("ip", ["netns", "list"]);
  return out
    .split("\n")
    .map((l) => l.trim().split(/\s+/)[0])
    .filter((n): n is string => n !== undefined && n !== "");
}

/** Pids of every process inside a namespace. */
export async function pidsIn(ns: string): Promise<number[]> {
  const r = await run("ip", ["netns", "pids", ns]);
  if (r.code !== 0) return [];
  return r.stdout
    .split("\n")
    .map((l) => Number(l.trim()))
    .filter((n) => Number.isInteger(n) && n > 0);
}

/** Ends the given processes (TERM, then KILL after `graceMs`); returns the pids that were running. */
export async function endProcesses(pids: readonly number[], graceMs = 1500): Promise<number[]> {
  const running = pids.filter(isAlive);
  for (const pid of running) {
    try {
      process.kill(pid, "SIGTERM");
    } catch {
      /* already gone */
    }
  }
  const deadline = Date.now() + graceMs;
  while (running.some(isAlive) && Date.now() < deadline) await sleep(50);
  for (const pid of running.filter(isAlive)) {
    try {
      process.kill(pid, "SIGKILL");
    } catch {
      /* already gone */
    }
  }
  while (running.some(isAlive) && Date.now() < deadline + 2000) await sleep(20);
  return running;
}

/** Removes FRR's `/var/tmp/frr/<daemon>.<pid>` directories of the given pids. */
export function removeFrrVarTmp(pids: readonly number[]): void {
  if (!fs.existsSync(FRR_VAR_TMP)) return;
  const wanted = new Set(pids.map(String));
  for (const entry of fs.readdirSync(FRR_VAR_TMP)) {
    const pid = entry.split(".").pop() ?? "";
    if (wanted.has(pid)) fs.rmSync(`${FRR_VAR_TMP}/${entry}`, { recursive: true, force: true });
  }
}

/** Whether FRR left a `/var/tmp/frr/<daemon>.<pid>` for any of the pids. */
export function frrVarTmpOf(pids: readonly number[]): string[] {
  if (!fs.existsSync(FRR_VAR_TMP)) return [];
  const wanted = new Set(pids.map(String));
  return fs.readdirSync(FRR_VAR_TMP).filter((e) => wanted.has(e.split(".").pop() ?? ""));
}

/**
 * The run id that owns a lab namespace (`pac-<pid>x<random>-<node>`), and the pid in it, so that
 * `--cleanup` only removes leftovers of runs that are no longer alive.
 */
export function ownerOf(ns: string): { runId: string; pid: number } | undefined {
  const m = new RegExp(`^${LAB_PREFIX}(([0-9]+)x[a-z0-9]+)-`).exec(ns);
  return m ? { runId: m[1], pid: Number(m[2]) } : undefined;
}

export function newRunId(): string {
  return `${process.pid}x${Math.floor(Math.random() * 36 ** 3).toString(36)}`;
}
