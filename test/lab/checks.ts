/**
 * What the lab observes on its routers, read from FRR's JSON: sessions, BFD, and the routes each side
 * learned. The jest suite asserts on these; `npm run lab` prints them.
 */
import type { AddressFamily } from "../../plan/model";
import { inNs, sleep } from "./system";
import type { Lab } from "./lab";
import type { MsftEdge } from "./topology";

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
  const out: ProductSession[] = [];
  for (const e of lab.topology.sp) {
    const neighbors = await lab.vtyshJson<Record<string, { bgpState?: string }>>(e.ns, "show bgp neighbors json");
    const bfd = await lab.bfdPeers(e.ns);
    for (const s of e.router.sessions) {
      out.push({
        id: s.id,
        router: e.hostname,
        peer: s.peerAddress,
        state: neighbors[s.peerAddress]?.bgpState ?? "not configured",
        bfd: bfd.get(s.peerAddress) ?? "no BFD session",
        md5: s.md5KeySecret !== undefined,
      });
    }
  }
  return out;
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

/** Prefixes a router holds from one neighbor: before its import policy (`received`) and after it. */
export async function routesFrom(lab: Lab, ns: string, afi: AddressFamily, neighbor: string): Promise<{ received: string[]; accepted: LearnedRoute[] }> {
  const received = await lab.vtyshJson<{ receivedRoutes?: Record<string, unknown> }>(ns, `show bgp ${afi} unicast neighbors ${neighbor} received-routes json`);
  const accepted = await lab.vtyshJson<{ routes?: Record<string, unknown> }>(ns, `show bgp ${afi} unicast neighbors ${neighbor} routes json`);
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
  const accepted = await lab.vtyshJson<{ routes?: Record<string, unknown> }>(ns, `show bgp ${afi} unicast neighbors ${neighbor} routes json`);
  return Object.keys(accepted.routes ?? {}).sort();
}

const sameSet = (a: readonly string[], b: readonly string[]) => a.length === b.length && [...a].sort().every((x, i) => x === [...b].sort()[i]);

/**
 * Waits until the lab has converged: every session Established, BFD up on every product session,
 * and both ends of every leg hold exactly what the other side should announce.
 */
export async function waitConverged(lab: Lab, timeoutMs: number, legs: readonly MsftEdge[] = lab.topology.msft): Promise<number> {
  const started = Date.now();
  const deadline = started + timeoutMs;
  let waiting: string[] = [];
  while (Date.now() < deadline) {
    waiting = [];
    const neighbors = await lab.neighbors();
    waiting.push(...neighbors.filter((n) => n.state !== "Established").map((n) => `${n.router} → ${n.peer} ${n.state}`));
    if (waiting.length === 0) {
      for (const s of await productSessions(lab)) if (s.bfd !== "up") waiting.push(`BFD ${s.router} → ${s.peer} ${s.bfd}`);
    }
    if (waiting.length === 0) {
      for (const m of legs) {
        for (const afi of ["ipv4", "ipv6"] as const) {
          const atMsft = await acceptedPrefixes(lab, m.ns, afi, m.leg[afi].sp);
          if (!sameSet(atMsft, lab.topology.registered[afi])) waiting.push(`${m.name} holds ${atMsft.join(",") || "nothing"} from ${m.sp.hostname}`);
          const atSp = await acceptedPrefixes(lab, m.sp.ns, afi, m.leg[afi].microsoft);
          if (!sameSet(atSp, lab.topology.serviceBgpPrefixes[afi])) waiting.push(`${m.sp.hostname} holds ${atSp.join(",") || "nothing"} from ${m.name}`);
        }
      }
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
