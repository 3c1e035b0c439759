/**
 * The cross-check against parsers nobody here wrote: FRR writes the MRT files, Debian's bgpdump
 * reads them, and our reader must give the same routes, record for record.
 *
 * Two namespaces: `a` (AS64510) announces IPv4 and IPv6 prefixes over an IPv4 and an IPv6 session,
 * some with four-octet ASNs prepended and other origins; `b` (AS64500) is the collector: it writes
 * `dump bgp updates-et` from the start (BGP4MP_ET, BGP4MP_MESSAGE_AS4 and the state changes), and
 * once it holds everything (polled), `a` withdraws two prefixes and `b` writes `dump bgp
 * routes-mrt` (TABLE_DUMP_V2). Needs root, FRR and bgpdump (`bash .ci/install-daemons`); run it alone
 * (`npm run test:lab` does, under `flock /tmp/pac-lab.lock`).
 */
import { spawn } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { readMrtFile } from "../../mrt/file";
import type { MrtRoute } from "../../mrt/model";
import { endProcesses, FRR_DIR, ipIn, isAlive, must, newRunId, removeFrrVarTmp, run, sleep } from "../lab/system";
import { bgpdumpFields, fieldsOfBgpdumpLine } from "./support";

const runId = newRunId();
const NS = { a: `pac-${runId}-mrta`, b: `pac-${runId}-mrtb` } as const;
type Node = keyof typeof NS;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pac-mrt-lab-"));
const pids: number[] = [];

const V4_ROUTES = ["198.51.100.0/24", "198.51.100.0/25", "203.0.113.0/24", "192.0.2.128/25", "192.0.2.0/26"];
const V6_ROUTES = ["2001:db8:1000::/48", "2001:db8:1001::/48", "2001:db8:ffff:1::/64"];
const WITHDRAWN = ["192.0.2.0/26", "2001:db8:ffff:1::/64"];

const CONFIG: Record<Node, string> = {
  a: `frr defaults traditional
hostname mrt-a
route-map FOUR-OCTET permit 10
 set as-path prepend 4200000000 64501
route-map INCOMPLETE permit 10
 set origin incomplete
route-map EGP permit 10
 set origin egp
 set as-path prepend 65536
router bgp 64510
 bgp router-id 192.0.2.1
 no bgp ebgp-requires-policy
 no bgp network import-check
 no bgp default ipv4-unicast
 neighbor 198.18.0.2 remote-as 64500
 neighbor fd00:14::2 remote-as 64500
 address-family ipv4 unicast
  network 198.51.100.0/24
  network 198.51.100.0/25 route-map INCOMPLETE
  network 203.0.113.0/24 route-map FOUR-OCTET
  network 192.0.2.128/25 route-map EGP
  network 192.0.2.0/26
  neighbor 198.18.0.2 activate
 exit-address-family
 address-family ipv6 unicast
  network 2001:db8:1000::/48
  network 2001:db8:1001::/48 route-map FOUR-OCTET
  network 2001:db8:ffff:1::/64
  neighbor fd00:14::2 activate
 exit-address-family
`,
  b: `frr defaults traditional
hostname mrt-b
dump bgp updates-et ${dir}/b/updates.mrt
router bgp 64500
 bgp router-id 192.0.2.2
 no bgp ebgp-requires-policy
 no bgp default ipv4-unicast
 neighbor 198.18.0.1 remote-as 64510
 neighbor fd00:14::1 remote-as 64510
 address-family ipv4 unicast
  neighbor 198.18.0.1 activate
 exit-address-family
 address-family ipv6 unicast
  neighbor fd00:14::1 activate
 exit-address-family
`,
};

function vtysh(node: Node, ...commands: string[]): Promise<string> {
  const d = path.join(dir, node);
  return must("vtysh", ["--vty_socket", d, "--config_dir", d, ...commands.flatMap((c) => ["-c", c])], 30_000);
}

async function startDaemon(node: Node, daemon: "zebra" | "bgpd"): Promise<void> {
  const d = path.join(dir, node);
  const child = spawn(
    "ip",
    [
      ...["netns", "exec", NS[node], path.join(FRR_DIR, daemon), "-f", path.join(d, "frr.conf")],
      ...["-z", path.join(d, "zserv.api"), "--vty_socket", d, "-i", path.join(d, `${daemon}.pid`)],
      ...["-P", "0", "--log", `file:${path.join(d, `${daemon}.log`)}`],
    ],
    { detached: true, stdio: "ignore" },
  );
  child.unref();
  if (child.pid === undefined) throw new Error(`${node}: ${daemon} did not start`);
  pids.push(child.pid);
  await until(`${node}: ${daemon} opens its vty`, 20_000, () => {
    if (child.pid !== undefined && !isAlive(child.pid)) {
      const log = path.join(d, `${daemon}.log`);
      const tail = fs.existsSync(log) ? fs.readFileSync(log, "utf8").trim().split("\n").slice(-5).join("\n") : "no log";
      throw new Error(`${node}: ${daemon} exited at start:\n${tail}`);
    }
    return Promise.resolve(fs.existsSync(path.join(d, `${daemon}.vty`)));
  });
}

/** Polls `check` until it holds, or fails saying what was awaited. */
async function until(what: string, ms: number, check: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`lab: ${what}: not within ${ms} ms`);
    await sleep(100);
  }
}

async function prefixesAt(node: Node, afi: "ipv4" | "ipv6"): Promise<string[]> {
  const out = JSON.parse(await vtysh(node, `show bgp ${afi} unicast json`)) as { routes?: Record<string, unknown> };
  return Object.keys(out.routes ?? {}).sort();
}

async function ourRoutes(file: string): Promise<string[]> {
  const routes: MrtRoute[] = [];
  await readMrtFile(file, { route: (r) => routes.push(r) });
  return routes.map(bgpdumpFields);
}

async function bgpdumpRoutes(file: string): Promise<string[]> {
  const out = await must("bgpdump", ["-m", "-q", file], 30_000);
  return out
    .split("\n")
    .map(fieldsOfBgpdumpLine)
    .filter((l): l is string => l !== undefined);
}

beforeAll(async () => {
  const missing = [
    ["bgpdump", "bgpdump"],
    ["vtysh", "frr"],
  ].filter(([cmd]) => (process.env.PATH ?? "").split(":").every((p) => !fs.existsSync(path.join(p, cmd))));
  if (missing.length > 0 || process.getuid?.() !== 0) {
    throw new Error(
      `the MRT cross-check needs root and ${missing.map(([c, p]) => `${c} (Debian ${p})`).join(", ") || "nothing else"}: run \`bash .ci/install-daemons\` as root`,
    );
  }
  for (const node of ["a", "b"] as const) {
    await must("ip", ["netns", "add", NS[node]]);
    fs.mkdirSync(path.join(dir, node));
    fs.writeFileSync(path.join(dir, node, "frr.conf"), CONFIG[node]);
    await ipIn(NS[node], "link", "set", "lo", "up");
  }
  // The daemons run as frr: their sockets, logs and dumps live in the run directory.
  await must("chown", ["-R", "frr:frr", dir]);
  const [va, vb] = [`m${runId.slice(-6)}a`, `m${runId.slice(-6)}b`];
  await must("ip", ["link", "add", va, "netns", NS.a, "type", "veth", "peer", "name", vb, "netns", NS.b]);
  for (const [node, ifname, v4, v6] of [
    ["a", va, "198.18.0.1/30", "fd00:14::1/64"],
    ["b", vb, "198.18.0.2/30", "fd00:14::2/64"],
  ] as const) {
    await ipIn(NS[node], "addr", "add", v4, "dev", ifname);
    await ipIn(NS[node], "-6", "addr", "add", v6, "dev", ifname, "nodad");
    await ipIn(NS[node], "link", "set", ifname, "up");
  }
  for (const node of ["b", "a"] as const) {
    await startDaemon(node, "zebra");
    await startDaemon(node, "bgpd");
  }
  await until("b holds every prefix a announces", 60_000, async () => {
    const [v4, v6] = [await prefixesAt("b", "ipv4"), await prefixesAt("b", "ipv6")];
    return v4.length === V4_ROUTES.length && v6.length === V6_ROUTES.length;
  });
  await vtysh(
    "a",
    "configure terminal",
    "router bgp 64510",
    "address-family ipv4 unicast",
    `no network ${WITHDRAWN[0]}`,
  );
  await vtysh(
    "a",
    "configure terminal",
    "router bgp 64510",
    "address-family ipv6 unicast",
    `no network ${WITHDRAWN[1]}`,
  );
  await until("b has the two withdrawals", 30_000, async () => {
    const held = [...(await prefixesAt("b", "ipv4")), ...(await prefixesAt("b", "ipv6"))];
    return WITHDRAWN.every((w) => !held.includes(w));
  });
  // Closing the update dump flushes it; the RIB dump (no interval) is written once, now.
  await vtysh("b", "configure terminal", `no dump bgp updates-et ${dir}/b/updates.mrt`);
  await vtysh("b", "configure terminal", `dump bgp routes-mrt ${dir}/b/rib.mrt`);
  const rib = path.join(dir, "b", "rib.mrt");
  const expected = V4_ROUTES.length + V6_ROUTES.length - WITHDRAWN.length;
  await until("b writes its RIB dump", 20_000, async () => {
    if (!fs.existsSync(rib)) return false;
    try {
      return (await ourRoutes(rib)).length === expected;
    } catch {
      return false; // still being written
    }
  });
}, 150_000);

afterAll(async () => {
  removeFrrVarTmp(await endProcesses(pids));
  for (const ns of Object.values(NS)) await run("ip", ["netns", "del", ns]);
  fs.rmSync(dir, { recursive: true, force: true });
});

describe("FRR's MRT files: our reader and bgpdump agree, record for record", () => {
  it("the RIB dump (TABLE_DUMP_V2)", async () => {
    const file = path.join(dir, "b", "rib.mrt");
    const ours = await ourRoutes(file);
    expect(ours).toEqual(await bgpdumpRoutes(file));
    // And it is what a announced: both families, four-octet ASNs, every origin, the withdrawn gone.
    expect(ours).toEqual([
      "B|198.18.0.1|64510|192.0.2.128/25|64510 65536|EGP|198.18.0.1",
      "B|198.18.0.1|64510|198.51.100.0/24|64510|IGP|198.18.0.1",
      "B|198.18.0.1|64510|198.51.100.0/25|64510|INCOMPLETE|198.18.0.1",
      "B|198.18.0.1|64510|203.0.113.0/24|64510 4200000000 64501|IGP|198.18.0.1",
      "B|fd00:14::1|64510|2001:db8:1000::/48|64510|IGP|fd00:14::1",
      "B|fd00:14::1|64510|2001:db8:1001::/48|64510 4200000000 64501|IGP|fd00:14::1",
    ]);
  });

  it("the update dump (BGP4MP_ET): announcements and withdrawals", async () => {
    const file = path.join(dir, "b", "updates.mrt");
    const ours = await ourRoutes(file);
    expect(ours).toEqual(await bgpdumpRoutes(file));
    expect(ours.filter((l) => l.startsWith("W|"))).toEqual([
      `W|198.18.0.1|64510|${WITHDRAWN[0]}`,
      `W|fd00:14::1|64510|${WITHDRAWN[1]}`,
    ]);
    expect(ours.filter((l) => l.startsWith("A|")).length).toBeGreaterThanOrEqual(V4_ROUTES.length + V6_ROUTES.length);
  });
});
