/**
 * `npm run analyze -- --telemetry` as an engineer runs it, against Azure Monitor's metrics batch API
 * on the fake ARM endpoint (HTTPS on 127.0.0.1, a test CA, a static token): the same table, JSON
 * lines, Prometheus text and exit codes as route analytics, with telemetry's events in them, and
 * `--html` writing the page. No test reaches Azure.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { intentOf } from "../../analytics/intent";
import { runAnalyze } from "../../cli/analyze";
import { peeringResourceId } from "../../telemetry/reader";
import { TEST_SUBSCRIPTION } from "../support/armWorld";
import { FAKE_ARM_TOKEN, FakeArm } from "../support/fakeArm";
import { monitorAsPlanned, seriesOf, serveMonitor, type MonitorWorld } from "../support/fakeMonitor";
import { receivedRoutesAsPlanned } from "../support/routeWorld";
import { labFiles, planOf } from "../support/stack";
import { makeTestCa, type TestCa } from "../support/testCa";

const plan = planOf(labFiles());
const NOW = new Date("2026-11-28T12:00:30Z");
const END = Date.parse("2026-11-28T12:00:00Z");
const HOUR = 3_600_000;
const fraB = plan.metros.find((m) => m.id === "frankfurt")!.legs.find((l) => l.name === "b")!;
let ca: TestCa;
let fake: FakeArm;
let world: MonitorWorld;
let dir: string;
let caFile: string;

beforeAll(async () => {
  ca = makeTestCa();
  fake = await FakeArm.start({ ca, world: { subscription: TEST_SUBSCRIPTION, peerAsns: [], resourceGroups: {} } });
  serveMonitor(fake, () => world);
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "pac-analyze-telemetry-"));
  caFile = path.join(dir, "ca.pem");
  fs.writeFileSync(caFile, ca.caPem);
});
afterAll(async () => {
  await fake.close();
  ca.remove();
  fs.rmSync(dir, { recursive: true, force: true });
});
beforeEach(() => {
  world = monitorAsPlanned(plan, { subscription: TEST_SUBSCRIPTION, legRateBps: 4e9, prefixLatencyMs: 6 });
  fake.requests.length = 0;
});

async function analyze(args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runAnalyze(
    [
      "--stack",
      "lab",
      "--telemetry",
      "--subscription",
      TEST_SUBSCRIPTION,
      "--endpoint",
      fake.url,
      "--ca",
      caFile,
      ...args,
    ],
    { PAC_ARM_TOKEN: FAKE_ARM_TOKEN },
    { out: (s) => out.push(s), err: (s) => err.push(s) },
    () => NOW,
  );
  return { code, stdout: out.join("\n"), stderr: err.join("\n") };
}

/** frankfurt/b's IPv4 session down for the last hour. */
function fraBDown(): void {
  const fra = peeringResourceId(TEST_SUBSCRIPTION, plan.sp.resourceGroup, "maps-as64500-frankfurt");
  for (const s of seriesOf(world, fra, "SessionAvailability", { SessionIp: fraB.ipv4.microsoft }))
    s.value = (t) => (t >= END - HOUR ? 0 : 100);
}

it("the healthy lab: clean, exit 0, the window read from Azure Monitor named among the sources", async () => {
  const r = await analyze([]);
  expect(r.code).toBe(0);
  expect(r.stdout).toMatch(/^Result: clean$/m);
  expect(r.stdout).toContain("Azure Monitor (2026-11-27T12:00:00.000Z to 2026-11-28T12:00:00.000Z)");
  expect(r.stderr).toMatch(/Reading Azure Monitor at https:\/\/127\.0\.0\.1:\d+ \(api-version 2024-02-01\)/);
  expect(fake.requestsTo(/metrics:getBatch$/)).toHaveLength(2);
});

it("a session down at the window's end: critical, exit 2, in the table, the JSON lines, Prometheus and the page", async () => {
  fraBDown();
  const prom = path.join(dir, "analytics.prom");
  const html = path.join(dir, "report.html");
  const table = await analyze(["--prom", prom, "--html", html]);
  expect(table.code).toBe(2);
  expect(table.stdout).toMatch(/^Metro frankfurt: 1 critical, 0 warnings$/m);
  expect(table.stdout).toMatch(
    /\[critical\]\s+session availability low ipv4 session at frankfurt\/b \(neighbor 192\.0\.2\.6\)/,
  );
  expect(table.stdout).toContain("source: azure-monitor");
  expect(fs.readFileSync(prom, "utf8")).toMatch(
    /^pac_route_events\{stack="lab",metro="frankfurt",leg="b",kind="availability-low",severity="critical"\} 1$/m,
  );
  const page = fs.readFileSync(html, "utf8");
  expect(page).toContain('<tr class="event" data-kind="availability-low" data-severity="critical">');
  expect(page).toContain("made 2026-11-28T12:00:30.000Z");

  const json = await analyze(["--json"]);
  const lines = json.stdout.split("\n").map((l) => JSON.parse(l) as Record<string, unknown>);
  expect(lines.filter((l) => l.type === "event")).toEqual([
    expect.objectContaining({
      kind: "availability-low",
      severity: "critical",
      metro: "frankfurt",
      leg: "b",
      source: "azure-monitor",
    }),
  ]);
  expect(lines.at(-1)).toEqual(expect.objectContaining({ type: "summary", critical: 1, exitCode: 2 }));
});

it("thresholds from the command line: an hour down yesterday is a warning at 99.9%, clean at --availability-target 95", async () => {
  const fra = peeringResourceId(TEST_SUBSCRIPTION, plan.sp.resourceGroup, "maps-as64500-frankfurt");
  for (const s of seriesOf(world, fra, "SessionAvailability", { SessionIp: fraB.ipv4.microsoft }))
    s.value = (t) => (t >= END - 13 * HOUR && t < END - 12 * HOUR ? 0 : 100);
  const strict = await analyze([]);
  expect(strict.code).toBe(1);
  expect(strict.stdout).toMatch(/\[warning\]\s+session availability low ipv4 session at frankfurt\/b/);
  const lenient = await analyze(["--availability-target", "95", "--since", "48h"]);
  expect(lenient.code).toBe(0);
  expect(lenient.stdout).toContain("Azure Monitor (2026-11-26T12:00:00.000Z to 2026-11-28T12:00:00.000Z)");
});

it("with route analytics' files: both sources' events in one report, and the page says where each prefix was seen", async () => {
  fraBDown();
  const intent = intentOf(plan);
  const args: string[] = [];
  for (const m of intent.metros) {
    const file = path.join(dir, `${m.id}.json`);
    const routes = receivedRoutesAsPlanned(intent, m.id).filter(
      (x) => !(m.id === "london" && x.prefix === "203.0.113.0/24"),
    );
    fs.writeFileSync(file, JSON.stringify({ value: routes }));
    args.push("--received-routes", `${m.id}=${file}`);
  }
  const html = path.join(dir, "both.html");
  const r = await analyze([...args, "--html", html]);
  expect(r.code).toBe(2);
  expect(r.stdout).toMatch(/missing announcement 203\.0\.113\.0\/24 at london/);
  expect(r.stdout).toMatch(/session availability low ipv4 session at frankfurt\/b/);
  expect(fs.readFileSync(html, "utf8")).toMatch(
    /<tr class="prefix" data-prefix="203\.0\.113\.0\/24"><td>203\.0\.113\.0\/24<\/td><td>AS64501<\/td><td>frankfurt<\/td><td>amsterdam, frankfurt<\/td>/,
  );
});

it.each([
  [["--since", "5m"], /--since 5m is not a window from 1h to 30d/],
  [["--availability-target", "101"], /--availability-target 101 is not a number from 0 to 100/],
  [["--metrics-endpoint", "http://127.0.0.1:1"], /--metrics-endpoint http:\/\/127\.0\.0\.1:1 is not HTTPS/],
])("a bad argument %j exits 64 with the fix", async (args, message) => {
  const r = await analyze(args);
  expect(r.code).toBe(64);
  expect(r.stderr).toMatch(message);
  expect(fake.requestsTo(/metrics/)).toHaveLength(0);
});

it("Azure Monitor refusing the token exits 69 and says how to sign in", async () => {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runAnalyze(
    [
      "--stack",
      "lab",
      "--telemetry",
      "--subscription",
      TEST_SUBSCRIPTION,
      "--endpoint",
      fake.url,
      "--ca",
      caFile,
      "--max-retries",
      "0",
    ],
    { PAC_ARM_TOKEN: "expired" },
    { out: (s) => out.push(s), err: (s) => err.push(s) },
    () => NOW,
  );
  expect(code).toBe(69);
  expect(err.join("\n")).toMatch(/analyze: Azure refused the request \(401.*Fix: sign in again/);
});
