/**
 * The deploy proof: sshd in every SP router's namespace (its own config, host key and authorized
 * key, generated per run; never the system's sshd service), and the exact command strings the
 * `remote.Command` resources carry (`deploy/scripts.ts`) run over SSH against the lab's FRR and
 * BIRD, in the rollout order the component declares (`deploy/rollout.ts`): leg a, a fresh health
 * check of leg a, leg b. The lab is the runner in the management network; the routers' `vtysh` and
 * `birdc` are their own (a wrapper on sshd's PATH points them at the router's sockets).
 */
import { spawn } from "child_process";
import { runCommand } from "../support/command";
import * as fs from "fs";
import * as path from "path";
import type { RouterPlan } from "../../plan/model";
import { createRenderer, loadTemplateSources, type Renderer } from "../../render";
import { rolloutWaves } from "../../deploy/rollout";
import { drainedRouter, sessionFacts, type PushRendering } from "../../deploy/drain";
import { routerCommands, type PushSettings } from "../../deploy/scripts";
import { DEFAULT_PRIVATE_KEY_SECRET, type DeployTarget } from "../../deploy/settings";
import { probeSource } from "./checks";
import { birdPaths, stackSecrets, type Lab } from "./lab";
import { ready } from "./scenarios";
import { isAlive, must, run, sleep } from "./system";
import { customerOf, type SpEdge } from "./topology";

/**
 * The lab's gate and drain: short enough for a lab run, as a stack would set them (`deploy.gate`,
 * `deploy.drainSeconds`). The lab's BGP reconverges in well under a second, so 5 s of drain is
 * ample here; a real network wants the default minute.
 */
export const LAB_DEPLOY_SETTINGS: PushSettings = {
  gate: { timeoutSeconds: 20, holdSeconds: 3, minReceived: { ipv4: 1, ipv6: 1 } },
  confirmSeconds: 90,
  drainSeconds: 5,
};

export interface SshResult {
  code: number | null;
  stdout: string;
  stderr: string;
  ms: number;
}

/** One step the runner took: which router, what, how it ended, when. */
export interface StepLog {
  router: string;
  step: "read-previous" | "push" | "check";
  code: number | null;
  startedAt: number;
  ms: number;
  output: string;
}

/** sshd in the SP routers' namespaces, and an SSH client that runs commands there. */
export class LabSsh {
  private readonly dir: string;
  private readonly key: string;
  private readonly knownHosts: string;

  private constructor(
    private readonly lab: Lab,
    private readonly edges: SpEdge[],
  ) {
    this.dir = path.join(lab.runDir, "ssh");
    this.key = path.join(this.dir, "id_ed25519");
    this.knownHosts = path.join(this.dir, "known_hosts");
  }

  /** A fresh key pair and host key for this run, and sshd listening on 127.0.0.1:22 in every SP router's namespace. */
  static async start(lab: Lab): Promise<LabSsh> {
    const ssh = new LabSsh(lab, lab.topology.sp);
    await ssh.setUp();
    return ssh;
  }

  private async setUp(): Promise<void> {
    fs.mkdirSync(this.dir, { recursive: true, mode: 0o700 });
    const hostKey = path.join(this.dir, "host_ed25519");
    await must("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-C", "pac-lab-runner", "-f", this.key]);
    await must("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-C", "pac-lab-router", "-f", hostKey]);
    fs.copyFileSync(`${this.key}.pub`, path.join(this.dir, "authorized_keys"));
    fs.writeFileSync(
      this.knownHosts,
      `127.0.0.1 ${fs.readFileSync(`${hostKey}.pub`, "utf8").split(" ").slice(0, 2).join(" ")}\n`,
    );
    // sshd's privilege separation directory (the system service's tmpfiles would make it).
    fs.mkdirSync("/run/sshd", { recursive: true, mode: 0o755 });
    await Promise.all(
      this.edges.map(async (e) => {
        const dir = this.lab.routerDir(e.ns);
        const bin = path.join(dir, "bin");
        fs.mkdirSync(bin, { recursive: true });
        // The router's own vtysh and birdc, as on a router: here they talk to this router's sockets.
        fs.writeFileSync(
          path.join(bin, "vtysh"),
          `#!/bin/sh\nexec /usr/bin/vtysh --vty_socket ${dir} --config_dir ${dir} "$@"\n`,
          { mode: 0o755 },
        );
        if (e.daemon === "bird")
          fs.writeFileSync(path.join(bin, "birdc"), `#!/bin/sh\nexec /usr/sbin/birdc -s ${birdPaths(dir).ctl} "$@"\n`, {
            mode: 0o755,
          });
        const config = path.join(dir, "sshd_config");
        fs.writeFileSync(
          config,
          [
            "ListenAddress 127.0.0.1",
            "Port 22",
            `HostKey ${hostKey}`,
            `PidFile ${path.join(dir, "sshd.pid")}`,
            `AuthorizedKeysFile ${path.join(this.dir, "authorized_keys")}`,
            "PermitRootLogin prohibit-password",
            "PasswordAuthentication no",
            "KbdInteractiveAuthentication no",
            "UsePAM no",
            "StrictModes no",
            `SetEnv PATH=${bin}:/usr/sbin:/usr/bin:/sbin:/bin`,
            "LogLevel ERROR",
            "",
          ].join("\n"),
        );
        const child = spawn("ip", ["netns", "exec", e.ns, "/usr/sbin/sshd", "-D", "-e", "-f", config], {
          detached: true,
          stdio: "ignore",
        });
        child.unref();
        const pid = child.pid;
        if (pid === undefined) throw new Error(`${e.hostname}: sshd did not start`);
        // Poll until a login works (sshd is up and the key is accepted), bounded.
        const deadline = Date.now() + 20_000;
        for (;;) {
          const r = await this.run(e, "true", "", 5_000);
          if (r.code === 0) break;
          if (!isAlive(pid)) throw new Error(`${e.hostname}: sshd exited: ${r.stderr.trim()}`);
          if (Date.now() > deadline) throw new Error(`${e.hostname}: no SSH login within 20 s: ${r.stderr.trim()}`);
          await sleep(100);
        }
      }),
    );
  }

  /** Runs a command on the router over SSH (the runner's side of `remote.Command`), with stdin. */
  async run(e: SpEdge, command: string, stdin: string, timeoutMs = 120_000): Promise<SshResult> {
    const started = Date.now();
    const r = await runCommand(
      "ip",
      [
        ...["netns", "exec", e.ns, "ssh", "-i", this.key, "-o", `UserKnownHostsFile=${this.knownHosts}`],
        ...["-o", "StrictHostKeyChecking=yes", "-o", "BatchMode=yes", "-o", "LogLevel=ERROR", "root@127.0.0.1"],
        command,
      ],
      timeoutMs,
      { stdin },
    );
    return { code: r.code, stdout: r.stdout, stderr: r.stderr, ms: Date.now() - started };
  }

  /** The deploy target of a lab router, as a stack's `deploy.routers` would give it. */
  target(e: SpEdge): DeployTarget {
    const dir = this.lab.routerDir(e.ns);
    return {
      hostname: e.hostname,
      host: "127.0.0.1",
      port: 22,
      user: "root",
      privateKeySecret: DEFAULT_PRIVATE_KEY_SECRET,
      stateDir: path.join(dir, "state"),
      ...(e.daemon === "bird" ? { birdFile: birdPaths(dir).productFile } : {}),
    };
  }
}

/**
 * One metro's rollout, as Pulumi runs the resources the component declares: per router, the read
 * of the previous rendering and the push; before each later leg, a fresh check of the leg before.
 * The first failure stops the metro (Pulumi stops at a failed resource), so later legs are untouched.
 */
export async function rollOutMetro(lab: Lab, ssh: LabSsh, metro: string, render: LabRendering): Promise<StepLog[]> {
  const t = lab.topology;
  const edges = new Map(t.sp.map((e) => [e.hostname, e]));
  const targets = Object.fromEntries(t.sp.map((e) => [e.hostname, ssh.target(e)]));
  const [wave] = rolloutWaves(t.plan, { targets, waves: [[metro]] });
  const routers = wave?.find((m) => m.metro === metro)?.routers ?? [];
  const log: StepLog[] = [];
  const step = async (router: string, kind: StepLog["step"], command: string, stdin: string) => {
    const startedAt = Date.now();
    const r = await ssh.run(edges.get(router) as SpEdge, command, stdin);
    log.push({ router, step: kind, code: r.code, startedAt, ms: r.ms, output: `${r.stdout}${r.stderr}`.trim() });
    return r;
  };
  let before: { hostname: string; check: string } | undefined;
  for (const router of routers) {
    const edge = edges.get(router.hostname) as SpEdge;
    const cmds = routerCommands(router, targets[router.hostname], LAB_DEPLOY_SETTINGS, edge.daemon);
    if (before !== undefined && (await step(before.hostname, "check", before.check, "")).code !== 0) return log;
    const previous = (await step(router.hostname, "read-previous", cmds.readPrevious, "")).stdout;
    const pushed = await step(router.hostname, "push", cmds.push, cmds.pushInput(previous, render(router, edge)));
    if (pushed.code !== 0) return log;
    before = { hostname: router.hostname, check: cmds.check };
  }
  return log;
}

/** What a push of the lab sends about a router's next rendering (deploy/drain.ts). */
export type LabRendering = (router: RouterPlan, edge: SpEdge) => PushRendering;

/** The lab's rendering of a router: the product's, on the daemon the lab runs for it, with its drained variant. */
export function labRenderer(lab: Lab): LabRendering {
  const renderer: Renderer = createRenderer(loadTemplateSources());
  const secrets = stackSecrets(lab.topology.plan.stack);
  return (router, edge) => {
    const onDaemon = { ...router, vendor: edge.daemon };
    return {
      text: renderer.render(onDaemon, secrets).text,
      drained: renderer.render(drainedRouter(onDaemon), secrets).text,
      sessions: sessionFacts(router, secrets),
    };
  };
}

export interface ProbeRun {
  sent: number;
  lost: number;
}

/** Probes customer → service host every `intervalMs` while `during` runs; lost = missing replies up to the last one. */
export async function probeDuring<T>(
  lab: Lab,
  metro: string,
  intervalMs: number,
  during: () => Promise<T>,
): Promise<{ result: T; probes: ProbeRun }> {
  const customer = customerOf(lab.topology, metro);
  const child = spawn(
    "ip",
    [
      "netns",
      "exec",
      customer.ns,
      "fping",
      "-l",
      "-p",
      String(intervalMs),
      "-t",
      "500",
      "-S",
      probeSource(customer),
      lab.topology.service.ipv4,
    ],
    { stdio: ["ignore", "pipe", "pipe"] },
  );
  let out = "";
  child.stdout.on("data", (d: Buffer) => (out += d.toString("utf8")));
  const first = Date.now() + 10_000;
  while (!/\[0\], \d+ bytes/.test(out)) {
    if (Date.now() > first) throw new Error("lab: the first probe did not come back within 10 s");
    await sleep(10);
  }
  const result = await during();
  // A second more, so that a loss at the very end would show.
  await sleep(1000);
  const closed = new Promise<void>((ok) => child.on("close", () => ok()));
  child.kill("SIGINT");
  await closed;
  const received = new Set([...out.matchAll(/\[(\d+)\], \d+ bytes/g)].map((m) => Number(m[1])));
  const last = Math.max(...received);
  return { result, probes: { sent: last + 1, lost: last + 1 - received.size } };
}

/** When leg a's traffic left the leg and came back, both ways, as `ip route get` saw it (ms of the UTC day). */
export interface LegTraffic {
  /** The SP's router on leg a: to the service, no longer via Microsoft's session address. */
  spOff?: number;
  spBack?: number;
  /** Microsoft's router on leg a: to the customer, no longer via the SP's session address. */
  msftOff?: number;
  msftBack?: number;
  samples: number;
}

const msOfDay = (epochMs: number) => epochMs % 86_400_000;

/** A push log line's time (`HH:MM:SS.mmm router: text`), in ms of the UTC day: the first such line, or the last. */
export function loggedAt(output: string, text: string, which: "first" | "last" = "first"): number | undefined {
  const all = [...output.matchAll(new RegExp(`^(\\d\\d):(\\d\\d):(\\d\\d)(?:\\.(\\d{3}))? \\S+: ${text}`, "gm"))];
  const m = which === "first" ? all[0] : all.at(-1);
  return m ? ((Number(m[1]) * 60 + Number(m[2])) * 60 + Number(m[3])) * 1000 + Number(m[4] ?? 0) : undefined;
}

/**
 * Watches where leg a's traffic goes while `during` runs: every 100 ms the kernel's route on the
 * SP router (to the service) and on Microsoft's router (to the customer) of leg a. Off the leg is
 * any next hop other than the leg's session address at the far end.
 */
export async function watchLegA<T>(
  lab: Lab,
  legA: SpEdge,
  during: () => Promise<T>,
): Promise<{ result: T; traffic: LegTraffic }> {
  const t = lab.topology;
  const msft = t.msft.find((m) => m.sp === legA);
  if (!msft) throw new Error(`lab: no Microsoft router faces ${legA.hostname}`);
  const customer = probeSource(customerOf(t, legA.router.metro.id));
  const traffic: LegTraffic = { samples: 0 };
  const via = async (ns: string, to: string) =>
    /\bvia (\S+)/.exec((await run("ip", ["netns", "exec", ns, "ip", "-4", "route", "get", to])).stdout)?.[1];
  let done = false;
  const poll = (async () => {
    while (!done) {
      const [sp, ms] = await Promise.all([via(legA.ns, t.service.ipv4), via(msft.ns, customer)]);
      const now = msOfDay(Date.now());
      traffic.samples++;
      if (sp !== legA.leg.ipv4.microsoft) traffic.spOff ??= now;
      else if (traffic.spOff !== undefined) traffic.spBack ??= now;
      if (ms !== legA.leg.ipv4.sp) traffic.msftOff ??= now;
      else if (traffic.msftOff !== undefined) traffic.msftBack ??= now;
      await sleep(100);
    }
  })();
  try {
    return { result: await during(), traffic };
  } finally {
    done = true;
    await poll;
  }
}

/** A changed plan of the lab: `change` maps each router of the metro to its changed plan. */
export function changedRenderer(base: LabRendering, change: (router: RouterPlan) => RouterPlan): LabRendering {
  return (router, edge) => base(change(router), edge);
}

export interface DeployResult {
  metro: string;
  /** Leg a, then leg b: routers in order. */
  routers: string[];
  adopt: StepLog[];
  /** The stack's rendering pushed again after the bad change. */
  restore: StepLog[];
  /** What the gate said was missing after the bad change. */
  gateFinding: string;
  good: {
    steps: StepLog[];
    probes: ProbeRun;
    confirmed: string[];
    /** Leg a's push drained the leg before the change (the change is a session's). */
    drained: boolean;
    /** From the drain applied on leg a to its traffic off the leg, each way (ms). */
    drainMs: { sp?: number; msft?: number };
    /** Leg a's traffic back on the leg after the undrain. */
    back: boolean;
  };
  bad: {
    steps: StepLog[];
    probes: ProbeRun;
    rolledBack: boolean;
    /** From the gate giving up to the leg healthy again (held), as the push logged it. */
    rollbackMs: number | undefined;
    /** Steps that touched leg b: none. */
    legBSteps: number;
    /** Leg b's last confirmed rendering, before and after the bad rollout: the same. */
    legBUnchanged: boolean;
  };
}

/** The good and the bad rollout of one metro, with probes. */
export async function deployScenario(lab: Lab, ssh: LabSsh, metro: string): Promise<DeployResult> {
  const base = labRenderer(lab);
  const routers = lab.topology.sp
    .filter((e) => e.router.metro.id === metro)
    .sort((a, b) => a.leg.position - b.leg.position);
  const [legA, legB] = routers;
  await ready(lab, metro);
  // First, adopt: the rendering the lab loaded, pushed once, so each router holds its last confirmed rendering.
  const adopt = await rollOutMetro(lab, ssh, metro, base);

  // A good change: a lower max-prefix limit on every session (reaches BGP without a reset).
  const good = changedRenderer(base, (r) => ({
    ...r,
    sessions: r.sessions.map((s) => ({ ...s, maxPrefix: { ...s.maxPrefix, limit: s.maxPrefix.limit - 100 } })),
  }));
  // It changes the sessions (deploy/drain.ts): leg a is drained first, then changed, then undrained.
  await ready(lab, metro);
  const watched = await watchLegA(lab, legA, () =>
    probeDuring(lab, metro, 10, () => rollOutMetro(lab, ssh, metro, good)),
  );
  const goodRun = watched.result;
  const confirmed = goodRun.result.filter((s) => s.step === "push" && s.code === 0).map((s) => s.router);
  const goodPushA = goodRun.result.find((s) => s.router === legA.hostname && s.step === "push")?.output ?? "";
  const drainedAt = loggedAt(goodPushA, "drain: applying");
  const since = (at: number | undefined) => (at === undefined || drainedAt === undefined ? undefined : at - drainedAt);

  // A bad change on leg a: Microsoft's ASN mistyped, so the session never comes up.
  const stateOf = (e: SpEdge) => {
    const file = path.join(ssh.target(e).stateDir, `${e.hostname}.conf`);
    return e.daemon === "bird"
      ? fs.readFileSync(ssh.target(e).birdFile as string, "utf8")
      : fs.existsSync(file)
        ? fs.readFileSync(file, "utf8")
        : "";
  };
  const legBBefore = stateOf(legB);
  const bad = changedRenderer(good, (r) =>
    r.hostname === legA.hostname ? { ...r, sessions: r.sessions.map((s) => ({ ...s, peerAsn: 8074 })) } : r,
  );
  await ready(lab, metro);
  const badRun = await probeDuring(lab, metro, 10, () => rollOutMetro(lab, ssh, metro, bad));
  const legBAfter = stateOf(legB);
  const push = badRun.result.find((s) => s.router === legA.hostname && s.step === "push");
  const gaveUp = loggedAt(push?.output ?? "", "NOT HEALTHY");
  // Healthy again: the last "healthy for" of the push, after the rollback.
  const backMs = loggedAt(push?.output ?? "", "healthy for", "last");
  // Back to the stack's own rendering, the same way, so the lab's later checks see what the plan says.
  await ready(lab, metro);
  const restore = await rollOutMetro(lab, ssh, metro, base);
  await ready(lab, metro);
  return {
    metro,
    routers: routers.map((e) => e.hostname),
    adopt,
    restore,
    gateFinding: /NOT HEALTHY after \d+ s:(.*)$/m.exec(push?.output ?? "")?.[1]?.trim() ?? "",
    good: {
      steps: goodRun.result,
      probes: goodRun.probes,
      confirmed,
      drained: /drained \(RFC 8326\)/.test(goodPushA) && /undrain: applying/.test(goodPushA),
      drainMs: { sp: since(watched.traffic.spOff), msft: since(watched.traffic.msftOff) },
      back: watched.traffic.spBack !== undefined && watched.traffic.msftBack !== undefined,
    },
    bad: {
      steps: badRun.result,
      probes: badRun.probes,
      rolledBack: push?.code !== 0 && /rolled back: healthy again/.test(push?.output ?? ""),
      rollbackMs: gaveUp !== undefined && backMs !== undefined ? backMs - gaveUp : undefined,
      legBSteps: badRun.result.filter((s) => s.router === legB.hostname).length,
      legBUnchanged: legBAfter === legBBefore,
    },
  };
}

/** The metros the proof rolls out: the first with two legs (FRR), and one whose leg a runs BIRD. */
export function deployMetros(lab: Lab): string[] {
  const t = lab.topology;
  const paired = t.plan.metros
    .map((m) => m.id)
    .filter((id) => t.sp.filter((e) => e.router.metro.id === id).length >= 2);
  const bird = paired.find((id) => t.sp.some((e) => e.router.metro.id === id && e.daemon === "bird"));
  return [...new Set([paired[0], ...(bird ? [bird] : [])])].filter((m): m is string => m !== undefined);
}

/** Whether a metro's proof went as it must: the good change confirmed leg a, checked it, then leg b without a lost probe; the bad one rolled back on leg a alone. */
export function deployProblems(r: DeployResult): string[] {
  const [a, b] = r.routers;
  const order = r.good.steps.filter((s) => s.step !== "read-previous").map((s) => `${s.router} ${s.step}`);
  const problems: string[] = [];
  if (!r.adopt.every((s) => s.code === 0)) problems.push("adopt failed");
  if (order.join() !== [`${a} push`, `${a} check`, `${b} push`].join() || !r.good.steps.every((s) => s.code === 0))
    problems.push(`good change: ${order.join(" → ")}`);
  if (r.good.probes.lost !== 0) problems.push(`good change lost ${r.good.probes.lost} probes`);
  if (!r.good.drained) problems.push("good change (a session's) was not drained first on leg a");
  if (r.good.drainMs.sp === undefined)
    problems.push("leg a's traffic to Microsoft did not leave the leg while drained");
  if (r.good.drainMs.msft === undefined)
    problems.push("Microsoft's traffic to the SP did not leave leg a while drained");
  if (!r.good.back) problems.push("leg a's traffic did not come back after the undrain");
  if (!r.bad.rolledBack) problems.push("bad change not rolled back");
  if (r.bad.legBSteps !== 0 || !r.bad.legBUnchanged) problems.push("bad change touched leg b");
  if (!r.restore.every((s) => s.code === 0)) problems.push("restore failed");
  return problems;
}
