/**
 * The page (`--html`): self-contained and escaped (pure checks), and loaded in real headless
 * Chromium (Debian's `chromium`, installed by .ci/install-daemons) with the lab stack's telemetry
 * from the fake Azure Monitor world and two incidents: the DOM Chromium parsed holds every event,
 * every metro and leg, every registered prefix and the charts, and its screenshot is not blank.
 * Chromium runs in a network namespace of its own (`unshare -n`: loopback only, and down), so
 * whatever it would reach for, nothing leaves the machine.
 *
 * `UPDATE_SCREENSHOT=1` copies the screenshot to docs/telemetry-page.png (the README shows it).
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { PNG } from "pngjs";
import { analyzeTelemetry } from "../../telemetry/analyze";
import { windowOf } from "../../telemetry/model";
import { renderPage, type PageInput } from "../../telemetry/page";
import { peeringResourceId, telemetryRequestOf } from "../../telemetry/reader";
import { TEST_SUBSCRIPTION } from "../support/armWorld";
import { runCommand } from "../support/command";
import { monitorAsPlanned, seriesOf, telemetryOf } from "../support/fakeMonitor";
import { labFiles, planOf } from "../support/stack";

const plan = planOf(labFiles());
const END = Date.parse("2026-11-28T12:00:00Z");
const HOUR = 3_600_000;

/** The lab over a day: frankfurt/b's IPv4 session down for the last hour, one prefix slow. */
function labInput(): PageInput {
  const world = monitorAsPlanned(plan, { subscription: TEST_SUBSCRIPTION, legRateBps: 4e9, prefixLatencyMs: 6 });
  const fra = peeringResourceId(TEST_SUBSCRIPTION, plan.sp.resourceGroup, "maps-as64500-frankfurt");
  const fraB = plan.metros.find((m) => m.id === "frankfurt")!.legs.find((l) => l.name === "b")!;
  for (const s of seriesOf(world, fra, "SessionAvailability", { SessionIp: fraB.ipv4.microsoft }))
    s.value = (t) => (t >= END - HOUR ? 0 : 100);
  for (const s of seriesOf(world, fra, "RegisteredPrefixLatency", { RegisteredPrefixName: "203-0-113-0-24-as64501" }))
    s.value = (t) => 24 + 6 * Math.sin(t / (3 * HOUR));
  const request = telemetryRequestOf(plan, TEST_SUBSCRIPTION, windowOf(new Date(END), 24 * HOUR));
  const snapshot = telemetryOf(world, request);
  const analysis = analyzeTelemetry(plan, snapshot);
  return { plan, events: analysis.events, generatedAt: "2026-11-28T12:00:05Z", telemetry: { snapshot, analysis } };
}

describe("the page, as text", () => {
  const html = renderPage(labInput());

  it("is self-contained: no script, no external asset", () => {
    expect(html).not.toMatch(/<script|<link|<img|<iframe|@import|url\(/i);
    expect(html).not.toMatch(/(src|href)=/i);
    expect(html).toMatch(/^<!DOCTYPE html>/);
  });

  it("escapes what comes from outside: an event's text never becomes markup", () => {
    const input = labInput();
    const page = renderPage({
      ...input,
      events: [{ ...input.events[0], observed: `<script>alert("x")</script> & 'more'` }],
    });
    expect(page).not.toContain("<script>");
    expect(page).toContain("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;more&#39;");
  });

  it("without events or telemetry it says so", () => {
    const page = renderPage({ plan, events: [], generatedAt: "2026-11-28T12:00:05Z" });
    expect(page).toContain("No events: observed matches the intent.");
    expect(page).toContain("No telemetry in this report");
    expect(page).toContain('<span class="badge clean">clean</span>');
  });
});

describe("the page in headless Chromium", () => {
  let dir: string;
  let dom: string;
  let png: PNG;
  const input = labInput();

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "pac-page-"));
    const file = path.join(dir, "report.html");
    fs.writeFileSync(file, renderPage(input));
    const chromium = (extra: string[]) =>
      runCommand(
        "unshare",
        [
          "-n",
          "chromium",
          "--headless",
          "--no-sandbox",
          "--disable-gpu",
          "--no-first-run",
          "--disable-background-networking",
          "--disable-component-update",
          "--disable-sync",
          "--disable-default-apps",
          "--hide-scrollbars",
          `--user-data-dir=${path.join(dir, "profile")}`,
          "--window-size=1500,2000",
          ...extra,
          `file://${file}`,
        ],
        120_000,
      );
    const dumped = await chromium(["--dump-dom"]);
    if (dumped.code !== 0)
      throw new Error(`chromium --dump-dom failed (${dumped.code}): ${dumped.stderr.slice(-2000)}`);
    dom = dumped.stdout;
    const shot = path.join(dir, "page.png");
    const taken = await chromium([`--screenshot=${shot}`]);
    if (taken.code !== 0 || !fs.existsSync(shot))
      throw new Error(`chromium --screenshot failed (${taken.code}): ${taken.stderr.slice(-2000)}`);
    png = PNG.sync.read(fs.readFileSync(shot));
    if (process.env.UPDATE_SCREENSHOT === "1")
      fs.copyFileSync(shot, path.join(__dirname, "../../docs/telemetry-page.png"));
  }, 240_000);

  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("the DOM holds every event, critical first at its leg", () => {
    expect(input.events.map((e) => [e.kind, e.severity, e.metro, e.leg ?? e.prefix])).toEqual([
      ["availability-low", "critical", "frankfurt", "b"],
      ["latency-high", "warning", "frankfurt", "203.0.113.0/24"],
    ]);
    const rows = [...dom.matchAll(/<tr class="event" data-kind="([^"]+)" data-severity="([^"]+)">/g)].map((m) => [
      m[1],
      m[2],
    ]);
    expect(rows).toEqual([
      ["availability-low", "critical"],
      ["latency-high", "warning"],
    ]);
    expect(dom).toContain('id="summary" data-critical="1" data-warning="1"');
    // Chromium serialises text with &, < and > escaped, quotes as they are.
    const asText = (t: string) => t.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
    for (const e of input.events) expect(dom).toContain(`<td>${asText(e.observed)}</td><td>${asText(e.intent)}</td>`);
  });

  it("the DOM holds every metro and leg, every registered prefix, and the charts with their lines", () => {
    expect([...dom.matchAll(/data-metro="([^"]+)"/g)].map((m) => m[1])).toEqual(["amsterdam", "frankfurt", "london"]);
    expect([...dom.matchAll(/<tr class="leg" data-leg="([^"]+)"/g)].map((m) => m[1])).toEqual([
      "amsterdam/a",
      "amsterdam/b",
      "frankfurt/a",
      "frankfurt/b",
      "london/a",
      "london/b",
    ]);
    expect([...dom.matchAll(/<tr class="prefix" data-prefix="([^"]+)"/g)].map((m) => m[1])).toEqual([
      "198.51.100.0/24",
      "203.0.113.0/24",
      "2001:db8:1000::/48",
    ]);
    expect(dom).toMatch(/<figure id="chart-latency" data-lines="3">/);
    expect(dom).toMatch(/<figure id="chart-availability" data-lines="12">/);
    expect((dom.match(/<polyline /g) ?? []).length).toBe(3 + 3 + 12);
  });

  it("the screenshot is not blank: much of it is drawn, in many colours, the critical badge's red among them", () => {
    expect(png.width).toBe(1500);
    let drawn = 0;
    let red = 0;
    const colours = new Set<number>();
    for (let i = 0; i < png.data.length; i += 4) {
      const [r, g, b] = [png.data[i], png.data[i + 1], png.data[i + 2]];
      if (r < 240 || g < 240 || b < 240) drawn++;
      if (r === 0xc6 && g === 0x28 && b === 0x28) red++;
      colours.add((r << 16) | (g << 8) | b);
    }
    const pixels = png.width * png.height;
    expect(drawn / pixels).toBeGreaterThan(0.03);
    expect(colours.size).toBeGreaterThan(50);
    expect(red).toBeGreaterThan(100);
  });
});
