/**
 * The lab's failure scenarios. Each one starts from a verified converged state with the customer's
 * traffic on its nominal path (both ways), breaks one leg or a whole metro, measures the outage with
 * probes every 10 ms (lost probes × interval), checks where the traffic went, repairs, and waits
 * until the lab has converged and the traffic is back on its nominal path.
 */
import { probeSource, tracePaths, waitConverged, waitForPaths } from "./checks";
import type { Lab, Outage } from "./lab";
import { entryEdge, expectedPaths, legsOf, SERVICE_NODE, type ExpectedPaths } from "./paths";
import { sleep } from "./system";
import {
  customerOf,
  floodPrefixV6,
  FLOOD_COVER_V6,
  FLOOD_EXTRA_PREFIXES,
  msftOf,
  type CustomerSite,
  type MsftEdge,
  type SpEdge,
} from "./topology";

export const PROBE_INTERVAL_MS = 10;
export const CONVERGE_TIMEOUT_MS = 30_000;
/** Bound on the wait for the traffic to settle on the expected path after a fault or repair. */
export const PATH_TIMEOUT_MS = 15_000;

export interface FailoverResult {
  scenario: string;
  metro: string;
  /** The legs that were failed. */
  failed: string[];
  expected: ExpectedPaths;
  /** The paths traced after the fault (`forward`: customer → service, `back`: service → customer). */
  after: ExpectedPaths;
  outage: Outage;
  /** Time from the repair to everything converged and the traffic back on its nominal path. */
  restoredAfterMs: number;
}

/**
 * Readies a metro's customer traffic: the lab converged, the service host's replies entering
 * Microsoft at the edge facing the customer's entry leg, and both directions on the nominal path.
 */
export async function ready(lab: Lab, metro: string): Promise<void> {
  await waitConverged(lab, CONVERGE_TIMEOUT_MS);
  await lab.setServiceGateway(msftOf(lab.topology, entryEdge(lab.topology, metro)));
  await waitForPaths(lab, metro, expectedPaths(lab.topology, metro, []), PATH_TIMEOUT_MS, "before the fault");
}

async function failover(
  lab: Lab,
  scenario: string,
  metro: string,
  failedLegs: string[],
  fault: (edges: SpEdge[]) => Promise<void>,
  repair: (edges: SpEdge[]) => Promise<void>,
): Promise<FailoverResult> {
  const t = lab.topology;
  await ready(lab, metro);
  const edges = t.sp.filter((e) => failedLegs.includes(e.leg.id));
  const customer = customerOf(t, metro);
  const outage = await lab.measureOutage(customer, probeSource(customer), () => fault(edges), {
    probes: 300,
    intervalMs: PROBE_INTERVAL_MS,
    faultAfterMs: 500,
  });
  const expected = expectedPaths(t, metro, failedLegs);
  const after = await waitForPaths(lab, metro, expected, PATH_TIMEOUT_MS).catch(() => tracePaths(lab, metro));
  const repairedAt = Date.now();
  await repair(edges);
  await ready(lab, metro);
  return { scenario, metro, failed: failedLegs, expected, after, outage, restoredAfterMs: Date.now() - repairedAt };
}

/** The leg the customer of `metro` enters the SP over. */
function entryLeg(lab: Lab, metro: string): string {
  return entryEdge(lab.topology, metro).leg.id;
}

/** One leg's link goes down (both ends see carrier loss); the metro's other leg must take over. */
export function oneLegLinkDown(lab: Lab, metro: string): Promise<FailoverResult> {
  return failover(
    lab,
    "one leg, link down",
    metro,
    [entryLeg(lab, metro)],
    async ([e]) => lab.setLink(e, false),
    async ([e]) => lab.setLink(e, true),
  );
}

/**
 * One leg silently drops every packet, both ways, with no link event (a transport fault): only BFD
 * can notice. The repair only lifts the drop, as a healed transport would: the sessions must come
 * back by themselves (no link bounce to help them).
 */
export function oneLegSilentFailure(lab: Lab, metro: string): Promise<FailoverResult> {
  const msft = (e: SpEdge) => msftOf(lab.topology, e);
  return failover(
    lab,
    "one leg, silent packet loss (no link-down)",
    metro,
    [entryLeg(lab, metro)],
    async ([e]) => lab.setSilentDrop(msft(e), true),
    async ([e]) => lab.setSilentDrop(msft(e), false),
  );
}

/** Both legs of a metro go down; the nearest metro (by IGP) must take over. */
export function oneMetroDown(lab: Lab, metro: string): Promise<FailoverResult> {
  return failover(
    lab,
    "one metro, both legs down",
    metro,
    legsOf(lab.topology, metro),
    async (edges) => {
      await Promise.all(edges.map((e) => lab.setLink(e, false)));
    },
    async (edges) => {
      await Promise.all(edges.map((e) => lab.setLink(e, true)));
    },
  );
}

export interface NearestEdgeResult {
  metro: string;
  expected: ExpectedPaths;
  paths: ExpectedPaths;
  sent: number;
  received: number;
}

/**
 * Peering Service's shortest path: a customer in a metro reaches the service through that metro's
 * legs, both ways, while they are up. Probes prove the path carries traffic.
 */
export async function nearestEdge(lab: Lab, metro: string): Promise<NearestEdgeResult> {
  await ready(lab, metro);
  const expected = expectedPaths(lab.topology, metro, []);
  const paths = await tracePaths(lab, metro);
  const customer = customerOf(lab.topology, metro);
  const probes = await lab.measureOutage(customer, probeSource(customer), () => Promise.resolve(), {
    probes: 50,
    intervalMs: PROBE_INTERVAL_MS,
    faultAfterMs: 0,
  });
  return { metro, expected, paths, sent: probes.sent, received: probes.received };
}

/** Whether a path ends at the service (forward) or at a customer (back) rather than in a failure note. */
export function delivered(path: readonly string[], to: string = SERVICE_NODE): boolean {
  return path[path.length - 1] === to;
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
  await lab.addAddresses(
    msft.ns,
    "lo",
    prefixes.map((p) => p.replace("::/48", "::1/48")),
  );
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
    const n = await lab.vtyshJson<Record<string, { bgpState?: string }>>(
      msft.sp.ns,
      `show bgp neighbors ${session.peerAddress} json`,
    );
    if (n[session.peerAddress]?.bgpState !== "Established") break;
    await sleep(100);
  }
  const reactedAfterMs = Date.now() - started;
  await sleep(1500); // it must stay down: `restart 30` means 30 minutes, not a quick reconnect
  type NeighborJson = { bgpState?: string; lastNotificationReason?: string; restartInTimerMsec?: number };
  const after = await lab.vtyshJson<Record<string, NeighborJson>>(msft.sp.ns, "show bgp neighbors json");
  const summary = await lab.vtyshJson<{ peers?: Record<string, { state?: string }> }>(
    msft.sp.ns,
    "show bgp ipv6 unicast summary json",
  );
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
  /** The path the customer then sends: its ASN twice. */
  prependedPath: string;
  /** SP edges holding the customer's prepended path (from the customer or over iBGP). */
  heldAt: string[];
  /** Microsoft edges whose received-routes (before their filter) still hold the prefix: must be none. */
  receivedAt: string[];
  /** Microsoft edges that hold it again once the customer stops prepending: every one. */
  restoredAt: string[];
}

/** Whether a Microsoft edge received (before its filter) or accepted a prefix from its SP session. */
async function msftHolds(
  lab: Lab,
  m: MsftEdge,
  prefix: string,
  which: "received-routes" | "routes",
): Promise<string | undefined> {
  const json = await lab.vtyshJson<{
    receivedRoutes?: Record<string, { path?: string }>;
    routes?: Record<string, unknown>;
  }>(m.ns, `show bgp ipv4 unicast neighbors ${m.leg.ipv4.sp} ${which} json`);
  if (which === "received-routes") return json.receivedRoutes?.[prefix]?.path;
  return json.routes?.[prefix] === undefined ? undefined : "accepted";
}

/** The best path an SP edge holds for a prefix, as `64501 64501` (FRR or BIRD). */
async function spBestPath(lab: Lab, e: SpEdge, prefix: string): Promise<string | undefined> {
  if (lab.runsBird(e.ns)) {
    const out = await lab.birdc(e.ns, "show", "route", prefix, "primary", "all");
    return /BGP\.as_path:\s*(.*)$/m.exec(out)?.[1]?.trim();
  }
  const json = await lab.vtyshJson<{
    paths?: Array<{ bestpath?: { overall?: boolean }; aspath?: { string?: string } }>;
  }>(e.ns, `show bgp ipv4 unicast ${prefix} json`);
  return json.paths?.find((p) => p.bestpath?.overall)?.aspath?.string;
}

/**
 * The SP withholds what Microsoft's prefix validation refuses: the customer prepends its prefix
 * once, in every metro, so every SP edge holds it with the path `64501 64501`; the export policies
 * (exactly `^64501$` for this prefix) announce it nowhere, so no Microsoft edge even receives it
 * (received-routes, before Microsoft's own filter). Once the customer stops, every Microsoft edge
 * holds it again. The customer's announcement is restored in any case.
 */
export async function customerPrepend(lab: Lab): Promise<PrependResult> {
  const t = lab.topology;
  const prefix = t.customer.originated.find((p) => !p.includes(":"));
  if (!prefix) throw new Error("lab: the stack has no customer-originated IPv4 prefix to prepend");
  const prependedPath = `${t.customer.asn} ${t.customer.asn}`;
  const setPrepend = async (c: CustomerSite, on: boolean) => {
    await lab.configure(
      c.ns,
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
    await lab.vtysh(c.ns, "clear bgp ipv4 unicast * soft out");
  };
  let heldAt: string[] = [];
  let receivedAt: string[] = [];
  const restoredAt: string[] = [];
  try {
    await Promise.all(t.customers.map((c) => setPrepend(c, true)));
    const deadline = Date.now() + 20_000;
    while (Date.now() < deadline) {
      heldAt = [];
      for (const e of t.sp) if ((await spBestPath(lab, e, prefix)) === prependedPath) heldAt.push(e.hostname);
      receivedAt = [];
      for (const m of t.msft)
        if ((await msftHolds(lab, m, prefix, "received-routes")) !== undefined) receivedAt.push(m.name);
      if (heldAt.length === t.sp.length && receivedAt.length === 0) break;
      await sleep(200);
    }
  } finally {
    await Promise.all(t.customers.map((c) => setPrepend(c, false)));
  }
  await waitConverged(lab, CONVERGE_TIMEOUT_MS);
  for (const m of t.msft) if ((await msftHolds(lab, m, prefix, "routes")) !== undefined) restoredAt.push(m.name);
  return { prefix, prependedPath, heldAt, receivedAt, restoredAt };
}

export interface MicrosoftFilterResult {
  prefix: string;
  /** The path injected at Microsoft's edge, prepended: `64500 64500 64501`. */
  injectedPath: string;
  /** What the Microsoft edge received (before its filter). */
  receivedPath: string | undefined;
  accepted: boolean;
}

/**
 * Microsoft's simulated filter on its own: a prepended path is injected directly at one Microsoft
 * edge (lab only: one extra clause in front of the SP edge's export policy, removed again), which
 * receives it and must reject it. The product's own policy never sends such a path (customerPrepend).
 */
export async function microsoftRejectsPrepend(lab: Lab): Promise<MicrosoftFilterResult> {
  const t = lab.topology;
  const m = t.msft.find((x) => x.sp.daemon === "frr");
  const prefix = t.customer.originated.find((p) => !p.includes(":"));
  if (!m || !prefix) throw new Error("lab: no FRR SP edge or no customer IPv4 prefix to inject");
  const asn = t.plan.sp.asn;
  const injectedPath = `${asn} ${asn} ${t.customer.asn}`;
  const inject = async (on: boolean) => {
    await lab.configure(
      m.sp.ns,
      on
        ? [
            `ip prefix-list LAB-INJECT-V4 seq 10 permit ${prefix}`,
            "route-map MAPS-OUT-V4 permit 5",
            " description LAB ONLY: a prepended path injected towards Microsoft's edge",
            " match ip address prefix-list LAB-INJECT-V4",
            ` set as-path prepend ${asn}`,
            ` set community ${t.community}`,
            "exit",
            "",
          ].join("\n")
        : ["no route-map MAPS-OUT-V4 permit 5", "no ip prefix-list LAB-INJECT-V4", ""].join("\n"),
    );
    await lab.vtysh(m.sp.ns, `clear bgp ipv4 unicast ${m.leg.ipv4.microsoft} soft out`);
  };
  let receivedPath: string | undefined;
  let accepted = true;
  try {
    await inject(true);
    const deadline = Date.now() + 15_000;
    while (Date.now() < deadline) {
      receivedPath = await msftHolds(lab, m, prefix, "received-routes");
      accepted = (await msftHolds(lab, m, prefix, "routes")) !== undefined;
      if (receivedPath === injectedPath && !accepted) break;
      await sleep(200);
    }
  } finally {
    await inject(false);
  }
  await waitConverged(lab, CONVERGE_TIMEOUT_MS);
  return { prefix, injectedPath, receivedPath, accepted };
}
