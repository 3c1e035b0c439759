/**
 * The lab's backbones and expected paths, without any daemon: IGP metrics from the metros'
 * coordinates, shortest paths, the nearest exit after a failure, and the lab stack's table of
 * expected paths (test/lab/expectedPaths.ts) checked against the derivation.
 */
import { distanceKm } from "../../plan/geo";
import {
  expectedExit,
  igpDistances,
  longHaulMetric,
  METRO_LINK_METRIC,
  nearestMetro,
  nearestOf,
  planBackbone,
  shortestPath,
  type BackboneSite,
} from "./backbone";
import { LAB_STACK_PATHS } from "./expectedPaths";
import { spreads } from "./figures";
import { planOf } from "./lab";
import { expectedPaths, formatPath, legsOf } from "./paths";
import { buildTopology } from "./topology";

const AMS = { latitude: 52.37, longitude: 4.9 };
const FRA = { latitude: 50.11, longitude: 8.68 };
const LON = { latitude: 51.51, longitude: -0.13 };
const SITES: BackboneSite[] = [
  { metro: "amsterdam", ...AMS, routers: ["ams-1", "ams-2"] },
  { metro: "frankfurt", ...FRA, routers: ["fra-1", "fra-2"] },
  { metro: "london", ...LON, routers: ["lon-1", "lon-2"] },
];

describe("IGP metrics", () => {
  it.each([
    [0, METRO_LINK_METRIC + 1],
    [0.4, METRO_LINK_METRIC + 1],
    [357.6, 358],
    [638.2, 638],
  ])("a long-haul link of %d km has metric %d, always dearer than a metro link", (km, metric) => {
    expect(longHaulMetric(km)).toBe(metric);
    expect(longHaulMetric(km)).toBeGreaterThan(METRO_LINK_METRIC);
  });

  it.each([[-1], [Number.NaN], [Infinity]])("refuses %d km", (km) => {
    expect(() => longHaulMetric(km)).toThrow(`lab: distance ${km} km is not a distance`);
  });

  it("costs long-haul links by the great-circle distance of the nearest-edge policy", () => {
    const links = planBackbone(SITES);
    const amsLon = links.find((l) => l.a === "ams-1" && l.b === "lon-1");
    expect(amsLon?.metric).toBe(Math.round(distanceKm(AMS, LON)));
    expect(links.filter((l) => l.kind === "long-haul").map((l) => `${l.a}-${l.b} ${l.metric}`)).toEqual([
      "ams-1-fra-1 364",
      "ams-2-fra-2 364",
      "ams-1-lon-1 358",
      "ams-2-lon-2 358",
      "fra-1-lon-1 638",
      "fra-2-lon-2 638",
    ]);
  });

  it("links every metro's routers to each other and each plane (leg a, leg b) across metros", () => {
    const links = planBackbone(SITES);
    expect(links.filter((l) => l.kind === "metro").map((l) => `${l.a}-${l.b}`)).toEqual([
      "ams-1-ams-2",
      "fra-1-fra-2",
      "lon-1-lon-2",
    ]);
    expect(links).toHaveLength(3 + 6);
  });

  it("links a metro with three legs in full mesh, and its third router only inside the metro", () => {
    const links = planBackbone([
      { metro: "x", ...AMS, routers: ["x1", "x2", "x3"] },
      { metro: "y", ...LON, routers: ["y1", "y2"] },
    ]);
    expect(links.map((l) => `${l.a}-${l.b} ${l.kind}`)).toEqual([
      "x1-x2 metro",
      "x1-x3 metro",
      "x2-x3 metro",
      "y1-y2 metro",
      "x1-y1 long-haul",
      "x2-y2 long-haul",
    ]);
  });

  it("refuses a router in two metros", () => {
    expect(() =>
      planBackbone([
        { metro: "x", ...AMS, routers: ["r"] },
        { metro: "y", ...LON, routers: ["r"] },
      ]),
    ).toThrow("lab: router r is in two metros of the backbone");
  });
});

describe("shortest paths and exits", () => {
  const links = planBackbone(SITES);
  const routers = SITES.flatMap((s) => s.routers);

  it("computes IGP distances (Dijkstra)", () => {
    const d = igpDistances(links, "ams-1");
    expect(Object.fromEntries(d)).toEqual({
      "ams-1": 0,
      "ams-2": 1,
      "fra-1": 364,
      "fra-2": 365,
      "lon-1": 358,
      "lon-2": 359,
    });
  });

  it.each([
    ["one leg down: the metro's other router", "ams-1", ["ams-1"], "ams-2", 1],
    ["a metro down: the nearest metro, same plane", "ams-1", ["ams-1", "ams-2"], "lon-1", 358],
    ["frankfurt down from its b router", "fra-2", ["fra-1", "fra-2"], "ams-2", 364],
    ["london down", "lon-1", ["lon-1", "lon-2"], "ams-1", 358],
    ["nothing down: the entry itself", "lon-2", [], "lon-2", 0],
  ])("%s", (_what, entry, failed, router, metric) => {
    expect(expectedExit(links, routers, entry, new Set(failed))).toEqual({ router, metric });
  });

  it("refuses to guess between two equally near routers", () => {
    const tie = [
      { a: "x1", b: "x2", metric: 5, kind: "metro" as const },
      { a: "x1", b: "y1", metric: 5, kind: "long-haul" as const },
    ];
    expect(() => nearestOf(tie, "x1", ["x2", "y1"])).toThrow(
      "lab: from x1, x2 and y1 are equally near (IGP 5); the lab needs one nearest router",
    );
  });

  it("returns the hops of a shortest path, and refuses equal-cost paths", () => {
    expect(shortestPath(links, "ams-1", "lon-1")).toEqual(["ams-1", "lon-1"]);
    const line = [
      { a: "a", b: "b", metric: 1, kind: "metro" as const },
      { a: "b", b: "c", metric: 1, kind: "metro" as const },
      { a: "a", b: "c", metric: 5, kind: "long-haul" as const },
    ];
    expect(shortestPath(line, "a", "c")).toEqual(["a", "b", "c"]);
    // The lab's two planes make every cross-plane long-haul path a tie: fra-1 → lon-2 via fra-2 or lon-1.
    expect(() => shortestPath(links, "fra-1", "lon-2")).toThrow(
      "lab: from fra-1 to lon-2, IS-IS has equal-cost paths (to lon-2); the lab needs one path",
    );
    const square = [
      { a: "a", b: "b", metric: 1, kind: "metro" as const },
      { a: "a", b: "c", metric: 1, kind: "metro" as const },
      { a: "b", b: "d", metric: 1, kind: "metro" as const },
      { a: "c", b: "d", metric: 1, kind: "metro" as const },
    ];
    expect(() => shortestPath(square, "a", "d")).toThrow(
      "lab: from a to d, IS-IS has equal-cost paths (to d); the lab needs one path",
    );
  });

  it.each([
    ["amsterdam", "london", 358],
    ["frankfurt", "amsterdam", 364],
    ["london", "amsterdam", 358],
  ])("the nearest metro of %s is %s (IGP %d)", (metro, nearest, metric) => {
    expect(nearestMetro(SITES, links, metro)).toEqual({ metro: nearest, metric });
  });
});

describe("the lab stack's expected paths (test/lab/expectedPaths.ts)", () => {
  const topology = buildTopology(planOf("lab"), "1x0");
  const derived = (metro: string, failed: string[]) => {
    const p = expectedPaths(topology, metro, failed);
    return { forward: formatPath(p.forward), back: formatPath(p.back) };
  };

  it("states every metro of the lab stack", () => {
    expect(Object.keys(LAB_STACK_PATHS).sort()).toEqual(topology.customers.map((c) => c.metro).sort());
  });

  it.each(Object.keys(LAB_STACK_PATHS))(
    "agrees with the IGP derivation for %s: nominal, one leg down, the metro down",
    (metro) => {
      const e = LAB_STACK_PATHS[metro];
      expect(derived(metro, [])).toEqual(e.nominal);
      expect(derived(metro, e.legDown.failed)).toEqual({ forward: e.legDown.forward, back: e.legDown.back });
      expect(e.metroDown.failed).toEqual(legsOf(topology, metro));
      expect(derived(metro, e.metroDown.failed)).toEqual({ forward: e.metroDown.forward, back: e.metroDown.back });
    },
  );

  it("refuses a leg the lab does not have", () => {
    expect(() => expectedPaths(topology, "amsterdam", ["paris/a"])).toThrow("lab: no leg paris/a in the lab");
  });
});

describe("figures of repeated runs", () => {
  it("reports min, median and max of every figure, in first-seen order", () => {
    const runs: Array<Array<[string, number]>> = [
      [
        ["b", 3],
        ["a", 10],
      ],
      [
        ["a", 30],
        ["b", 1],
      ],
      [["a", 20]],
    ];
    expect(spreads(runs)).toEqual([
      { figure: "b", n: 2, min: 1, median: 2, max: 3 },
      { figure: "a", n: 3, min: 10, median: 20, max: 30 },
    ]);
  });
});
