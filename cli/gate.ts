/**
 * The health gate of IOS-XR, Junos and EOS routers, run on the runner by the push and check
 * commands of deploy/scripts.ts:
 *
 *   ts-node cli/gate.ts --platform eos --router lon-edge-2 --timeout 120 --hold 10 \
 *     --session london/b/ipv4,ipv4,192.0.2.10,2,1 … -- ssh -T -p 22 <options> maps-deploy@host
 *
 * Every second it runs the platform's show commands (deploy/gate.ts `gateCommands`) through the
 * given ssh command, judges the answers (`peerStates`, `judgeSessions`), and exits 0 once the
 * sessions were healthy for `--hold` seconds, or 1 after `--timeout` seconds naming what is
 * missing, in the words of the FRR and BIRD gate. Exit 2 on bad arguments.
 */
import { spawnSync } from "child_process";
import { gateCommands, judgeSessions, peerStates, type GateOutputs, type NetworkOs } from "../deploy/gate";
import type { SessionExpectation } from "../deploy/health";

interface GateArgs {
  platform: NetworkOs;
  router: string;
  timeout: number;
  hold: number;
  sessions: SessionExpectation[];
  ssh: string[];
}

/** The arguments, or what is wrong with them. */
export function parseGateArgs(argv: readonly string[]): GateArgs | string {
  const split = argv.indexOf("--");
  if (split < 0 || split === argv.length - 1) return "give the ssh command after --";
  const opts = argv.slice(0, split);
  const ssh = argv.slice(split + 1);
  const sessions: SessionExpectation[] = [];
  let platform: string | undefined;
  let router: string | undefined;
  let timeout = NaN;
  let hold = NaN;
  for (let i = 0; i < opts.length; i += 2) {
    const [key, value] = [opts[i], opts[i + 1]];
    if (value === undefined) return `${key} needs a value`;
    if (key === "--platform") platform = value;
    else if (key === "--router") router = value;
    else if (key === "--timeout") timeout = Number(value);
    else if (key === "--hold") hold = Number(value);
    else if (key === "--session") {
      const [id, afi, peer, sent, minReceived] = value.split(",");
      if ((afi !== "ipv4" && afi !== "ipv6") || !peer || !/^\d+$/.test(sent ?? "") || !/^\d+$/.test(minReceived ?? ""))
        return `--session ${value}: expected <id>,<ipv4|ipv6>,<peer>,<sent>,<minReceived>`;
      sessions.push({ id, afi, peer, sent: Number(sent), minReceived: Number(minReceived), birdProtocol: "" });
    } else return `unknown option ${key}`;
  }
  if (platform !== "iosxr" && platform !== "junos" && platform !== "eos")
    return "--platform must be iosxr, junos or eos";
  if (!router) return "--router is missing";
  if (!(timeout > 0) || !(hold > 0)) return "--timeout and --hold must be positive seconds";
  return { platform, router, timeout, hold, sessions, ssh };
}

function sshAsk(ssh: readonly string[]): (command: string) => string {
  return (command) => {
    const r = spawnSync(ssh[0], [...ssh.slice(1), command], { encoding: "utf8", timeout: 30_000 });
    return r.status === 0 ? r.stdout : "";
  };
}

/** How the gate meets the world: the router's answer to a command, the clock, a wait, a log line. */
export interface GateIo {
  ask(command: string): string;
  now(): number;
  sleep(ms: number): Promise<void>;
  say(text: string): void;
}

/**
 * Polls every second until the sessions were healthy for `hold` seconds (true), or `timeout`
 * seconds passed without that (false, naming what is missing).
 */
export async function runGate(args: Omit<GateArgs, "ssh">, io: GateIo): Promise<boolean> {
  const cmds = gateCommands(args.platform);
  const poll = () => {
    const bfd = io.ask(cmds.bfd);
    const ipv4 = io.ask(cmds.bgp.ipv4);
    const ipv6 = cmds.bgp.ipv6 === cmds.bgp.ipv4 ? ipv4 : io.ask(cmds.bgp.ipv6);
    const out: GateOutputs = { bgp: { ipv4, ipv6 }, bfd };
    return judgeSessions(args.sessions, peerStates(args.platform, out));
  };
  const start = io.now();
  let since: number | undefined;
  for (;;) {
    const verdict = poll();
    const now = io.now();
    if (verdict.healthy) {
      since ??= now;
      if (now - since >= args.hold * 1000) {
        io.say(`healthy for ${args.hold} s: ${verdict.summary.join("; ")}`);
        return true;
      }
    } else {
      since = undefined;
      if (now - start >= args.timeout * 1000) {
        io.say(`NOT HEALTHY after ${args.timeout} s: ${verdict.missing.join("; ")};`);
        return false;
      }
    }
    await io.sleep(1000);
  }
}

async function main(): Promise<number> {
  const args = parseGateArgs(process.argv.slice(2));
  if (typeof args === "string") {
    process.stderr.write(`cli/gate.ts: ${args}\n`);
    return 2;
  }
  const healthy = await runGate(args, {
    ask: sshAsk(args.ssh),
    now: () => Date.now(),
    sleep: (ms) => new Promise((r) => setTimeout(r, ms)),
    say: (text) => process.stdout.write(`${new Date().toISOString().slice(11, 19)} ${args.router}: ${text}\n`),
  });
  return healthy ? 0 : 1;
}

if (require.main === module) void main().then((code) => process.exit(code));
