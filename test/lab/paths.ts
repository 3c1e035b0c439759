/**
 * The paths the lab expects (pure: derived from the topology and the backbones' IGP metrics), in
 * the notation the lab traces real forwarding in: node names, with `leg <metro>/<leg>` where the
 * traffic crosses between the SP and Microsoft.
 *
 * A customer's traffic enters the SP at its metro's first router and leaves at the nearest router
 * (by IGP) whose leg works; the service host sends its replies into Microsoft at the Microsoft edge
 * facing that entry leg (Microsoft carries traffic cold-potato to the user's metro), and Microsoft
 * hands them to the SP at the nearest Microsoft edge whose leg works.
 */
import { expectedExit, nearestOf, shortestPath } from "./backbone";
import { customerOf, msftOf, type LabTopology, type SpEdge } from "./topology";

export const SERVICE_NODE = "service";

export interface ExpectedPaths {
  /** customer → ... → leg → Microsoft edge → service */
  forward: string[];
  /** service → Microsoft edge → ... → leg → SP edge → ... → customer */
  back: string[];
}

/** The SP edge a metro's customer enters the SP at (its preferred router: the metro's first leg). */
export function entryEdge(t: LabTopology, metro: string): SpEdge {
  return customerOf(t, metro).ports[0].edge;
}

/** Expected paths for the customer of `metro` while the legs in `failedLegs` (`amsterdam/a`) are down. */
export function expectedPaths(t: LabTopology, metro: string, failedLegs: readonly string[]): ExpectedPaths {
  const unknown = failedLegs.filter((id) => !t.sp.some((e) => e.leg.id === id));
  if (unknown.length > 0) throw new Error(`lab: no leg ${unknown.join(", ")} in the lab`);
  const customer = customerOf(t, metro);
  const entry = entryEdge(t, metro);
  const failedSp = new Set(t.sp.filter((e) => failedLegs.includes(e.leg.id)).map((e) => e.hostname));
  const failedMsft = new Set(t.msft.filter((m) => failedLegs.includes(m.leg.id)).map((m) => m.name));

  const spExit = expectedExit(
    t.spBackbone,
    t.sp.map((e) => e.hostname),
    entry.hostname,
    failedSp,
  ).router;
  const spExitEdge = t.sp.find((e) => e.hostname === spExit) as SpEdge;
  const forward = [
    customer.name,
    ...shortestPath(t.spBackbone, entry.hostname, spExit),
    `leg ${spExitEdge.leg.id}`,
    msftOf(t, spExitEdge).name,
    SERVICE_NODE,
  ];

  const gateway = msftOf(t, entry);
  const msftExit = expectedExit(
    t.msftBackbone,
    t.msft.map((m) => m.name),
    gateway.name,
    failedMsft,
  ).router;
  const msftExitEdge = t.msft.find((m) => m.name === msftExit) as (typeof t.msft)[number];
  const handoff = msftExitEdge.sp.hostname;
  // Back in the SP: the nearest edge of the customer's metro (its own eBGP path when it is one).
  const customerEdge = nearestOf(
    t.spBackbone,
    handoff,
    customer.ports.map((p) => p.edge.hostname),
  ).router;
  const back = [
    SERVICE_NODE,
    ...shortestPath(t.msftBackbone, gateway.name, msftExit),
    `leg ${msftExitEdge.leg.id}`,
    ...shortestPath(t.spBackbone, handoff, customerEdge),
    customer.name,
  ];
  return { forward, back };
}

/** The legs of a metro. */
export function legsOf(t: LabTopology, metro: string): string[] {
  return t.sp.filter((e) => e.leg.metro === metro).map((e) => e.leg.id);
}

/** A path as the report prints it. */
export function formatPath(path: readonly string[]): string {
  return path.join(" → ");
}
