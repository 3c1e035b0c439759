/**
 * What the lab observes on its routers, read from FRR's JSON: sessions, BFD, and the routes each side
 * learned. The jest suite asserts on these; `npm run lab` prints them.
 */
import type { AddressFamily } from "../../plan/model";
import { formatPath, type ExpectedPaths } from "./paths";
import { inNs, sleep } from "./system";
import type { Lab } from "./lab";
import { customerOf, type CustomerSite, type MsftEdge } from "./topology";

export interface ProductSession {
  /** `frankfurt/b/ipv4` */
  id: string;
  router: string;
  peer: string;
  state: string;
  bfd: string;
  md5: boolean;
}

/** The product's eBGP sessions to AS 8075 as the SP edges see them, with their BFD state. */
export async function productSessions(lab: Lab): Promise<ProductSession[]> {
  const perEdge = await Promise.all(
    lab.topology.sp.map(async (e) => {
      const [states, bfd] = await Promise.all([bgpStates(lab, e.ns), lab.bfdPeers(e.ns)]);
      return e.router.sessions.map((s) => ({
        id: s.id,
        router: e.hostname,
        peer: s.peerAddress,
        state: states.get(s.peerAddress) ?? "not configured",
        bfd: bfd.get(s.peerAddress) ?? "no BFD session",
        md5: s.md5KeySecret !== undefined,
      }));
    }),
  );
  return perEdge.flat();
}

export interface LearnedRoute {
  prefix: string;
  asPath: string;
  communities: string[];
}

interface RouteDetailJson {
  paths?: Array<{
    aspath?: { string?: string };
    community?: { string?: string };
    peer?: { peerId?: string };
    valid?: boolean;
  }>;
}

/** Every BGP neighbor's state on one router, FRR's or BIRD's. */
async function bgpStates(lab: Lab, ns: string): Promise<Map<string, string>> {
  if (lab.runsBird(ns)) return new Map([...(await lab.birdBgp(ns))].map(([peer, v]) => [peer, v.state]));
  const neighbors = await lab.vtyshJson<Record<string, { bgpState?: string }>>(ns, "show bgp neighbors json");
  return new Map(Object.entries(neighbors).map(([peer, v]) => [peer, v.bgpState ?? "unknown"]));
}

/**
 * Prefixes a router holds from one neighbor: before its import policy (`received`) and after it.
 * On a BIRD router only what passed the import filter is kept, so both are the imported routes.
 */
export async function routesFrom(
  lab: Lab,
  ns: string,
  afi: AddressFamily,
  neighbor: string,
): Promise<{ received: string[]; accepted: LearnedRoute[] }> {
  if (lab.runsBird(ns)) {
    const routes = (await lab.birdRoutesFrom(ns, neighbor)).filter((r) => r.prefix.includes(":") === (afi === "ipv6"));
    return { received: routes.map((r) => r.prefix), accepted: routes };
  }
  const received = await lab.vtyshJson<{ receivedRoutes?: Record<string, unknown> }>(
    ns,
    `show bgp ${afi} unicast neighbors ${neighbor} received-routes json`,
  );
  const accepted = await lab.vtyshJson<{ routes?: Record<string, unknown> }>(
    ns,
    `show bgp ${afi} unicast neighbors ${neighbor} routes json`,
  );
  const routes: LearnedRoute[] = [];
  for (const prefix of Object.keys(accepted.routes ?? {}).sort()) {
    const detail = await lab.vtyshJson<RouteDetailJson>(ns, `show bgp ${afi} unicast ${prefix} json`);
    const path = (detail.paths ?? []).find((p) => p.peer?.peerId === neighbor);
    routes.push({
      prefix,
      asPath: path?.aspath?.string ?? "",
      communities: (path?.community?.string ?? "").split(" ").filter((c) => c !== ""),
    });
  }
  return { received: Object.keys(received.receivedRoutes ?? {}).sort(), accepted: routes };
}

/** Accepted prefixes from one neighbor, without details (cheap, for polling). */
export async function acceptedPrefixes(lab: Lab, ns: string, afi: AddressFamily, neighbor: string): Promise<string[]> {
  if (lab.runsBird(ns))
    return (await lab.birdRoutesFrom(ns, neighbor))
      .map((r) => r.prefix)
      .filter((p) => p.includes(":") === (afi === "ipv6"));
  const accepted = await lab.vtyshJson<{ routes?: Record<string, unknown> }>(
    ns,
    `show bgp ${afi} unicast neighbors ${neighbor} routes json`,
  );
  return Object.keys(accepted.routes ?? {}).sort();
}

const sameSet = (a: readonly string[], b: readonly string[]) =>
  a.length === b.length && [...a].sort().every((x, i) => x === [...b].sort()[i]);

/** IS-IS adjacencies that are not Up: `<router> <interface> → <neighbor>`, for every backbone port. */
export async function isisAdjacenciesDown(lab: Lab): Promise<string[]> {
  const t = lab.topology;
  const routers = [
    ...t.sp.map((e) => ({ ns: e.ns, name: e.hostname, core: e.core })),
    ...t.msft.map((m) => ({ ns: m.ns, name: m.name, core: m.core })),
  ];
  const down: string[] = [];
  await Promise.all(
    routers.map(async (r) => {
      const up = new Set(await isisUpInterfaces(lab, r.ns));
      for (const p of r.core) if (!up.has(p.ifname)) down.push(`IS-IS ${r.name} ${p.ifname} → ${p.peer} not Up`);
    }),
  );
  return down.sort();
}

/** Routers whose IS-IS routes do not yet reach every other loopback of their backbone. */
export async function isisRoutesMissing(lab: Lab): Promise<string[]> {
  const t = lab.topology;
  const backbones = [
    t.sp.map((e) => ({ ns: e.ns, name: e.hostname, loopback: e.loopback })),
    t.msft.map((m) => ({ ns: m.ns, name: m.name, loopback: m.loopback })),
  ];
  const missing: string[] = [];
  await Promise.all(
    backbones.flatMap((routers) =>
      routers.map(async (r) => {
        const v4 = await lab.vtyshJson<Record<string, unknown>>(r.ns, "show ip route isis json");
        const v6 = await lab.vtyshJson<Record<string, unknown>>(r.ns, "show ipv6 route isis json");
        const lacking = routers
          .filter(
            (o) => o !== r && (v4[`${o.loopback.v4}/32`] === undefined || v6[`${o.loopback.v6}/128`] === undefined),
          )
          .map((o) => o.name);
        if (lacking.length > 0) missing.push(`IS-IS ${r.name} has no route to the loopback of ${lacking.join(", ")}`);
      }),
    ),
  );
  return missing.sort();
}

/** Interfaces of a router with an IS-IS adjacency in state Up (FRR 8.4 `show isis neighbor json`). */
async function isisUpInterfaces(lab: Lab, ns: string): Promise<string[]> {
  type Adjacency = { interface?: string; state?: string };
  type Json = { areas?: Array<{ circuits?: Array<{ adj?: string; interface?: Adjacency | string; state?: string }> }> };
  const json = await lab.vtyshJson<Json>(ns, "show isis neighbor json");
  const up: string[] = [];
  for (const area of json.areas ?? []) {
    for (const c of area.circuits ?? []) {
      const ifname = typeof c.interface === "string" ? c.interface : c.interface?.interface;
      const state = typeof c.interface === "object" ? c.interface.state : c.state;
      if (ifname && state === "Up") up.push(ifname);
    }
  }
  return up;
}

/**
 * Waits until the lab has converged: every IS-IS adjacency Up, every session Established, BFD up
 * on every product session, both ends of every leg hold exactly what the other side should
 * announce, and every SP edge holds its customer's routes.
 */
export async function waitConverged(
  lab: Lab,
  timeoutMs: number,
  legs: readonly MsftEdge[] = lab.topology.msft,
): Promise<number> {
  const t = lab.topology;
  const started = Date.now();
  const deadline = started + timeoutMs;
  let waiting: string[] = [];
  const collect = async (checks: Array<Promise<string[]>>) => (await Promise.all(checks)).flat();
  while (Date.now() < deadline) {
    const [adjacencies, neighbors] = await Promise.all([isisAdjacenciesDown(lab), lab.neighbors()]);
    waiting = [
      ...adjacencies,
      ...neighbors.filter((n) => n.state !== "Established").map((n) => `${n.router} → ${n.peer} ${n.state}`),
    ];
    if (waiting.length === 0) waiting = await isisRoutesMissing(lab);
    if (waiting.length === 0) {
      waiting = (await productSessions(lab))
        .filter((s) => s.bfd !== "up")
        .map((s) => `BFD ${s.router} → ${s.peer} ${s.bfd}`);
    }
    if (waiting.length === 0) {
      waiting = await collect(
        t.customers.flatMap((c) =>
          c.ports.flatMap((p) =>
            (["ipv4", "ipv6"] as const).map(async (afi) => {
              const peer = afi === "ipv4" ? p.edge.customerPort.peer.v4 : p.edge.customerPort.peer.v6;
              const expected = [
                ...c.hosts.filter((h) => h.afi === afi).map((h) => `${h.address}/${afi === "ipv4" ? 32 : 128}`),
                ...t.customer.originated.filter((x) => x.includes(":") === (afi === "ipv6")),
              ];
              const held = await acceptedPrefixes(lab, p.edge.ns, afi, peer);
              return sameSet(held, expected)
                ? []
                : [`${p.edge.hostname} holds ${held.join(",") || "nothing"} from ${c.name}`];
            }),
          ),
        ),
      );
    }
    if (waiting.length === 0) {
      waiting = await collect(
        legs.flatMap((m) =>
          (["ipv4", "ipv6"] as const).map(async (afi) => {
            const [atMsft, atSp] = await Promise.all([
              acceptedPrefixes(lab, m.ns, afi, m.leg[afi].sp),
              acceptedPrefixes(lab, m.sp.ns, afi, m.leg[afi].microsoft),
            ]);
            return [
              ...(sameSet(atMsft, t.registered[afi])
                ? []
                : [`${m.name} holds ${atMsft.join(",") || "nothing"} from ${m.sp.hostname}`]),
              ...(sameSet(atSp, t.serviceBgpPrefixes[afi])
                ? []
                : [`${m.sp.hostname} holds ${atSp.join(",") || "nothing"} from ${m.name}`]),
            ];
          }),
        ),
      );
    }
    if (waiting.length === 0) return Date.now() - started;
    await sleep(100);
  }
  throw new Error(`lab: not converged after ${timeoutMs} ms:\n  ${waiting.join("\n  ")}`);
}

/**
 * Whether a plain TCP connection (no MD5 signature) from the Microsoft end of a leg reaches the SP's
 * BGP port. Where the leg has an MD5 key, the SP's kernel must drop the unsigned SYN, so this proves
 * the key is enforced, not merely configured. The key itself is never read or printed.
 */
export async function unsignedTcpConnects(lab: Lab, m: MsftEdge): Promise<boolean> {
  const r = await inNs(m.ns, "timeout", ["2", "bash", "-c", `exec 3<>/dev/tcp/${m.leg.ipv4.sp}/179`], 10_000);
  return r.code === 0;
}

/** The IPv4 host of a customer site whose probes are measured: in a customer-originated prefix when there is one. */
export function probeSource(c: CustomerSite): string {
  const hosts = c.hosts.filter((h) => h.afi === "ipv4");
  const host = hosts.find((h) => h.origin === "customer") ?? hosts[0];
  if (!host) throw new Error("lab: the stack registers no IPv4 prefix, so there is no customer host to probe from");
  return host.address;
}

/** The paths a metro's customer traffic takes now, traced through the kernels' forwarding tables. */
export async function tracePaths(lab: Lab, metro: string): Promise<ExpectedPaths> {
  const t = lab.topology;
  const c = customerOf(t, metro);
  const [forward, back] = await Promise.all([
    lab.tracePath(c.ns, t.service.ipv4),
    lab.tracePath(t.service.ns, probeSource(c)),
  ]);
  return { forward, back };
}

/**
 * Waits until a metro's customer traffic takes the expected paths both ways (traced through the
 * kernels' forwarding tables); returns the paths. Throws naming what differs when the wait ends.
 */
export async function waitForPaths(
  lab: Lab,
  metro: string,
  expected: ExpectedPaths,
  timeoutMs: number,
  when = "after the fault",
): Promise<ExpectedPaths> {
  const deadline = Date.now() + timeoutMs;
  let now: ExpectedPaths = { forward: [], back: [] };
  while (Date.now() < deadline) {
    now = await tracePaths(lab, metro);
    if (formatPath(now.forward) === formatPath(expected.forward) && formatPath(now.back) === formatPath(expected.back))
      return now;
    await sleep(200);
  }
  throw new Error(
    `lab: ${metro} traffic not on the expected paths ${when} after ${timeoutMs} ms:\n` +
      `  forward  expected ${formatPath(expected.forward)}\n           now      ${formatPath(now.forward)}\n` +
      `  back     expected ${formatPath(expected.back)}\n           now      ${formatPath(now.back)}`,
  );
}

export interface BringUpCounter {
  /** `amsterdam/a/ipv4 at ams-edge-1` */
  session: string;
  established: number;
  dropped: number;
  bfdUp: number;
  bfdDown: number;
}

/**
 * Every product session's counters at both ends (`show bgp neighbors json` connectionsEstablished
 * and connectionsDropped, `show bfd peers counters json` session-up and session-down): a clean
 * bring-up is one establishment, no drop, one BFD up, no BFD down.
 */
export async function bringUpCounters(lab: Lab): Promise<BringUpCounter[]> {
  type Neighbor = { connectionsEstablished?: number; connectionsDropped?: number };
  type BfdCounters = Array<{ peer: string; "session-up"?: number; "session-down"?: number }>;
  const out: BringUpCounter[] = [];
  for (const m of lab.topology.msft) {
    for (const [ns, name, side] of [
      [m.sp.ns, m.sp.hostname, "sp"],
      [m.ns, m.name, "microsoft"],
    ] as const) {
      if (lab.runsBird(ns)) {
        out.push(...birdBringUp(lab, ns, name, m.leg.id, (afi) => m.leg[afi].microsoft, await lab.birdBgp(ns)));
        continue;
      }
      const neighbors = await lab.vtyshJson<Record<string, Neighbor>>(ns, "show bgp neighbors json");
      const bfd = await lab.vtyshJson<BfdCounters>(ns, "show bfd peers counters json");
      for (const afi of ["ipv4", "ipv6"] as const) {
        const peer = side === "sp" ? m.leg[afi].microsoft : m.leg[afi].sp;
        const n = neighbors[peer] ?? {};
        const b: BfdCounters[number] | undefined = bfd.find((x) => x.peer === peer);
        out.push({
          session: `${m.leg.id}/${afi} at ${name}`,
          established: n.connectionsEstablished ?? 0,
          dropped: n.connectionsDropped ?? 0,
          bfdUp: b?.["session-up"] ?? 0,
          bfdDown: b?.["session-down"] ?? 0,
        });
      }
    }
  }
  return out;
}

/**
 * The same counters at a BIRD end, from its log (`debug protocols { states, events }`): BGP
 * protocol state changes to up and down, and its BFD sessions' state changes.
 */
function birdBringUp(
  lab: Lab,
  ns: string,
  name: string,
  legId: string,
  peerOf: (afi: AddressFamily) => string,
  bgp: Map<string, { protocol: string }>,
): BringUpCounter[] {
  const log = lab.birdLog(ns);
  const count = (re: RegExp) => [...log.matchAll(new RegExp(re.source, "gm"))].length;
  const escape = (x: string) => x.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  return (["ipv4", "ipv6"] as const).map((afi) => {
    const peer = peerOf(afi);
    const protocol = escape(bgp.get(peer)?.protocol ?? "(none)");
    const session = `Session to ${escape(peer)} changed state from`;
    return {
      session: `${legId}/${afi} at ${name}`,
      established: count(new RegExp(`${protocol}: State changed to up$`)),
      dropped: count(new RegExp(`${protocol}: State changed to (stop|down)$`)),
      bfdUp: count(new RegExp(`${session} \\S+ to Up$`)),
      bfdDown: count(new RegExp(`${session} Up to \\S+$`)),
    };
  });
}
