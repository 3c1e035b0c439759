/**
 * Route analytics (analytics/analyze.ts) on the lab stack: routing as planned, in the sources' own
 * shapes (test/support/routeWorld.ts), with one thing changed per case, and the exact events that
 * follow. Every event kind has a triggering case and a clean negative.
 */
import { analyze, exitCodeOf, type Analysis } from "../../analytics/analyze";
import { intentOf, type Intent, type LegIntent } from "../../analytics/intent";
import { mergeObservations, parseAsPath, type EventKind, type Observations } from "../../analytics/model";
import { readFrrJson, readReceivedRoutes } from "../../analytics/sources";
import type { ArmReceivedRoute } from "../support/armResources";
import {
  frrPath,
  msftEdgeSummary,
  msftEdgeTable,
  receivedRoutesAsPlanned,
  ROGUE,
  type FrrSummary,
  type FrrTable,
} from "../support/routeWorld";
import { labFiles, planOf } from "../support/stack";

const intent: Intent = intentOf(planOf(labFiles()));
const legOf = (id: string): LegIntent => {
  const leg = intent.metros.flatMap((m) => m.legs).find((l) => l.id === id);
  if (!leg) throw new Error(`no leg ${id}`);
  return leg;
};
const METROS = intent.metros.map((m) => m.id);

/** Microsoft's receivedRoutes of every metro, changed by `mutate`. */
function received(mutate?: (routes: Record<string, ArmReceivedRoute[]>) => void): Observations {
  const routes = Object.fromEntries(METROS.map((m) => [m, receivedRoutesAsPlanned(intent, m)]));
  mutate?.(routes);
  return mergeObservations(METROS.map((m) => readReceivedRoutes(JSON.stringify({ value: routes[m] }), `${m}.json`, m)));
}

/** Every leg's Microsoft edge in FRR's JSON, changed by `mutate` (router name → files). */
function frr(
  mutate?: (edges: Record<string, { v4: FrrTable; v6: FrrTable; summary: FrrSummary }>) => void,
): Observations {
  const legs = intent.metros.flatMap((m) => m.legs);
  const edges = Object.fromEntries(
    legs.map((l) => [
      `msft-${l.metro}-${l.name}`,
      {
        v4: msftEdgeTable(intent, l, "ipv4"),
        v6: msftEdgeTable(intent, l, "ipv6"),
        summary: msftEdgeSummary(intent, l),
      },
    ]),
  );
  mutate?.(edges);
  return mergeObservations(
    Object.entries(edges).flatMap(([router, files]) =>
      Object.entries(files).map(([name, json]) => readFrrJson(JSON.stringify(json), `${router}-${name}.json`, router)),
    ),
  );
}

const brief = (a: Analysis) =>
  a.events.map((e) => ({
    kind: e.kind,
    severity: e.severity,
    prefix: e.prefix,
    where: [e.metro, e.leg].filter((x) => x !== undefined).join("/"),
    path: e.observedPath,
  }));

const only = (r: Record<string, ArmReceivedRoute[]>, metro: string, prefix: string, nextHop: string) =>
  r[metro].find((x) => x.prefix === prefix && x.nextHop === nextHop) as ArmReceivedRoute;

describe("route analytics against the lab stack's intent", () => {
  const ams = { a: legOf("amsterdam/a"), b: legOf("amsterdam/b") };

  it("knows the intent: exact paths, legs with their session ends, and the nearest metro", () => {
    expect(intent.prefixes.map((p) => [p.prefix, p.path.join(" "), p.nearest?.metro])).toEqual([
      ["198.51.100.0/24", "64500", "amsterdam"],
      ["203.0.113.0/24", "64500 64501", "amsterdam"],
      ["2001:db8:1000::/48", "64500", "amsterdam"],
    ]);
    expect(ams.a.sp).toEqual({ ipv4: "192.0.2.1", ipv6: "2001:db8:ffff::1" });
  });

  it.each([
    ["Microsoft's receivedRoutes", () => received()],
    ["the Microsoft edges' FRR JSON", () => frr()],
    ["both", () => mergeObservations([received(), frr()])],
  ])("reports nothing when routing is as planned (%s)", (_, obs) => {
    const a = analyze(intent, obs());
    expect(brief(a)).toEqual([]);
    expect(exitCodeOf(a)).toBe(0);
    expect(a.metros.flatMap((m) => m.legs.map((l) => [l.id, l.expected, l.seen]))).toEqual(
      intent.metros.flatMap((m) => m.legs.map((l) => [l.id, 3, 3])),
    );
  });

  type Case = [string, EventKind, () => Observations, ReturnType<typeof brief>];
  const cases: Case[] = [
    [
      "the SP passes on a registered prefix with a foreign origin",
      "origin-hijack",
      () => received((r) => (only(r, "amsterdam", "203.0.113.0/24", ams.a.sp.ipv4).asPath = "64500 64666")),
      [
        {
          kind: "origin-hijack",
          severity: "critical",
          prefix: "203.0.113.0/24",
          where: "amsterdam/a",
          path: "64500 64666",
        },
      ],
    ],
    [
      "a rogue AS announces a registered prefix with its own origin at a Microsoft edge",
      "origin-hijack",
      () =>
        frr((e) => {
          e["msft-london-b"].v4.routes["203.0.113.0/24"].push(
            frrPath("203.0.113.0/24", ROGUE.address, `${ROGUE.asn}`, "external"),
          );
          // Its iBGP copy at another edge is judged where it entered, not again.
          e["msft-amsterdam-a"].v4.routes["203.0.113.0/24"].push(
            frrPath("203.0.113.0/24", "10.80.0.6", `${ROGUE.asn}`, "internal"),
          );
        }),
      [{ kind: "origin-hijack", severity: "critical", prefix: "203.0.113.0/24", where: "london/b", path: "64666" }],
    ],
    [
      "a rogue AS announces a more-specific of a registered prefix",
      "sub-prefix-hijack",
      () =>
        frr((e) => {
          e["msft-amsterdam-a"].v4.routes["198.51.100.0/25"] = [
            frrPath("198.51.100.0/25", ROGUE.address, `${ROGUE.asn}`, "external"),
          ];
        }),
      [
        {
          kind: "sub-prefix-hijack",
          severity: "critical",
          prefix: "198.51.100.0/25",
          where: "amsterdam/a",
          path: "64666",
        },
      ],
    ],
    [
      "Microsoft validates a received route as RPKI Invalid",
      "rpki-invalid",
      () =>
        received(
          (r) =>
            (only(r, "frankfurt", "198.51.100.0/24", legOf("frankfurt/b").sp.ipv4).rpkiValidationState = "Invalid"),
        ),
      [{ kind: "rpki-invalid", severity: "critical", prefix: "198.51.100.0/24", where: "frankfurt/b", path: "64500" }],
    ],
    [
      "Microsoft validates a received route's origin AS as Invalid",
      "rpki-invalid",
      () =>
        received(
          (r) =>
            (only(r, "london", "2001:db8:1000::/48", legOf("london/a").sp.ipv6).originAsValidationState = "Invalid"),
        ),
      [{ kind: "rpki-invalid", severity: "critical", prefix: "2001:db8:1000::/48", where: "london/a", path: "64500" }],
    ],
    [
      "the SP announces a prefix it did not register",
      "unregistered-announcement",
      () => received((r) => r.london.push({ ...r.london[0], prefix: "198.18.0.0/15", asPath: "64500 64502" })),
      [
        {
          kind: "unregistered-announcement",
          severity: "critical",
          prefix: "198.18.0.0/15",
          where: "london/a",
          path: "64500 64502",
        },
      ],
    ],
    [
      "the SP announces a more-specific of its own registered prefix",
      "unregistered-announcement",
      () =>
        frr((e) => {
          e["msft-frankfurt-a"].v4.routes["198.51.100.128/25"] = [
            frrPath("198.51.100.128/25", legOf("frankfurt/a").sp.ipv4, "64500", "external"),
          ];
        }),
      [
        {
          kind: "unregistered-announcement",
          severity: "critical",
          prefix: "198.51.100.128/25",
          where: "frankfurt/a",
          path: "64500",
        },
      ],
    ],
    [
      "a registered prefix is missing on one leg",
      "missing-announcement",
      () =>
        received(
          (r) =>
            (r.frankfurt = r.frankfurt.filter(
              (x) => !(x.prefix === "198.51.100.0/24" && x.nextHop === legOf("frankfurt/a").sp.ipv4),
            )),
        ),
      [
        {
          kind: "missing-announcement",
          severity: "warning",
          prefix: "198.51.100.0/24",
          where: "frankfurt/a",
          path: undefined,
        },
      ],
    ],
    [
      "a registered prefix is missing at a whole metro (FRR: both Microsoft edges' tables lack it)",
      "missing-announcement",
      () =>
        frr((e) => {
          delete e["msft-london-a"].v4.routes["203.0.113.0/24"];
          delete e["msft-london-b"].v4.routes["203.0.113.0/24"];
        }),
      [
        {
          kind: "missing-announcement",
          severity: "critical",
          prefix: "203.0.113.0/24",
          where: "london",
          path: undefined,
        },
      ],
    ],
    [
      "a registered prefix arrives prepended",
      "path-policy-violation",
      () =>
        received((r) => (only(r, "london", "203.0.113.0/24", legOf("london/b").sp.ipv4).asPath = "64500 64501 64501")),
      [
        {
          kind: "path-policy-violation",
          severity: "warning",
          prefix: "203.0.113.0/24",
          where: "london/b",
          path: "64500 64501 64501",
        },
      ],
    ],
    [
      "a registered prefix arrives through a private ASN",
      "path-policy-violation",
      () =>
        received((r) => (only(r, "london", "203.0.113.0/24", legOf("london/b").sp.ipv4).asPath = "64500 65001 64501")),
      [
        {
          kind: "path-policy-violation",
          severity: "warning",
          prefix: "203.0.113.0/24",
          where: "london/b",
          path: "64500 65001 64501",
        },
      ],
    ],
    [
      "a prefix reaches Microsoft only away from the metro nearest its region",
      "non-optimal-entry",
      () => received((r) => (r.amsterdam = r.amsterdam.filter((x) => x.prefix !== "2001:db8:1000::/48"))),
      [
        {
          kind: "missing-announcement",
          severity: "critical",
          prefix: "2001:db8:1000::/48",
          where: "amsterdam",
          path: undefined,
        },
        {
          kind: "non-optimal-entry",
          severity: "warning",
          prefix: "2001:db8:1000::/48",
          where: "amsterdam",
          path: undefined,
        },
      ],
    ],
    [
      "a leg's session is down",
      "session-down",
      () =>
        frr((e) => {
          const s = e["msft-frankfurt-b"].summary;
          s.ipv6Unicast.peers[legOf("frankfurt/b").sp.ipv6] = {
            ...s.ipv6Unicast.peers[legOf("frankfurt/b").sp.ipv6],
            state: "Idle (PfxCt)",
            pfxRcd: 0,
          };
          e["msft-frankfurt-b"].v6.routes = {
            "2001:db8:8075::/48": e["msft-frankfurt-b"].v6.routes["2001:db8:8075::/48"],
          };
        }),
      [
        { kind: "session-down", severity: "critical", prefix: undefined, where: "frankfurt/b", path: undefined },
        {
          kind: "missing-announcement",
          severity: "warning",
          prefix: "2001:db8:1000::/48",
          where: "frankfurt/b",
          path: undefined,
        },
      ],
    ],
    [
      "a leg's session carries one prefix too many",
      "prefix-count-off",
      () => frr((e) => (e["msft-amsterdam-b"].summary.ipv4Unicast.peers[ams.b.sp.ipv4].pfxRcd = 3)),
      [{ kind: "prefix-count-off", severity: "warning", prefix: undefined, where: "amsterdam/b", path: undefined }],
    ],
    [
      "a leg's session carries more than Microsoft's max-prefix",
      "prefix-count-off",
      () => frr((e) => (e["msft-amsterdam-b"].summary.ipv4Unicast.peers[ams.b.sp.ipv4].pfxRcd = 21)),
      [{ kind: "prefix-count-off", severity: "critical", prefix: undefined, where: "amsterdam/b", path: undefined }],
    ],
  ];

  it.each(cases)("%s: %s", (_, kind, obs, expected) => {
    const a = analyze(intent, obs());
    expect(brief(a)).toEqual(expected);
    expect(a.events.map((e) => e.kind)).toContain(kind);
    expect(exitCodeOf(a)).toBe(expected.some((e) => e.severity === "critical") ? 2 : 1);
    for (const e of a.events) {
      expect(e.intent).not.toBe("");
      expect(e.observed).not.toBe("");
    }
  });

  it("reports a session down once per router, however many of its files show it", () => {
    const leg = legOf("london/a");
    const neighbors = { [leg.sp.ipv4]: { remoteAs: 64500, bgpState: "Active" } };
    const obs = mergeObservations([
      frr((e) => (e["msft-london-a"].summary.ipv4Unicast.peers[leg.sp.ipv4].state = "Active")),
      readFrrJson(JSON.stringify(neighbors), "msft-london-a-neighbors.json", "msft-london-a"),
    ]);
    expect(brief(analyze(intent, obs)).filter((e) => e.kind === "session-down")).toEqual([
      { kind: "session-down", severity: "critical", prefix: undefined, where: "london/a", path: undefined },
    ]);
  });

  it("covers every event kind with a triggering case", () => {
    const covered = new Set(cases.map((c) => c[1]));
    expect([...covered].sort()).toEqual(
      [
        "origin-hijack",
        "sub-prefix-hijack",
        "rpki-invalid",
        "unregistered-announcement",
        "missing-announcement",
        "path-policy-violation",
        "non-optimal-entry",
        "session-down",
        "prefix-count-off",
      ].sort(),
    );
  });

  // The clean negatives: each is the nearest thing to an event that must stay silent.
  const negatives: Array<[EventKind, string, () => Observations]> = [
    [
      "origin-hijack",
      "a customer's prefix with its registered origin behind our ASN",
      () => received((r) => (only(r, "amsterdam", "203.0.113.0/24", ams.a.sp.ipv4).asPath = "64500 64501")),
    ],
    [
      "sub-prefix-hijack",
      "a less-specific covering a registered prefix from a third network (not a more-specific)",
      () =>
        frr(
          (e) =>
            (e["msft-amsterdam-a"].v4.routes["198.51.0.0/16"] = [
              frrPath("198.51.0.0/16", ROGUE.address, "64666", "external"),
            ]),
        ),
    ],
    [
      "rpki-invalid",
      "validation states NotFound and Unknown",
      () =>
        received((r) => {
          r.amsterdam[0].rpkiValidationState = "NotFound";
          r.amsterdam[1].originAsValidationState = "Unknown";
        }),
    ],
    [
      "unregistered-announcement",
      "an unregistered prefix from a third network, not from the SP",
      () =>
        frr(
          (e) =>
            (e["msft-london-a"].v4.routes["198.18.0.0/15"] = [
              frrPath("198.18.0.0/15", ROGUE.address, "64666", "external"),
            ]),
        ),
    ],
    [
      "missing-announcement",
      "a metro no source covers (only London's receivedRoutes given)",
      () => {
        const all = receivedRoutesAsPlanned(intent, "london");
        return readReceivedRoutes(JSON.stringify({ value: all }), "london.json", "london");
      },
    ],
    ["path-policy-violation", "a declared longer path is exactly what arrives", () => received()],
    [
      "non-optimal-entry",
      "the nearest metro is not covered by any source (only Frankfurt given)",
      () =>
        readReceivedRoutes(
          JSON.stringify({ value: receivedRoutesAsPlanned(intent, "frankfurt") }),
          "f.json",
          "frankfurt",
        ),
    ],
    [
      "session-down",
      "a session to a neighbor that is no leg of the stack is down",
      () =>
        frr((e) => {
          e["msft-amsterdam-a"].summary.ipv4Unicast.peers[ROGUE.address] = {
            remoteAs: 64666,
            state: "Active",
            pfxRcd: 0,
          };
        }),
    ],
    [
      "prefix-count-off",
      "a session's count is what the plan announces (the service prefix sent back is not counted)",
      () => frr((e) => (e["msft-amsterdam-b"].summary.ipv4Unicast.peers[ams.b.sp.ipv4].pfxSnt = 7)),
    ],
  ];

  it.each(negatives)("stays silent on %s: %s", (_, __, obs) => {
    expect(brief(analyze(intent, obs()))).toEqual([]);
  });
});

describe("AS paths as the sources write them", () => {
  it.each([
    ["64500 64501", [64500, 64501], 64501, false],
    ["", [], undefined, false],
    ["64500 {64501,64502}", [64500], undefined, true],
    ["(65000 65001) 64500", [64500], 64500, false],
    ["  64500   4200000000 ", [64500, 4200000000], 4200000000, false],
  ])("%j", (text, sequence, origin, hasSet) => {
    expect(parseAsPath(text)).toEqual({
      text: text.trim().replace(/\s+/g, " "),
      sequence,
      ...(origin !== undefined ? { origin } : {}),
      hasSet,
    });
  });

  it.each([["64500 AS64501"], ["64500 4294967296"], ["{64501,x}"]])("refuses %j", (text) => {
    expect(parseAsPath(text)).toBeUndefined();
  });
});
