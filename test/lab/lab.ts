/**
 * The lab: builds, from the plan of a stack, a network of real FRR routers (and real BIRD 2 where a
 * router's platform is BIRD) in network namespaces, and runs the failure scenarios against it. See README.md, "The lab".
 */
import { spawn } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { ENCRYPTED_PLACEHOLDER, PROJECT, readStackConfig } from "../../cli/mockRuntime";
import { readStackFiles, REPO_ROOT } from "../../load/files";
import { parseInventory } from "../../load/load";
import { formatProblems } from "../../load/problem";
import type { Plan } from "../../plan/model";
import { buildPlan } from "../../plan/plan";
import type { SecretResolver } from "../../render";
import { renderLabConfigs, type RouterConfigs } from "./configs";
import { SERVICE_NODE } from "./paths";
import {
  endProcesses,
  FRR_DIR,
  frrVarTmpOf,
  inNs,
  ipIn,
  isAlive,
  listNamespaces,
  must,
  newRunId,
  ownerOf,
  pidsIn,
  removeFrrVarTmp,
  BIRD_EDGE_FRR_DAEMONS,
  ROUTER_DAEMONS,
  run,
  sleep,
  type Daemon,
} from "./system";
import {
  buildTopology,
  LAB_PREFIX,
  namespacesOf,
  type CustomerSite,
  type LabTopology,
  type MsftEdge,
  type SpEdge,
} from "./topology";

export interface LabOptions {
  stack: string;
  root?: string;
  runId?: string;
  log?: (line: string) => void;
  /** Appended to every SP edge's lab layer (tests use it to make a start fail half way). */
  extraLabLayer?: string;
}

export interface NeighborState {
  router: string;
  peer: string;
  state: string;
}

/** Plan of a stack, or a thrown error listing the inventory's problems. */
export function planOf(stack: string, root = REPO_ROOT): Plan {
  const inv = parseInventory(readStackFiles(stack, root));
  if (!inv.ok) throw new Error(formatProblems(inv.problems));
  const plan = buildPlan(inv.value);
  if (!plan.ok) throw new Error(formatProblems(plan.problems));
  return plan.value;
}

/** MD5 keys from the stack's config (`stacks/Pulumi.<stack>.yaml`): the lab uses the real ones. */
export function stackSecrets(stack: string, root = REPO_ROOT): SecretResolver {
  const { config } = readStackConfig(stack, root);
  return (name) => {
    const value = config[`${PROJECT}:${name}`];
    if (value === undefined)
      throw new Error(
        `stacks/Pulumi.${stack}.yaml has no ${PROJECT}:${name}; the lab needs the key to configure both ends`,
      );
    if (value === ENCRYPTED_PLACEHOLDER)
      throw new Error(
        `stacks/Pulumi.${stack}.yaml: ${PROJECT}:${name} is encrypted; the lab needs a plain lab-only value`,
      );
    return value;
  };
}

interface RouterRuntime {
  cfg: RouterConfigs;
  dir: string;
  daemons: readonly Daemon[];
}

/** The lab could not be built; it tore down what it had built (`leftovers` lists anything it could not remove). */
export class LabStartError extends Error {
  constructor(
    message: string,
    readonly leftovers: string[],
  ) {
    super(message);
    this.name = "LabStartError";
  }
}

export class Lab {
  readonly topology: LabTopology;
  readonly runDir: string;
  readonly started = Date.now();
  /** Milliseconds from the start of the lab to every BGP session Established (set by start()). */
  establishedAfterMs = 0;
  sessionCount = 0;
  private readonly routers: RouterRuntime[];
  private readonly log: (line: string) => void;
  private readonly createdNs: string[] = [];
  private readonly daemonPids: number[] = [];
  private torndown = false;
  /** Every pid teardown ended, for `leftovers()`. */
  private lastPids: number[] = [];

  private constructor(topology: LabTopology, configs: RouterConfigs[], log: (line: string) => void) {
    this.topology = topology;
    this.log = log;
    this.runDir = path.join(os.tmpdir(), `${LAB_PREFIX}${topology.runId}`);
    this.routers = configs.map((cfg) => ({
      cfg,
      dir: path.join(this.runDir, cfg.name),
      // A BIRD edge's FRR carries the lab's IGP only: BIRD speaks BGP and BFD there.
      daemons:
        cfg.role === "customer" ? (["zebra", "bgpd"] as const) : cfg.bird ? BIRD_EDGE_FRR_DAEMONS : ROUTER_DAEMONS,
    }));
  }

  /** Builds the lab and waits for every session. Tears everything down again if any step fails. */
  static async start(opts: LabOptions): Promise<Lab> {
    const root = opts.root ?? REPO_ROOT;
    const plan = planOf(opts.stack, root);
    const topology = buildTopology(plan, opts.runId ?? newRunId());
    const configs = renderLabConfigs(topology, stackSecrets(opts.stack, root));
    if (opts.extraLabLayer !== undefined) {
      for (const c of configs) if (c.labLayer !== undefined) c.labLayer += opts.extraLabLayer;
    }
    const lab = new Lab(topology, configs, opts.log ?? (() => undefined));
    try {
      await lab.build();
      return lab;
    } catch (e) {
      await lab.teardown();
      throw new LabStartError(e instanceof Error ? e.message : String(e), await lab.leftovers());
    }
  }

  private async build(): Promise<void> {
    const t = this.topology;
    fs.mkdirSync(this.runDir, { recursive: true });
    await Promise.all(
      namespacesOf(t).map(async (ns) => {
        await must("ip", ["netns", "add", ns]);
        this.createdNs.push(ns);
      }),
    );
    await Promise.all(
      namespacesOf(t).map(async (ns) => {
        await must("ip", [
          "netns",
          "exec",
          ns,
          "sysctl",
          "-q",
          "-w",
          "net.ipv4.ip_forward=1",
          "net.ipv6.conf.all.forwarding=1",
          // IPv6 sessions only come back after a link flap when the addresses survive it.
          "net.ipv6.conf.all.keep_addr_on_down=1",
          "net.ipv6.conf.default.keep_addr_on_down=1",
          // No duplicate address detection: the session addresses are usable at once.
          "net.ipv6.conf.all.accept_dad=0",
          "net.ipv6.conf.default.accept_dad=0",
          "net.ipv4.conf.all.rp_filter=0",
          "net.ipv4.conf.default.rp_filter=0",
        ]);
        await ipIn(ns, "link", "set", "lo", "up");
      }),
    );
    await ipIn(t.serviceLanNs, "link", "add", "br0", "type", "bridge");
    await ipIn(t.serviceLanNs, "link", "set", "br0", "up");
    await Promise.all(
      t.links.map((link) =>
        must("ip", [
          "link",
          "add",
          link.a.ifname,
          "netns",
          link.a.ns,
          "type",
          "veth",
          "peer",
          "name",
          link.b.ifname,
          "netns",
          link.b.ns,
        ]),
      ),
    );
    await Promise.all(
      t.links.flatMap((link) => [
        ipIn(link.a.ns, "link", "set", link.a.ifname, "up"),
        link.b.ns === t.serviceLanNs
          ? ipIn(link.b.ns, "link", "set", link.b.ifname, "master", "br0", "up")
          : ipIn(link.b.ns, "link", "set", link.b.ifname, "up"),
      ]),
    );
    const svc = t.service;
    await ipIn(svc.ns, "addr", "add", `${svc.lan.v4}/24`, "dev", "lan");
    await ipIn(svc.ns, "-6", "addr", "add", `${svc.lan.v6}/64`, "dev", "lan");
    await ipIn(svc.ns, "addr", "add", `${svc.ipv4}/32`, "dev", "lo");
    await ipIn(svc.ns, "-6", "addr", "add", `${svc.ipv6}/128`, "dev", "lo");
    await this.setServiceGateway(t.msft[0]);

    for (const r of this.routers) {
      fs.mkdirSync(r.dir, { recursive: true });
      fs.writeFileSync(path.join(r.dir, "vtysh.conf"), "");
      fs.writeFileSync(path.join(r.dir, "empty.conf"), "");
      fs.writeFileSync(path.join(r.dir, "frr.conf"), r.cfg.config);
      if (r.cfg.labLayer !== undefined) fs.writeFileSync(path.join(r.dir, "lab-layer.conf"), r.cfg.labLayer);
      if (r.cfg.bird) {
        const paths = birdPaths(r.dir);
        fs.writeFileSync(paths.productFile, r.cfg.bird.product);
        fs.writeFileSync(paths.conf, r.cfg.bird.main({ productFile: paths.productFile, logFile: paths.log }));
      }
    }
    await must("chown", ["-R", "frr:frr", this.runDir]);

    const daemonsStarted = Date.now();
    for (const daemon of ROUTER_DAEMONS) {
      await Promise.all(this.routers.filter((r) => r.daemons.includes(daemon)).map((r) => this.startDaemon(r, daemon)));
    }
    this.log(
      `lab ${t.runId}: ${this.createdNs.length} namespaces, ${t.links.length} veth pairs, ${this.daemonPids.length} FRR daemons started in ${Date.now() - this.started} ms`,
    );

    // The product config first, unchanged; then the lab-only layer on the SP edges.
    await Promise.all(
      this.routers.map(async (r) => {
        if (r.cfg.config !== "") await this.loadConfig(r, "frr.conf");
        if (r.cfg.labLayer !== undefined) await this.loadConfig(r, "lab-layer.conf");
      }),
    );
    // A BIRD router: the OS configures the leg's addresses (BIRD does not), then BIRD starts with
    // the router's bird.conf, which includes the product's file unchanged.
    for (const r of this.routers.filter((x) => x.cfg.bird)) {
      const leg = this.topology.sp.find((e) => e.ns === r.cfg.ns)?.leg;
      if (!leg) throw new Error(`${r.cfg.name}: no leg`);
      for (const a of r.cfg.bird?.addresses ?? [])
        await ipIn(r.cfg.ns, ...(a.includes(":") ? ["-6"] : []), "addr", "add", a, "dev", leg.interface);
      await this.startBird(r);
    }
    this.log(`lab ${t.runId}: configs loaded ${Date.now() - this.started} ms after start`);

    this.sessionCount = await this.waitAllEstablished(60_000);
    this.establishedAfterMs = Date.now() - this.started;
    this.log(
      `lab ${t.runId}: all ${this.sessionCount} BGP sessions Established ${this.establishedAfterMs} ms after start (${Date.now() - daemonsStarted} ms after the daemons)`,
    );
  }

  /**
   * Starts a daemon in the foreground, detached from node (not with `-d`: a daemonizing FRR names
   * its /var/tmp/frr/<daemon>.<pid> after the parent it forked from, so it could not be cleaned up
   * by the pid it runs under). `ip netns exec` execs the daemon, so the child's pid is the daemon's.
   */
  private async startDaemon(r: RouterRuntime, daemon: Daemon): Promise<void> {
    const args = [
      "netns",
      "exec",
      r.cfg.ns,
      path.join(FRR_DIR, daemon),
      "-f",
      path.join(r.dir, "empty.conf"),
      "-z",
      path.join(r.dir, "zserv.api"),
      "--vty_socket",
      r.dir,
      "-i",
      path.join(r.dir, `${daemon}.pid`),
      "-P",
      "0",
      "--log",
      `file:${path.join(r.dir, `${daemon}.log`)}`,
      // bfdd's control socket defaults to /var/run/frr/bfdd.sock: the system's, shared by every bfdd.
      ...(daemon === "bfdd" ? ["--bfdctl", path.join(r.dir, "bfdd.sock")] : []),
    ];
    const child = spawn("ip", args, { detached: true, stdio: "ignore" });
    child.unref();
    const pid = child.pid;
    if (pid === undefined) throw new Error(`${r.cfg.name}: ${daemon} did not start`);
    this.daemonPids.push(pid);
    const vty = path.join(r.dir, `${daemon}.vty`);
    const deadline = Date.now() + 20_000;
    while (!fs.existsSync(vty)) {
      if (!isAlive(pid))
        throw new Error(`${r.cfg.name}: ${daemon} exited at start; see ${path.join(r.dir, `${daemon}.log`)}`);
      if (Date.now() > deadline) throw new Error(`${r.cfg.name}: ${daemon} did not open ${vty} within 20 s`);
      await sleep(20);
    }
  }

  /**
   * Real BIRD 2 in the router's namespace, in the foreground (`-f`), with its own control socket and
   * pid file in the run directory: never the system's bird service.
   */
  private async startBird(r: RouterRuntime): Promise<void> {
    const paths = birdPaths(r.dir);
    const child = spawn(
      "ip",
      ["netns", "exec", r.cfg.ns, "bird", "-c", paths.conf, "-s", paths.ctl, "-P", paths.pid, "-f"],
      { detached: true, stdio: "ignore" },
    );
    child.unref();
    const pid = child.pid;
    if (pid === undefined) throw new Error(`${r.cfg.name}: bird did not start`);
    this.daemonPids.push(pid);
    const deadline = Date.now() + 20_000;
    while (!fs.existsSync(paths.ctl)) {
      if (!isAlive(pid)) {
        const check = await run("bird", ["-p", "-c", paths.conf, "-s", `${paths.ctl}.check`]);
        throw new Error(
          `${r.cfg.name}: bird exited at start: ${(check.stderr || check.stdout).trim()}; see ${paths.log}`,
        );
      }
      if (Date.now() > deadline) throw new Error(`${r.cfg.name}: bird did not open ${paths.ctl} within 20 s`);
      await sleep(20);
    }
  }

  /**
   * Adds a router to the running lab, for one scenario (a third network, say): its own namespace,
   * one link to a router already there, FRR's zebra and bgpd with `config`. Torn down with the lab,
   * or before by `removeRouter`. Returns its namespace.
   */
  async addRouter(spec: {
    name: string;
    config: string;
    link: { ifname: string; peer: { ns: string; ifname: string } };
  }): Promise<string> {
    const ns = `${LAB_PREFIX}${this.topology.runId}-${spec.name}`;
    await must("ip", ["netns", "add", ns]);
    this.createdNs.push(ns);
    await ipIn(ns, "link", "set", "lo", "up");
    await must("ip", [
      "link",
      "add",
      spec.link.ifname,
      "netns",
      ns,
      "type",
      "veth",
      "peer",
      "name",
      spec.link.peer.ifname,
      "netns",
      spec.link.peer.ns,
    ]);
    await ipIn(ns, "link", "set", spec.link.ifname, "up");
    await ipIn(spec.link.peer.ns, "link", "set", spec.link.peer.ifname, "up");
    const r: RouterRuntime = {
      cfg: { ns, name: spec.name, role: "extra", config: spec.config },
      dir: path.join(this.runDir, spec.name),
      daemons: ["zebra", "bgpd"],
    };
    fs.mkdirSync(r.dir, { recursive: true });
    fs.writeFileSync(path.join(r.dir, "vtysh.conf"), "");
    fs.writeFileSync(path.join(r.dir, "empty.conf"), "");
    fs.writeFileSync(path.join(r.dir, "frr.conf"), spec.config);
    await must("chown", ["-R", "frr:frr", r.dir]);
    this.routers.push(r);
    for (const daemon of r.daemons) await this.startDaemon(r, daemon);
    await this.loadConfig(r, "frr.conf");
    return ns;
  }

  /** Removes a router `addRouter` added: its processes, its namespace (and with it its link), its files. */
  async removeRouter(ns: string): Promise<void> {
    const r = this.routerByNs(ns);
    const pids = await pidsIn(ns);
    await endProcesses(pids);
    await must("ip", ["netns", "del", ns]);
    removeFrrVarTmp(pids);
    this.routers.splice(this.routers.indexOf(r), 1);
    this.createdNs.splice(this.createdNs.indexOf(ns), 1);
    fs.rmSync(r.dir, { recursive: true, force: true });
  }

  /** A BIRD router's birdc (its own control socket). */
  async birdc(ns: string, ...command: string[]): Promise<string> {
    const r = this.routerByNs(ns);
    if (!r.cfg.bird) throw new Error(`${r.cfg.name} does not run BIRD`);
    return must("birdc", ["-s", birdPaths(r.dir).ctl, ...command], 30_000);
  }

  /** Whether the router in a namespace speaks BGP with BIRD. */
  runsBird(ns: string): boolean {
    return this.routerByNs(ns).cfg.bird !== undefined;
  }

  /** A BIRD router's BGP protocols: neighbor address → protocol, state. */
  async birdBgp(ns: string): Promise<Map<string, { protocol: string; state: string }>> {
    return parseBirdProtocols(await this.birdc(ns, "show", "protocols", "all"));
  }

  /** The log of a BIRD router (`debug protocols { states, events }`). */
  birdLog(ns: string): string {
    const file = birdPaths(this.routerByNs(ns).dir).log;
    return fs.existsSync(file) ? fs.readFileSync(file, "utf8") : "";
  }

  /** vtysh of one router: its own sockets and config dir, never the system's. */
  vtysh(ns: string, ...commands: string[]): Promise<string> {
    const r = this.routerByNs(ns);
    return must("vtysh", ["--vty_socket", r.dir, "--config_dir", r.dir, ...commands.flatMap((c) => ["-c", c])], 30_000);
  }

  async vtyshJson<T>(ns: string, command: string): Promise<T> {
    const out = await this.vtysh(ns, command);
    try {
      return JSON.parse(out) as T;
    } catch {
      throw new Error(`${this.routerByNs(ns).cfg.name}: \`${command}\` did not return JSON: ${out.slice(0, 300)}`);
    }
  }

  /** Applies a config file with vtysh; any line vtysh or a daemon rejects is an error. */
  private async loadConfig(r: RouterRuntime, file: string): Promise<void> {
    const res = await run(
      "vtysh",
      ["--vty_socket", r.dir, "--config_dir", r.dir, "-f", path.join(r.dir, file)],
      30_000,
    );
    const out = `${res.stdout}${res.stderr}`.trim();
    if (res.code !== 0 || /^%|line \d+:/m.test(out)) {
      throw new Error(`${r.cfg.name}: ${file} was not accepted (vtysh exit ${String(res.code)}):\n${out}`);
    }
  }

  /** Applies config lines to a running router. */
  async configure(ns: string, lines: string): Promise<void> {
    const r = this.routerByNs(ns);
    const file = path.join(r.dir, `change-${Date.now()}.conf`);
    fs.writeFileSync(file, lines);
    await this.loadConfig(r, path.basename(file));
  }

  /** The run directory of the router in a namespace: its sockets, configs and logs. */
  routerDir(ns: string): string {
    return this.routerByNs(ns).dir;
  }

  private routerByNs(ns: string): RouterRuntime {
    const r = this.routers.find((x) => x.cfg.ns === ns);
    if (!r) throw new Error(`lab: no router in namespace ${ns}`);
    return r;
  }

  /** Every BGP neighbor of every router with its state (from the light `show bgp summary json`). */
  async neighbors(): Promise<NeighborState[]> {
    type Summary = Record<string, { peers?: Record<string, { state?: string }> } | undefined>;
    const all = await Promise.all(
      this.routers.map(async (r) => {
        if (r.cfg.bird) {
          const bgp = await this.birdBgp(r.cfg.ns);
          return [...bgp].map(([peer, v]) => ({ router: r.cfg.name, peer, state: v.state }));
        }
        const json = await this.vtyshJson<Summary>(r.cfg.ns, "show bgp summary json");
        const states = new Map<string, string>();
        for (const afi of Object.values(json)) {
          for (const [peer, v] of Object.entries(afi?.peers ?? {})) states.set(peer, v.state ?? "unknown");
        }
        return [...states].map(([peer, state]) => ({ router: r.cfg.name, peer, state }));
      }),
    );
    return all.flat();
  }

  /** Waits until every configured neighbor of every router is Established; returns the session count. */
  async waitAllEstablished(timeoutMs: number): Promise<number> {
    const deadline = Date.now() + timeoutMs;
    let last: NeighborState[] = [];
    while (Date.now() < deadline) {
      last = await this.neighbors();
      if (process.env.LAB_DEBUG)
        this.log(
          `  ${Date.now() - this.started} ms: ${last.filter((n) => n.state === "Established").length}/${last.length} ends Established; not: ${last
            .filter((n) => n.state !== "Established")
            .map((n) => `${n.router}>${n.peer}:${n.state}`)
            .join(" ")}`,
        );
      if (last.length > 0 && last.every((n) => n.state === "Established")) return last.length / 2;
      await sleep(100);
    }
    const down = last.filter((n) => n.state !== "Established").map((n) => `${n.router} → ${n.peer}: ${n.state}`);
    throw new Error(`lab: sessions not Established after ${timeoutMs} ms:\n  ${down.join("\n  ")}`);
  }

  /** BFD peers of a router: peer address → status (`up`, `down`, …), from FRR or BIRD. */
  async bfdPeers(ns: string): Promise<Map<string, string>> {
    if (this.runsBird(ns)) return parseBirdBfd(await this.birdc(ns, "show", "bfd", "sessions"));
    const peers = await this.vtyshJson<Array<{ peer: string; status: string }>>(ns, "show bfd peers json");
    return new Map(peers.map((p) => [p.peer, p.status]));
  }

  /** Prefixes a BIRD router imported from one BGP neighbor (after its import filter), with path and communities. */
  async birdRoutesFrom(
    ns: string,
    neighbor: string,
  ): Promise<Array<{ prefix: string; asPath: string; communities: string[] }>> {
    const protocol = (await this.birdBgp(ns)).get(neighbor)?.protocol;
    if (protocol === undefined) return [];
    return parseBirdRoutes(await this.birdc(ns, "show", "route", "protocol", protocol, "all"));
  }

  /** Adds addresses to an interface in one `ip -batch` (fast, however many). */
  async addAddresses(ns: string, ifname: string, addresses: readonly string[]): Promise<void> {
    const file = path.join(this.runDir, `addresses-${Date.now()}.batch`);
    fs.writeFileSync(file, addresses.map((a) => `address add ${a} dev ${ifname}\n`).join(""));
    await must("ip", ["-n", ns, "-batch", file]);
  }

  /**
   * Points the service host's default routes at one Microsoft edge: where its replies enter
   * Microsoft's network (the edge facing the user's metro; Microsoft carries traffic cold-potato).
   */
  async setServiceGateway(m: MsftEdge): Promise<void> {
    const svc = this.topology.service;
    await ipIn(svc.ns, "route", "replace", "default", "via", m.lan.v4);
    await ipIn(svc.ns, "-6", "route", "replace", "default", "via", m.lan.v6);
  }

  /**
   * The path packets from namespace `fromNs` to `dest` take, hop by hop through the kernels'
   * forwarding tables (`ip route get` in every namespace on the way): node names, with
   * `leg <metro>/<leg>` where they cross between the SP and Microsoft. Ends at the node that owns
   * `dest`, or with `no route at <node>` / `loop at <node>`.
   */
  async tracePath(fromNs: string, dest: string, maxHops = 16): Promise<string[]> {
    const t = this.topology;
    const names = nodeNames(t);
    const byPort = new Map<string, { ns: string; leg?: string }>();
    for (const l of t.links) {
      const leg = t.msft.find((m) => m.ns === l.b.ns && m.linkIf === l.b.ifname)?.leg.id;
      byPort.set(`${l.a.ns}|${l.a.ifname}`, { ns: l.b.ns, leg });
      byPort.set(`${l.b.ns}|${l.b.ifname}`, { ns: l.a.ns, leg });
    }
    const lanOwner = new Map<string, string>([
      ...t.msft.flatMap((m) => [[m.lan.v4, m.ns] as const, [m.lan.v6, m.ns] as const]),
      [t.service.lan.v4, t.service.ns],
      [t.service.lan.v6, t.service.ns],
    ]);
    const path: string[] = [];
    const visited = new Set<string>();
    let ns = fromNs;
    for (let hop = 0; hop < maxHops; hop++) {
      const name = names.get(ns) ?? ns;
      path.push(name);
      if (visited.has(ns)) return [...path.slice(0, -1), `loop at ${name}`];
      visited.add(ns);
      const r = await this.routeGet(ns, dest);
      if (r.type === "local" || r.dev === "lo") return path;
      if (!r.dev) return [...path, `no route at ${name}`];
      const next = byPort.get(`${ns}|${r.dev}`);
      if (!next) return [...path, `unknown port ${r.dev} at ${name}`];
      if (next.ns === t.serviceLanNs) {
        const owner = lanOwner.get(r.gateway ?? dest);
        if (!owner) return [...path, `unknown LAN neighbour ${r.gateway ?? dest} at ${name}`];
        ns = owner;
        continue;
      }
      if (next.leg) path.push(`leg ${next.leg}`);
      ns = next.ns;
    }
    return [...path, `more than ${maxHops} hops`];
  }

  /** The interface a namespace sends a packet for `dest` out of. */
  async egressOf(ns: string, dest: string, source?: string): Promise<string> {
    return (await this.routeGet(ns, dest, source)).dev ?? "";
  }

  /** The kernel's forwarding decision in a namespace (`ip route get`); `{}` when it has no route. */
  async routeGet(
    ns: string,
    dest: string,
    source?: string,
  ): Promise<{ dev?: string; gateway?: string; type?: string }> {
    const r = await run("ip", ["-n", ns, "-j", "route", "get", dest, ...(source ? ["from", source] : [])]);
    if (r.code !== 0) return {};
    return (JSON.parse(r.stdout) as Array<{ dev?: string; gateway?: string; type?: string }>)[0] ?? {};
  }

  async setLink(e: SpEdge, up: boolean): Promise<void> {
    await ipIn(e.ns, "link", "set", e.leg.interface, up ? "up" : "down");
  }

  /**
   * A transport fault without a link event: every packet on the leg is dropped in both directions
   * (a zero-length FIFO on both ends' egress), while both interfaces stay up.
   */
  async setSilentDrop(m: MsftEdge, dropping: boolean): Promise<void> {
    const ends = [
      { ns: m.sp.ns, ifname: m.leg.interface },
      { ns: m.ns, ifname: m.linkIf },
    ];
    // Both ends at once: the fault starts on the whole leg at the same moment.
    await Promise.all(
      ends.map((end) =>
        dropping
          ? must("tc", ["-n", end.ns, "qdisc", "add", "dev", end.ifname, "root", "pfifo", "limit", "0"])
          : must("tc", ["-n", end.ns, "qdisc", "del", "dev", end.ifname, "root"]),
      ),
    );
  }

  /**
   * Probes from `source` (a customer host) to the service host every `intervalMs` while `fault` runs
   * `faultAfterMs` after the first probe. Outage = lost probes × interval.
   */
  async measureOutage(
    from: CustomerSite,
    source: string,
    fault: () => Promise<void>,
    opts: { probes: number; intervalMs: number; faultAfterMs: number },
  ): Promise<Outage> {
    const probe = inNs(
      from.ns,
      "fping",
      ["-p", String(opts.intervalMs), "-c", String(opts.probes), "-t", "500", "-S", source, this.topology.service.ipv4],
      opts.probes * opts.intervalMs + 20_000,
    );
    await sleep(opts.faultAfterMs);
    const faultAt = Date.now();
    await fault();
    const faultApplyMs = Date.now() - faultAt;
    const r = await probe;
    const received = new Set<number>();
    for (const m of r.stdout.matchAll(/\[(\d+)\], \d+ bytes/g)) received.add(Number(m[1]));
    const lost = opts.probes - received.size;
    const lastReceived = Math.max(-1, ...received);
    return {
      sent: opts.probes,
      received: received.size,
      lost,
      outageMs: lost * opts.intervalMs,
      recovered: lastReceived === opts.probes - 1,
      faultApplyMs,
    };
  }

  /** Stops every daemon and process, deletes the namespaces (and with them every veth), removes files. */
  async teardown(): Promise<void> {
    if (this.torndown) return;
    this.torndown = true;
    const inside = (await Promise.all(this.createdNs.map((ns) => pidsIn(ns)))).flat();
    const pids = [...new Set([...this.daemonPids, ...inside])];
    await endProcesses(pids);
    for (const ns of this.createdNs) await run("ip", ["netns", "del", ns]);
    removeFrrVarTmp(pids);
    fs.rmSync(this.runDir, { recursive: true, force: true });
    this.lastPids = pids;
  }

  /** What this lab left behind after teardown: namespaces, processes, files. Empty when clean. */
  async leftovers(): Promise<string[]> {
    const prefix = `${LAB_PREFIX}${this.topology.runId}-`;
    const ns = (await listNamespaces()).filter((n) => n.startsWith(prefix));
    const procs = this.lastPids.filter(isAlive);
    return [
      ...ns.map((n) => `namespace ${n}`),
      ...procs.map((p) => `process ${p}`),
      ...frrVarTmpOf(this.lastPids).map((f) => `/var/tmp/frr/${f}`),
      ...(fs.existsSync(this.runDir) ? [`directory ${this.runDir}`] : []),
    ];
  }
}

export interface Outage {
  sent: number;
  received: number;
  lost: number;
  outageMs: number;
  /** The last probes came back: traffic flows again on another path. */
  recovered: boolean;
  faultApplyMs: number;
}

/** Namespace → node name (router hostname, `msft-…`, `customer-…`, `service`). */
export function nodeNames(t: LabTopology): Map<string, string> {
  return new Map<string, string>([
    ...t.sp.map((e) => [e.ns, e.hostname] as const),
    ...t.msft.map((m) => [m.ns, m.name] as const),
    ...t.customers.map((c) => [c.ns, c.name] as const),
    [t.service.ns, SERVICE_NODE],
  ]);
}

/**
 * Removes what crashed or killed lab runs left: namespaces with the lab prefix whose owning process
 * is gone, every process still in them, FRR's /var/tmp/frr entries of those processes, and their
 * run directories. Labs of live runs are left alone.
 */
export async function cleanupLeftovers(): Promise<string[]> {
  const removed: string[] = [];
  for (const ns of await listNamespaces()) {
    if (!ns.startsWith(LAB_PREFIX)) continue;
    const owner = ownerOf(ns);
    if (owner && isAlive(owner.pid) && owner.pid !== process.pid) continue;
    const pids = await pidsIn(ns);
    await endProcesses(pids);
    removeFrrVarTmp(pids);
    await run("ip", ["netns", "del", ns]);
    removed.push(`namespace ${ns}${pids.length ? ` (${pids.length} processes)` : ""}`);
    if (owner) {
      const dir = path.join(os.tmpdir(), `${LAB_PREFIX}${owner.runId}`);
      if (fs.existsSync(dir)) {
        for (const f of fs.readdirSync(dir, { recursive: true }) as string[]) {
          if (!f.endsWith(".pid")) continue;
          const pid = Number(fs.readFileSync(path.join(dir, f), "utf8").trim());
          if (Number.isInteger(pid) && pid > 0) removeFrrVarTmp([pid]);
        }
        fs.rmSync(dir, { recursive: true, force: true });
        removed.push(`directory ${dir}`);
      }
    }
  }
  return removed;
}

/** Where a BIRD router's files live in its run directory. */
export function birdPaths(dir: string): { conf: string; productFile: string; ctl: string; pid: string; log: string } {
  return {
    conf: path.join(dir, "bird.conf"),
    productFile: path.join(dir, "maps.bird.conf"),
    ctl: path.join(dir, "bird.ctl"),
    pid: path.join(dir, "bird.pid"),
    log: path.join(dir, "bird.log"),
  };
}

/** `birdc show protocols all`: for every BGP protocol, its neighbor address, name and BGP state. */
export function parseBirdProtocols(out: string): Map<string, { protocol: string; state: string }> {
  const result = new Map<string, { protocol: string; state: string }>();
  let protocol: string | undefined;
  let state = "";
  let bgp = false;
  for (const line of out.split("\n")) {
    const head = /^(\S+)\s+(\S+)\s+\S+\s+(\S+)\s/.exec(line);
    if (head && !line.startsWith(" ") && head[1] !== "Name") {
      protocol = head[1];
      bgp = head[2] === "BGP";
      state = head[3] === "up" ? "Established" : "";
      continue;
    }
    const bgpState = /^\s+BGP state:\s+(\S+)/.exec(line);
    if (bgpState && bgp) state = bgpState[1];
    const neighbor = /^\s+Neighbor address:\s+(\S+)/.exec(line);
    if (neighbor && bgp && protocol !== undefined) result.set(neighbor[1], { protocol, state: state || "Idle" });
  }
  return result;
}

/** `birdc show bfd sessions`: peer address → state in lower case (`up`). */
export function parseBirdBfd(out: string): Map<string, string> {
  const result = new Map<string, string>();
  for (const line of out.split("\n")) {
    const m = /^(\S+)\s+(\S+)\s+(Up|Down|Init|AdminDown)\s/.exec(line);
    if (m) result.set(m[1], m[3].toLowerCase());
  }
  return result;
}

/** `birdc show route protocol P all`: each prefix with its BGP path and communities. */
export function parseBirdRoutes(out: string): Array<{ prefix: string; asPath: string; communities: string[] }> {
  const routes: Array<{ prefix: string; asPath: string; communities: string[] }> = [];
  for (const line of out.split("\n")) {
    const head = /^(\S+\/\d+)\s+unicast/.exec(line);
    if (head) routes.push({ prefix: head[1], asPath: "", communities: [] });
    const current = routes[routes.length - 1];
    const asPath = /^\s+BGP\.as_path:\s*(.*)$/.exec(line);
    if (asPath && current) current.asPath = asPath[1].trim();
    const community = /^\s+BGP\.community:\s*(.*)$/.exec(line);
    if (community && current)
      current.communities = [...community[1].matchAll(/\((\d+),\s*(\d+)\)/g)].map((m) => `${m[1]}:${m[2]}`);
  }
  return routes.sort((a, b) => a.prefix.localeCompare(b.prefix));
}
