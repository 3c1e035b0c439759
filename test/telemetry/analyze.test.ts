/**
 * The telemetry analysis, pure: the lab's healthy telemetry reports nothing; each event has a
 * triggering case and a clean one just inside its threshold. Snapshots come from the fake Azure
 * Monitor world without HTTP (test/telemetry/reader.test.ts holds the reader to the same).
 */
import { analyzeTelemetry, DEFAULT_THRESHOLDS } from "../../telemetry/analyze";
import { windowOf } from "../../telemetry/model";
import { peeringResourceId, telemetryRequestOf } from "../../telemetry/reader";
import { TEST_SUBSCRIPTION } from "../support/armWorld";
import { monitorAsPlanned, seriesOf, telemetryOf, type MonitorWorld } from "../support/fakeMonitor";
import { labFiles, planOf } from "../support/stack";

const plan = planOf(labFiles());
const END = Date.parse("2026-11-28T12:00:00Z");
const request = telemetryRequestOf(plan, TEST_SUBSCRIPTION, windowOf(new Date(END), 24 * 3_600_000));
const peering = (metro: string) => peeringResourceId(TEST_SUBSCRIPTION, plan.sp.resourceGroup, `maps-as64500-${metro}`);
const leg = (id: string) => plan.metros.flatMap((m) => m.legs).find((l) => l.id === id)!;
const HOUR = 3_600_000;

let world: MonitorWorld;
beforeEach(() => {
  world = monitorAsPlanned(plan, { subscription: TEST_SUBSCRIPTION, legRateBps: 4e9, prefixLatencyMs: 6 });
});

const analysis = () => analyzeTelemetry(plan, telemetryOf(world, request));
const events = () => analysis().events;
const set = (metro: string, metric: string, match: Record<string, string>, value: (t: number) => number) => {
  for (const s of seriesOf(world, peering(metro), metric, match)) s.value = value;
};
const fraB4 = { SessionIp: leg("frankfurt/b").ipv4.microsoft };

describe("the lab, healthy", () => {
  it("reports nothing, and every leg carries its share", () => {
    const a = analysis();
    expect(a.events).toEqual([]);
    expect(a.legs).toHaveLength(6);
    for (const l of a.legs) {
      expect(l.share).toBeCloseTo(0.5, 5);
      expect(l.availability).toEqual({ ipv4: 100, ipv6: 100 });
    }
    expect(a.prefixes.map((p) => [p.prefix, p.nearestMetro, p.estimateMs?.toFixed(1)])).toEqual([
      ["198.51.100.0/24", "amsterdam", "1.7"],
      ["203.0.113.0/24", "amsterdam", "1.7"],
      ["2001:db8:1000::/48", "amsterdam", "1.7"],
    ]);
  });
});

describe("availability-low", () => {
  it("a session down for six hours in the middle of the window: a warning naming the leg, the session and the dip", () => {
    set("frankfurt", "SessionAvailability", fraB4, (t) => (t >= END - 12 * HOUR && t < END - 6 * HOUR ? 0 : 100));
    expect(events()).toEqual([
      {
        kind: "availability-low",
        severity: "warning",
        metro: "frankfurt",
        leg: "b",
        afi: "ipv4",
        peer: "192.0.2.6",
        source: "azure-monitor",
        observed:
          "the IPv4 session of frankfurt/b (192.0.2.6) was up 75% of the last 24 h, lowest 0% at 2026-11-28T00:00:00.000Z",
        intent: `every session of frankfurt/b (${leg("frankfurt/b").source.file}:${leg("frankfurt/b").source.line}) stays up at least 99.9% of the time`,
      },
    ]);
  });

  it("a session down at the window's end is critical", () => {
    set("frankfurt", "SessionAvailability", fraB4, (t) => (t >= END - HOUR ? 0 : 100));
    const [e] = events();
    expect(e.severity).toBe("critical");
    expect(e.observed).toMatch(/down at 2026-11-28T11:55:00.000Z, the window's end$/);
  });

  it("down for the last ten minutes is critical although the day's average is above the target", () => {
    set("frankfurt", "SessionAvailability", fraB4, (t) => (t >= END - 10 * 60_000 ? 0 : 100));
    expect(events().map((e) => [e.kind, e.severity])).toEqual([["availability-low", "critical"]]);
  });

  it("clean: one five-minute dip to 80% keeps the day above 99.9%", () => {
    set("frankfurt", "SessionAvailability", fraB4, (t) => (t === END - 6 * HOUR ? 80 : 100));
    expect(events()).toEqual([]);
  });
});

describe("flapping", () => {
  it("a flap every hour: 24 in the window", () => {
    set("london", "FlapCounts", { SessionIp: leg("london/a").ipv6.microsoft }, (t) => (t % HOUR === 0 ? 1 : 0));
    expect(events().map((e) => [e.kind, e.metro, e.leg, e.afi, e.observed])).toEqual([
      [
        "flapping",
        "london",
        "a",
        "ipv6",
        `the IPv6 session of london/a (${leg("london/a").ipv6.microsoft}) flapped 24 times in the last 24 h`,
      ],
    ]);
  });

  it(`clean: ${DEFAULT_THRESHOLDS.maxFlaps} flaps, the threshold`, () => {
    set("london", "FlapCounts", { SessionIp: leg("london/a").ipv6.microsoft }, (t) => (t % (8 * HOUR) === 0 ? 1 : 0));
    expect(events()).toEqual([]);
  });
});

describe("packet-drops", () => {
  it("a leg dropping half a percent of what it carries", () => {
    // 4 Gbit/s in and 1.6 out on average: 28 Mbit/s of drops is 0.5%.
    set("amsterdam", "PacketDropRate", { SessionIp: leg("amsterdam/a").ipv4.microsoft }, () => 14e6);
    const [e, ...rest] = events();
    expect(rest).toEqual([]);
    expect([e.kind, e.severity, e.metro, e.leg]).toEqual(["packet-drops", "warning", "amsterdam", "a"]);
    expect(e.observed).toBe(
      "amsterdam/a dropped 28 Mbit/s on average over the last 24 h, 0.5% of the 5.6 Gbit/s it carried",
    );
  });

  it("clean: drops of 0.05%, under the 0.1% threshold", () => {
    set("amsterdam", "PacketDropRate", { SessionIp: leg("amsterdam/a").ipv4.microsoft }, () => 1.4e6);
    expect(events()).toEqual([]);
  });
});

describe("latency-high", () => {
  const name = { RegisteredPrefixName: "203-0-113-0-24-as64501" };
  it("a registered prefix measured at 30 ms where the nearest edge is 1.7 ms away", () => {
    set("frankfurt", "RegisteredPrefixLatency", name, () => 30);
    const [e, ...rest] = events();
    expect(rest).toEqual([]);
    expect([e.kind, e.prefix, e.metro]).toEqual(["latency-high", "203.0.113.0/24", "frankfurt"]);
    expect(e.observed).toBe(
      "203.0.113.0/24's median latency was 30.0 ms over the last 24 h (measured on frankfurt's peering)",
    );
    expect(e.intent).toMatch(
      /^at most 16\.7 ms: the 1\.7 ms round trip at fibre speed from region europe-west to its nearest edge, amsterdam, plus the 15 ms margin \(stacks\/lab\/sp\.yaml:\d+\)/,
    );
  });

  it("clean: 16 ms, within the margin; and the margin is configurable", () => {
    set("frankfurt", "RegisteredPrefixLatency", name, () => 16);
    expect(events()).toEqual([]);
    const tight = analyzeTelemetry(plan, telemetryOf(world, request), { ...DEFAULT_THRESHOLDS, latencyMarginMs: 5 });
    expect(tight.events.map((e) => e.kind)).toEqual(["latency-high"]);
  });
});

describe("leg-overloaded", () => {
  it("one leg carrying nearly all of its metro (the other at 0.3 Gbit/s): the other may be broken", () => {
    set("london", "IngressTrafficRate", { SessionIp: leg("london/b").ipv4.microsoft }, () => 0.2e9);
    set("london", "IngressTrafficRate", { SessionIp: leg("london/b").ipv6.microsoft }, () => 0.1e9);
    set("london", "EgressTrafficRate", { SessionIp: leg("london/b").ipv4.microsoft }, () => 0);
    set("london", "EgressTrafficRate", { SessionIp: leg("london/b").ipv6.microsoft }, () => 0);
    const [e, ...rest] = events();
    expect(rest).toEqual([]);
    expect([e.kind, e.metro, e.leg]).toEqual(["leg-overloaded", "london", "a"]);
    expect(e.observed).toMatch(
      /^london\/a carried 9\d\.\d% of london's 6\.\d Gbit\/s over the last 24 h; its share is 50%$/,
    );
  });

  it("clean: 60/40 is within one and a half times the share", () => {
    for (const afi of ["ipv4", "ipv6"] as const)
      for (const metric of ["IngressTrafficRate", "EgressTrafficRate"])
        for (const s of seriesOf(world, peering("london"), metric, { SessionIp: leg("london/b")[afi].microsoft })) {
          const before = s.value;
          s.value = (t) => (before(t) ?? 0) * (2 / 3);
        }
    expect(events()).toEqual([]);
  });

  it("clean: a metro carrying almost nothing is not judged", () => {
    for (const metric of ["IngressTrafficRate", "EgressTrafficRate"]) {
      set("london", metric, { SessionIp: leg("london/a").ipv4.microsoft }, () => 1e5);
      for (const l of ["london/a", "london/b"])
        for (const afi of ["ipv4", "ipv6"] as const)
          if (!(l === "london/a" && afi === "ipv4"))
            set("london", metric, { SessionIp: leg(l)[afi].microsoft }, () => 0);
    }
    expect(events()).toEqual([]);
  });
});

it("a session address no leg has is ignored, not reported", () => {
  world[peering("amsterdam")].metrics.SessionAvailability.push({
    dims: { ConnectionId: "x", SessionIp: "198.18.0.1" },
    value: () => 0,
  });
  expect(events()).toEqual([]);
});
