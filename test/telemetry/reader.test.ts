/**
 * The real `@azure/monitor-query-metrics` client against Azure Monitor's metrics batch API served by
 * the fake ARM endpoint (HTTPS on 127.0.0.1, a CA made for this run, a static token): every metric
 * of every lab peering by session, traffic classes summed, the hourly prefix latency, the
 * metric names recognised although Azure localizes them, and the failures an engineer meets.
 */
import { AzureReadError, staticTokenCredential } from "../../azure/client";
import { SESSION_METRICS, windowOf, type TelemetrySnapshot } from "../../telemetry/model";
import { METRICS_API_VERSION, readTelemetry, telemetryRequestOf, type TelemetryTarget } from "../../telemetry/reader";
import { TEST_SUBSCRIPTION } from "../support/armWorld";
import { FAKE_ARM_TOKEN, FAULTS, FakeArm } from "../support/fakeArm";
import { monitorAsPlanned, serveMonitor, telemetryOf, type MonitorWorld } from "../support/fakeMonitor";
import { labFiles, planOf } from "../support/stack";
import { makeTestCa, type TestCa } from "../support/testCa";

const plan = planOf(labFiles());
const END = new Date("2026-11-28T12:00:00Z");
const window = windowOf(END, 24 * 3_600_000);
const request = telemetryRequestOf(plan, TEST_SUBSCRIPTION, window);
let ca: TestCa;
let fake: FakeArm;
let world: MonitorWorld;
let progress: string[];

const target = (overrides: Partial<TelemetryTarget> = {}): TelemetryTarget => ({
  endpoint: fake.url,
  credential: staticTokenCredential(FAKE_ARM_TOKEN),
  ca: ca.caPem,
  maxRetries: 1,
  progress: (l) => progress.push(l),
  ...overrides,
});

async function failure(t: TelemetryTarget = target()): Promise<AzureReadError> {
  try {
    await readTelemetry(t, request);
  } catch (e) {
    if (e instanceof AzureReadError) return e;
    throw e;
  }
  throw new Error("expected readTelemetry to fail");
}

beforeAll(async () => {
  ca = makeTestCa();
  fake = await FakeArm.start({ ca, world: { subscription: TEST_SUBSCRIPTION, peerAsns: [], resourceGroups: {} } });
  serveMonitor(fake, () => world);
});
afterAll(async () => {
  await fake.close();
  ca.remove();
});
beforeEach(() => {
  world = monitorAsPlanned(plan, { subscription: TEST_SUBSCRIPTION, legRateBps: 4e9, prefixLatencyMs: 6 });
  fake.requests.length = 0;
  progress = [];
});

describe("reading the lab's peerings from Azure Monitor", () => {
  let snapshot: TelemetrySnapshot;
  beforeEach(async () => {
    snapshot = await readTelemetry(target(), request);
  });

  it("reads every metric of every session of every declared metro, a point every 5 minutes for 24 hours", () => {
    expect(snapshot.peerings.map((p) => p.metro)).toEqual(["amsterdam", "frankfurt", "london"]);
    // 3 metros x 2 legs x 2 families, each with the five session metrics.
    expect(snapshot.sessions).toHaveLength(3 * 2 * 2 * SESSION_METRICS.length);
    expect(new Set(snapshot.sessions.map((s) => s.metric))).toEqual(new Set(SESSION_METRICS));
    for (const s of snapshot.sessions) expect(s.samples).toHaveLength(288);
    expect(snapshot.window).toEqual({
      start: "2026-11-27T12:00:00.000Z",
      end: "2026-11-28T12:00:00.000Z",
      interval: "PT5M",
    });
    const fraB = snapshot.sessions.filter((s) => s.metro === "frankfurt" && s.sessionIp === "192.0.2.6");
    expect(fraB.map((s) => [s.metric, s.connectionId])).toEqual([
      ["EgressTrafficRate", "frankfurt-b-0000-0000-000000000000"],
      ["FlapCounts", "frankfurt-b-0000-0000-000000000000"],
      ["IngressTrafficRate", "frankfurt-b-0000-0000-000000000000"],
      ["PacketDropRate", "frankfurt-b-0000-0000-000000000000"],
      ["SessionAvailability", "frankfurt-b-0000-0000-000000000000"],
    ]);
    expect(snapshot.unavailable).toEqual([]);
  });

  it("reads exactly what the world holds (the snapshot the pure tests build without HTTP)", () => {
    expect(snapshot).toEqual(telemetryOf(world, request));
  });

  it("takes availability as averaged, flaps as totalled, and the two traffic classes summed by Azure", () => {
    const one = (metric: string) =>
      snapshot.sessions.find((s) => s.metro === "amsterdam" && s.sessionIp === "192.0.2.0" && s.metric === metric)!;
    expect(one("SessionAvailability").samples.every((s) => s.value === 100)).toBe(true);
    expect(one("FlapCounts").samples.every((s) => s.value === 0)).toBe(true);
    // IPv4 carries 3 Gbps of the leg's 4 on average (1.5 per class); 14:00 UTC is the day's mean.
    const at14 = one("IngressTrafficRate").samples.find((s) => s.at === "2026-11-27T14:00:00.000Z")!;
    expect(at14.value).toBeCloseTo(3e9, -3);
  });

  it("reads each registered prefix's median latency hourly, by its RegisteredPrefix name, on its home peering", () => {
    expect(snapshot.prefixLatency.map((p) => [p.metro, p.registeredPrefixName, p.samples.length])).toEqual([
      ["amsterdam", "198-51-100-0-24-as64500", 24],
      ["amsterdam", "2001-db8-1000-48-as64500", 24],
      ["frankfurt", "203-0-113-0-24-as64501", 24],
    ]);
  });

  it("asks Azure Monitor's batch API (2024-02-01) for the lab's three peerings in one call per query", () => {
    const calls = fake.requestsTo(/metrics:getBatch$/);
    expect(calls).toHaveLength(2);
    for (const c of calls) {
      expect(c.method).toBe("POST");
      expect(c.path).toBe(`/subscriptions/${TEST_SUBSCRIPTION}/metrics:getBatch`);
      expect(c.query.get("api-version")).toBe(METRICS_API_VERSION);
      expect(c.query.get("metricnamespace")).toBe("Microsoft.Peering/peerings");
      expect((JSON.parse(c.body) as { resourceids: string[] }).resourceids).toEqual(
        request.peerings.map((p) => p.resourceId),
      );
    }
    expect(calls[0].query.get("filter")).toBe("ConnectionId eq '*' and SessionIp eq '*'");
    expect(calls[1].query.get("interval")).toBe("PT1H");
  });
});

describe("customer Peering Services", () => {
  it("reads RoundTripTime per connection monitor test", async () => {
    const id = `/subscriptions/${TEST_SUBSCRIPTION}/resourceGroups/rg-customers/providers/Microsoft.Peering/peeringServices/contoso`;
    world[id] = {
      region: "westeurope",
      namespace: "Microsoft.Peering/peeringServices",
      metrics: {
        RoundTripTime: [
          { dims: { ConnectionMonitorTestName: "contoso-ams-office" }, value: () => 9 },
          { dims: { ConnectionMonitorTestName: "contoso-fra-dc" }, value: () => 4 },
        ],
      },
    };
    const snapshot = await readTelemetry(
      target(),
      telemetryRequestOf(plan, TEST_SUBSCRIPTION, window, [{ name: "contoso", resourceId: id }]),
    );
    expect(snapshot.roundTrip.map((r) => [r.peeringService, r.test, r.samples.length, r.samples[0].value])).toEqual([
      ["contoso", "contoso-ams-office", 288, 9],
      ["contoso", "contoso-fra-dc", 288, 4],
    ]);
  });
});

describe("failures", () => {
  it("retries a throttled call and says so", async () => {
    fake.inject(FAULTS.throttled(0), { path: /metrics:getBatch/ });
    const snapshot = await readTelemetry(target(), request);
    expect(snapshot.sessions.length).toBeGreaterThan(0);
    expect(fake.requestsTo(/metrics:getBatch/)).toHaveLength(3);
  });

  it("a refused token is an authentication error with the fix", async () => {
    const e = await failure(target({ credential: staticTokenCredential("wrong") }));
    expect(e.kind).toBe("auth");
    expect(e.fix).toMatch(/az login/);
  });

  it("an HTML page instead of JSON stops the run", async () => {
    fake.inject({ kind: "html" }, { path: /metrics:getBatch/ });
    const e = await failure();
    expect(e.kind).toBe("malformed");
    expect(e.message).toMatch(
      /^Azure Monitor's answer is not the metrics batch API's \(2024-02-01\): .*metrics:getBatch: expected JSON, got text\/html/,
    );
  });

  it("a peering Azure Monitor does not know is named", async () => {
    delete world[request.peerings[1].resourceId];
    const e = await failure();
    expect(e.kind).toBe("not-found");
    expect(e.message).toContain("maps-as64500-frankfurt");
  });
});
