/**
 * The lab's backbones with real distances (pure: no I/O). The SP's and the simulated Microsoft's
 * backbones are built alike: point-to-point links running IS-IS, with
 *
 * - a cheap link between every two routers of the same metro (METRO_LINK_METRIC), and
 * - "planes" of long-haul links: the k-th router of every metro (in leg order) is linked to the
 *   k-th router of every other metro, costed by the great-circle distance between the metros'
 *   coordinates (1 per km, the distance function the nearest-edge policy uses).
 *
 * iBGP runs between loopbacks, so the IGP metric to a BGP next hop decides the exit when a router
 * loses its own leg: the metro's other router first, then the nearest metro.
 */
import { distanceKm, type Coordinates } from "../../plan/geo";

/** IGP metric of a link between two routers of the same metro. */
export const METRO_LINK_METRIC = 1;

/** IGP metric of a long-haul link: its great-circle length in km, always dearer than a metro link. */
export function longHaulMetric(km: number): number {
  if (!Number.isFinite(km) || km < 0) throw new Error(`lab: distance ${km} km is not a distance`);
  return Math.max(METRO_LINK_METRIC + 1, Math.round(km));
}

export interface BackboneSite extends Coordinates {
  metro: string;
  /** Router names in leg order (a, b, ...). */
  routers: string[];
}

export interface BackboneLink {
  a: string;
  b: string;
  metric: number;
  kind: "metro" | "long-haul";
  /** Great-circle distance of a long-haul link. */
  km?: number;
}

/** The links of a backbone: metro-local full mesh, plus one long-haul plane per leg position. */
export function planBackbone(sites: readonly BackboneSite[]): BackboneLink[] {
  const seen = new Set<string>();
  for (const s of sites) {
    for (const r of s.routers) {
      if (seen.has(r)) throw new Error(`lab: router ${r} is in two metros of the backbone`);
      seen.add(r);
    }
  }
  const links: BackboneLink[] = [];
  for (const s of sites) {
    for (let i = 0; i < s.routers.length; i++) {
      for (let j = i + 1; j < s.routers.length; j++)
        links.push({ a: s.routers[i], b: s.routers[j], metric: METRO_LINK_METRIC, kind: "metro" });
    }
  }
  for (let i = 0; i < sites.length; i++) {
    for (let j = i + 1; j < sites.length; j++) {
      const km = distanceKm(sites[i], sites[j]);
      const planes = Math.min(sites[i].routers.length, sites[j].routers.length);
      for (let k = 0; k < planes; k++) {
        links.push({
          a: sites[i].routers[k],
          b: sites[j].routers[k],
          metric: longHaulMetric(km),
          kind: "long-haul",
          km: Math.round(km),
        });
      }
    }
  }
  return links;
}

/** IGP distance from `from` to every router it reaches, and each one's predecessor (Dijkstra). */
function dijkstra(
  links: readonly BackboneLink[],
  from: string,
): { dist: Map<string, number>; prev: Map<string, string>; tied: Set<string> } {
  const dist = new Map<string, number>([[from, 0]]);
  const prev = new Map<string, string>();
  /** Nodes reached at their distance through more than one neighbour (equal-cost paths). */
  const tied = new Set<string>();
  const done = new Set<string>();
  for (;;) {
    let next: string | undefined;
    for (const [node, d] of dist)
      if (!done.has(node) && (next === undefined || d < (dist.get(next) as number))) next = node;
    if (next === undefined) return { dist, prev, tied };
    done.add(next);
    const base = dist.get(next) as number;
    for (const l of links) {
      const other = l.a === next ? l.b : l.b === next ? l.a : undefined;
      if (other === undefined || done.has(other)) continue;
      const d = base + l.metric;
      const known = dist.get(other) ?? Infinity;
      if (d < known) {
        dist.set(other, d);
        prev.set(other, next);
        tied.delete(other);
      } else if (d === known) {
        tied.add(other);
      }
    }
  }
}

/** IGP distance from `from` to every router it reaches (links are bidirectional). */
export function igpDistances(links: readonly BackboneLink[], from: string): Map<string, number> {
  return dijkstra(links, from).dist;
}

/** The routers on the IGP shortest path, both ends included. */
export function shortestPath(links: readonly BackboneLink[], from: string, to: string): string[] {
  const { dist, prev, tied } = dijkstra(links, from);
  if (!dist.has(to)) throw new Error(`lab: ${to} is not reachable from ${from} over the backbone`);
  const path = [to];
  while (path[0] !== from) path.unshift(prev.get(path[0]) as string);
  const split = path.find((n) => tied.has(n));
  if (split !== undefined)
    throw new Error(`lab: from ${from} to ${to}, IS-IS has equal-cost paths (to ${split}); the lab needs one path`);
  return path;
}

/**
 * The candidate at the lowest IGP distance from `from`. A tie would leave the choice to BGP's
 * arbitrary tie-breaks, so it is an error: the lab asserts one nearest router.
 */
export function nearestOf(
  links: readonly BackboneLink[],
  from: string,
  candidates: readonly string[],
): { router: string; metric: number } {
  if (candidates.includes(from)) return { router: from, metric: 0 };
  const dist = igpDistances(links, from);
  const reachable = candidates
    .filter((r) => dist.has(r))
    .sort((x, y) => (dist.get(x) as number) - (dist.get(y) as number));
  if (reachable.length === 0) throw new Error(`lab: none of ${candidates.join(", ")} is reachable from ${from}`);
  const [best, second] = reachable;
  if (second !== undefined && dist.get(best) === dist.get(second)) {
    throw new Error(
      `lab: from ${from}, ${best} and ${second} are equally near (IGP ${String(dist.get(best))}); the lab needs one nearest router`,
    );
  }
  return { router: best, metric: dist.get(best) as number };
}

/**
 * Where traffic entering at `entry` leaves the backbone when the routers in `failed` have lost
 * their legs: the entry itself while its own leg works, else the router with a working leg at the
 * lowest IGP distance.
 */
export function expectedExit(
  links: readonly BackboneLink[],
  routers: readonly string[],
  entry: string,
  failed: ReadonlySet<string>,
): { router: string; metric: number } {
  const working = routers.filter((r) => !failed.has(r));
  if (working.length === 0) throw new Error(`lab: no router with a working leg is left`);
  return nearestOf(links, entry, working);
}

/** The metro nearest to `metro` by IGP distance between their routers (for the report). */
export function nearestMetro(
  sites: readonly BackboneSite[],
  links: readonly BackboneLink[],
  metro: string,
): { metro: string; metric: number } {
  const from = sites.find((s) => s.metro === metro);
  if (!from) throw new Error(`lab: no metro ${metro} in the backbone`);
  let best: { metro: string; metric: number } | undefined;
  for (const s of sites) {
    if (s === from) continue;
    let metric = Infinity;
    for (const r of from.routers) {
      const dist = igpDistances(links, r);
      for (const t of s.routers) metric = Math.min(metric, dist.get(t) ?? Infinity);
    }
    if (!best || metric < best.metric) best = { metro: s.metro, metric };
  }
  if (!best) throw new Error(`lab: metro ${metro} has no other metro to fail over to`);
  return best;
}
