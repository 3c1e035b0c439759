/**
 * The lab's failure scenarios. Each one finds the leg that actually carries the probe traffic (in
 * both directions), breaks it, measures the outage with probes every 10 ms (lost probes × interval),
 * repairs it and waits until the lab has converged again.
 */
import { waitConverged } from "./checks";
import type { Lab, Outage } from "./lab";
import { sleep } from "./system";
import { floodPrefixV6, FLOOD_COVER_V6, FLOOD_EXTRA_PREFIXES, type MsftEdge, type SpEdge } from "./topology";

export const PROBE_INTERVAL_MS = 10;
const CONVERGE_TIMEOUT_MS = 30_000;

export interface FailoverResult {
  scenario: string;
  /** The legs that were failed. */
  failed: string[];
  /** The path before the fault, for the report: `customer → fra-edge-2 → leg frankfurt/b → msft-frankfurt-b`. */
  pathBefore: string;
  /** Where the traffic left the SP after the fault. */
  pathAfter: string;
  outage: Outage;
  /** Time from the repair to everything converged again. */
  restoredAfterMs: number;
}

/** The customer host whose probes are measured: one in a customer-originated prefix when there is one. */
export function probeSource(lab: Lab): string {
  const hosts = lab.topology.customer.hosts.filter((h) => h.afi === "ipv4");
  const host = hosts.find((h) => h.origin === "customer") ?? hosts[0];
  if (!host) throw new Error("lab: the stack registers no IPv4 prefix, so there is no customer host to probe from");
  return host.address;
}

/**
 * Makes the probe traffic cross one leg both ways: the customer's own best path picks the SP edge
 * (and so the leg) for the way out; the service host is pointed at that leg's Microsoft edge for the
 * way back. Returns the edge and a description of the path.
 */
async function pinTrafficToOneLeg(lab: Lab): Promise<{ edge: SpEdge; msft: MsftEdge; path: string }> {
  const source = probeSource(lab);
  const edge = await lab.customerExitEdge(source);
  const msft = lab.topology.msft.find((m) => m.sp === edge) as MsftEdge;
  await lab.setServiceGateway(msft);
  const out = await lab.egressOf(edge.ns, lab.topology.service.ipv4);
  const back = await lab.egressOf(msft.ns, source);
  if (out !== edge.leg.interface || back !== msft.linkIf) {
    throw new Error(`lab: traffic does not cross leg ${edge.leg.id} both ways before the fault (${edge.hostname} sends via ${out}, ${msft.name} via ${back})`);
  }
  return { edge, msft, path: `customer ${source} → ${edge.hostname} → leg ${edge.leg.id} → ${msft.name} → service ${lab.topology.service.ipv4}` };
}

async function pathNow(lab: Lab, edge: SpEdge): Promise<string> {
  const r = await lab.routeGet(edge.ns, lab.topology.service.ipv4);
  if (r.dev === edge.leg.interface) return `${edge.hostname} → leg ${edge.leg.id}`;
  const other = lab.topology.sp.find((e) => e.backbone.v4 === r.gateway);
  return other ? `${edge.hostname} → SP backbone → ${other.hostname} → leg ${other.leg.id}` : `${edge.hostname} → ${r.dev ?? "no route"}`;
}

async function failover(
  lab: Lab,
  scenario: string,
  legsOf: (edge: SpEdge) => SpEdge[],
  fault: (edges: SpEdge[]) => Promise<void>,
  repair: (edges: SpEdge[]) => Promise<void>,
): Promise<FailoverResult> {
  const pinned = await pinTrafficToOneLeg(lab);
  const edges = legsOf(pinned.edge);
  const outage = await lab.measureOutage(probeSource(lab), () => fault(edges), {
    probes: 300,
    intervalMs: PROBE_INTERVAL_MS,
    faultAfterMs: 500,
  });
  const pathAfter = await pathNow(lab, pinned.edge);
  const repairedAt = Date.now();
  await repair(edges);
  await waitConverged(lab, CONVERGE_TIMEOUT_MS);
  return { scenario, failed: edges.map((e) => e.leg.id), pathBefore: pinned.path, pathAfter, outage, restoredAfterMs: Date.now() - repairedAt };
}

/** One leg's link goes down (both ends see carrier loss); the other leg of the metro takes over. */
export function oneLegLinkDown(lab: Lab): Promise<FailoverResult> {
  return failover(
    lab,
    "one leg, link down",
    (edge) => [edge],
    async ([e]) => lab.setLink(e, false),
    async ([e]) => lab.setLink(e, true),
  );
}

/**
 * One leg silently drops every packet, both ways, with no link event (a transport fault): only BFD
 * can notice. Repair removes the drop and, as a field engineer's repair would, brings the link
 * through a down/up so that BGP reconnects at once instead of after its connect-retry timer.
 */
export function oneLegSilentFailure(lab: Lab): Promise<FailoverResult> {
  const msftOf = (e: SpEdge) => lab.topology.msft.find((m) => m.sp === e) as MsftEdge;
  return failover(
    lab,
    "one leg, silent packet loss (no link-down)",
    (edge) => [edge],
    async ([e]) => lab.setSilentDrop(msftOf(e), true),
    async ([e]) => {
      await lab.setSilentDrop(msftOf(e), false);
      await lab.setLink(e, false);
      await lab.setLink(e, true);
    },
  );
}

/** Both legs of the metro carrying the traffic go down; another metro takes over. */
export function oneMetroDown(lab: Lab): Promise<FailoverResult> {
  return failover(
    lab,
    "one metro, both legs down",
    (edge) => lab.topology.sp.filter((e) => e.leg.metro === edge.leg.metro),
    async (edges) => {
      await Promise.all(edges.map((e) => lab.setLink(e, false)));
    },
    async (edges) => {
      await Promise.all(edges.map((e) => lab.setLink(e, true)));
    },
  );
}

export interface MaxPrefixResult {
  leg: string;
  flooded: number;
  limit: number;
  /** The rendered statement, e.g. `maximum-prefix 500 90 restart 30`. */
  configured: string;
  /** As `show bgp summary` shows it, e.g. `Idle (PfxCt)`. */
  stateAfter: string;
  /** The NOTIFICATION the SP sent. */
  notification: string;
  /** When the SP will try again (`restart 30`). */
  restartInMinutes: number;
  /** The other address family's session on the same leg. */
  otherFamilyState: string;
  reactedAfterMs: number;
}

/**
 * The Microsoft edge of one leg announces `limit + FLOOD_EXTRA_PREFIXES` IPv6 /48s (documentation
 * space, accepted by the SP's import policy so that they count). The SP's rendered
 * `maximum-prefix <limit> <warn> restart <min>` must take the IPv6 session down and keep it down.
 * IPv4 is not flooded: more than 1000 acceptable /24s do not exist outside real address space.
 */
export async function maxPrefixFlood(lab: Lab, msft: MsftEdge = lab.topology.msft[0]): Promise<MaxPrefixResult> {
  const session = msft.sp.router.sessions.find((s) => s.afi === "ipv6" && s.leg === msft.leg.name);
  if (!session) throw new Error(`lab: ${msft.sp.hostname} has no IPv6 session on leg ${msft.leg.id}`);
  const limit = session.maxPrefix.limit;
  const count = limit + FLOOD_EXTRA_PREFIXES;
  const prefixes = Array.from({ length: count }, (_, i) => floodPrefixV6(i));
  const spConfig = await lab.vtysh(msft.sp.ns, "show running-config");
  const configured = new RegExp(`neighbor ${session.peerAddress} (maximum-prefix .*)`).exec(spConfig)?.[1] ?? "(none)";
  const started = Date.now();
  // The flood as connected routes (addresses on lo, one per /48) redistributed into BGP: a few
  // milliseconds for the kernel, where 500 `network` lines through vtysh take many seconds.
  await lab.addAddresses(msft.ns, "lo", prefixes.map((p) => p.replace("::/48", "::1/48")));
  await lab.configure(
    msft.ns,
    [
      `ipv6 prefix-list LAB-FLOOD-V6 seq 5 permit ${FLOOD_COVER_V6} ge 48 le 48`,
      "route-map LAB-FLOOD-V6 permit 10",
      " match ipv6 address prefix-list LAB-FLOOD-V6",
      "exit",
      "route-map LAB-TO-SP-V6 permit 20",
      " description lab: the max-prefix flood",
      " match ipv6 address prefix-list LAB-FLOOD-V6",
      "exit",
      "router bgp 8075",
      " address-family ipv6 unicast",
      "  redistribute connected route-map LAB-FLOOD-V6",
      " exit-address-family",
      "exit",
      "",
    ].join("\n"),
  );
  while (Date.now() - started < 30_000) {
    const n = await lab.vtyshJson<Record<string, { bgpState?: string }>>(msft.sp.ns, `show bgp neighbors ${session.peerAddress} json`);
    if (n[session.peerAddress]?.bgpState !== "Established") break;
    await sleep(100);
  }
  const reactedAfterMs = Date.now() - started;
  await sleep(1500); // it must stay down: `restart 30` means 30 minutes, not a quick reconnect
  type NeighborJson = { bgpState?: string; lastNotificationReason?: string; restartInTimerMsec?: number };
  const after = await lab.vtyshJson<Record<string, NeighborJson>>(msft.sp.ns, "show bgp neighbors json");
  const summary = await lab.vtyshJson<{ peers?: Record<string, { state?: string }> }>(msft.sp.ns, "show bgp ipv6 unicast summary json");
  const v4 = msft.sp.router.sessions.find((s) => s.afi === "ipv4" && s.leg === msft.leg.name);
  const peer = after[session.peerAddress] ?? {};
  return {
    leg: msft.leg.id,
    flooded: count,
    limit,
    configured,
    stateAfter: summary.peers?.[session.peerAddress]?.state ?? peer.bgpState ?? "",
    notification: peer.lastNotificationReason ?? "",
    restartInMinutes: Math.round((peer.restartInTimerMsec ?? 0) / 60_000),
    otherFamilyState: v4 ? (after[v4.peerAddress]?.bgpState ?? "") : "",
    reactedAfterMs,
  };
}

export interface PrependResult {
  prefix: string;
  /** Microsoft edges whose received-routes (before their filter) hold the prepended path. */
  receivedAt: string[];
  /** Microsoft edges that accepted it anyway (must be none). */
  acceptedAt: string[];
  receivedPath: string;
}

/**
 * Microsoft's side must reject what Peering Service forbids, or the "exactly the registered prefixes"
 * check would prove nothing about its filter: the customer prepends its prefix once; the SP passes
 * the path on unchanged (its export policy neither adds nor strips prepends); every Microsoft edge
 * receives it and rejects it. The customer's announcement is restored afterwards.
 */
export async function customerPrepend(lab: Lab): Promise<PrependResult> {
  const t = lab.topology;
  const prefix = t.customer.originated.find((p) => !p.includes(":"));
  if (!prefix) throw new Error("lab: the stack has no customer-originated IPv4 prefix to prepend");
  const setPrepend = async (on: boolean) => {
    await lab.configure(
      t.customer.ns,
      [
        "route-map LAB-PREPEND-ONCE permit 10",
        ` set as-path prepend ${t.customer.asn}`,
        "exit",
        `router bgp ${t.customer.asn}`,
        " address-family ipv4 unicast",
        `  ${on ? "" : "no "}neighbor SP-V4 route-map LAB-PREPEND-ONCE out`,
        " exit-address-family",
        "exit",
        "",
      ].join("\n"),
    );
    await lab.vtysh(t.customer.ns, "clear bgp ipv4 unicast * soft out");
  };
  const expectedPath = `${t.plan.sp.asn} ${t.customer.asn} ${t.customer.asn}`;
  await setPrepend(true);
  let receivedAt: string[] = [];
  let acceptedAt: string[] = [];
  const deadline = Date.now() + 15_000;
  while (Date.now() < deadline) {
    receivedAt = [];
    acceptedAt = [];
    for (const m of t.msft) {
      const received = await lab.vtyshJson<{ receivedRoutes?: Record<string, { path?: string }> }>(m.ns, `show bgp ipv4 unicast neighbors ${m.leg.ipv4.sp} received-routes json`);
      if (received.receivedRoutes?.[prefix]?.path === expectedPath) receivedAt.push(m.name);
      const accepted = await lab.vtyshJson<{ routes?: Record<string, unknown> }>(m.ns, `show bgp ipv4 unicast neighbors ${m.leg.ipv4.sp} routes json`);
      if (accepted.routes?.[prefix] !== undefined) acceptedAt.push(m.name);
    }
    if (receivedAt.length === t.msft.length && acceptedAt.length === 0) break;
    await sleep(200);
  }
  await setPrepend(false);
  await waitConverged(lab, CONVERGE_TIMEOUT_MS);
  return { prefix, receivedAt, acceptedAt, receivedPath: expectedPath };
}
