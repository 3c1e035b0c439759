/**
 * `npm run analyze` as an engineer runs it: files of Microsoft's receivedRoutes and of FRR's JSON,
 * and `--azure` against the fake ARM endpoint serving receivedRoutes in pages (nextLink followed).
 * The table grouped by metro, `--json` lines, `--prom` in Prometheus' text format, the exit codes
 * (0 clean, 1 warnings, 2 critical, 64 bad input naming the file), progress on stderr. No test
 * reaches Azure.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { intentOf } from "../../analytics/intent";
import { runAnalyze } from "../../cli/analyze";
import { REPO_ROOT } from "../../load/files";
import type { Plan } from "../../plan/model";
import type { ArmReceivedRoute } from "../support/armResources";
import { azureAsPlanned, connectionOf, peeringOf, TEST_SUBSCRIPTION } from "../support/armWorld";
import { runCommand } from "../support/command";
import { FAKE_ARM_TOKEN, FakeArm } from "../support/fakeArm";
import { guardedNodeArgs } from "../support/netGuard";
import { msftEdgeSummary, msftEdgeTable, receivedRoutesAsPlanned, ROGUE, frrPath } from "../support/routeWorld";
import { labFiles, planOf } from "../support/stack";
import { makeTestCa, type TestCa } from "../support/testCa";

const plan: Plan = planOf(labFiles());
const intent = intentOf(plan);
const METROS = intent.metros.map((m) => m.id);
let dir: string;

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "pac-analyze-"));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function write(name: string, content: unknown): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, typeof content === "string" ? content : JSON.stringify(content));
  return file;
}

/** `--received-routes` for every metro, as planned unless `change` says otherwise. */
function receivedArgs(change?: (metro: string, routes: ArmReceivedRoute[]) => ArmReceivedRoute[]): string[] {
  return METROS.flatMap((m) => {
    const routes = receivedRoutesAsPlanned(intent, m);
    return ["--received-routes", `${m}=${write(`${m}.json`, { value: change ? change(m, routes) : routes })}`];
  });
}

async function inProcess(args: string[], env: NodeJS.ProcessEnv = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runAnalyze(["--stack", "lab", ...args], env, {
    out: (s) => out.push(s),
    err: (s) => err.push(s),
  });
  return { code, stdout: out.join("\n"), stderr: err.join("\n") };
}

describe("npm run analyze with files", () => {
  it("reports a clean stack with exit 0: every metro and leg, expected and seen", async () => {
    const r = await inProcess(receivedArgs());
    expect(r.stderr).toMatch(/amsterdam\.json: 6 routes Microsoft received at amsterdam/);
    expect(r.stdout).toMatch(/^Result: clean$/m);
    for (const m of METROS) expect(r.stdout).toMatch(new RegExp(`^Metro ${m}: clean$`, "m"));
    expect(r.stdout).toMatch(/^ {2}a\s+3\s+3\s+-\s+-\s+-$/m);
    expect(r.code).toBe(0);
  });

  it("exits 1 on warnings only (a prepended path) and 2 on a critical event (an origin hijack)", async () => {
    const prepend = await inProcess(
      receivedArgs((m, routes) =>
        routes.map((x) =>
          m === "london" && x.prefix === "203.0.113.0/24" ? { ...x, asPath: "64500 64501 64501" } : x,
        ),
      ),
    );
    expect(prepend.code).toBe(1);
    expect(prepend.stdout).toMatch(
      /\[warning\]\s+path policy violation 203\.0\.113\.0\/24 at london\/a .*path 64500 64501 64501/,
    );
    expect(prepend.stdout).toMatch(/intent: exactly 64500 64501 \(stacks\/lab\/sp\.yaml/);
    const hijack = await inProcess(
      receivedArgs((m, routes) =>
        routes.map((x) => (m === "frankfurt" && x.prefix === "198.51.100.0/24" ? { ...x, asPath: "64500 64666" } : x)),
      ),
    );
    expect(hijack.code).toBe(2);
    expect(hijack.stdout).toMatch(/^Result: 2 critical, 0 warnings$/m);
    expect(hijack.stdout).toMatch(/\[critical\] origin hijack 198\.51\.100\.0\/24 at frankfurt\/a/);
  });

  it("reads FRR JSON of the Microsoft edges: --json lines and --prom for a sub-prefix hijack", async () => {
    const args: string[] = [];
    for (const leg of intent.metros.flatMap((m) => m.legs)) {
      const router = `msft-${leg.metro}-${leg.name}`;
      const v4 = msftEdgeTable(intent, leg, "ipv4");
      if (leg.id === "amsterdam/a")
        v4.routes["198.51.100.0/25"] = [frrPath("198.51.100.0/25", ROGUE.address, `${ROGUE.asn}`, "external")];
      args.push("--frr", `${router}=${write(`${router}-v4.json`, v4)}`);
      args.push("--frr", `${router}=${write(`${router}-v6.json`, msftEdgeTable(intent, leg, "ipv6"))}`);
      args.push("--frr", `${router}=${write(`${router}-summary.json`, msftEdgeSummary(intent, leg))}`);
    }
    const prom = path.join(dir, "analytics.prom");
    const r = await inProcess([...args, "--json", "--prom", prom]);
    expect(r.code).toBe(2);
    const lines = r.stdout.split("\n").map((l) => JSON.parse(l) as Record<string, unknown>);
    const events = lines.filter((l) => l.type === "event");
    expect(events).toEqual([
      expect.objectContaining({
        kind: "sub-prefix-hijack",
        severity: "critical",
        prefix: "198.51.100.0/25",
        metro: "amsterdam",
        leg: "a",
        router: "msft-amsterdam-a",
        peer: ROGUE.address,
        observedPath: "64666",
      }),
    ]);
    expect(lines.filter((l) => l.type === "leg")).toHaveLength(6);
    expect(lines[lines.length - 1]).toEqual(expect.objectContaining({ type: "summary", critical: 1, exitCode: 2 }));
    const text = fs.readFileSync(prom, "utf8");
    expect(text).toMatch(/^# TYPE pac_route_events gauge$/m);
    expect(text).toContain(
      'pac_route_events{stack="lab",metro="amsterdam",leg="a",kind="sub-prefix-hijack",severity="critical"} 1',
    );
    expect(text).toContain(
      'pac_route_events{stack="lab",metro="london",leg="b",kind="origin-hijack",severity="critical"} 0',
    );
    expect(text).toContain(
      `pac_route_event{stack="lab",kind="sub-prefix-hijack",severity="critical",prefix="198.51.100.0/25",metro="amsterdam",leg="a",router="msft-amsterdam-a",peer="${ROGUE.address}"} 1`,
    );
    expect(text).toContain('pac_leg_session_established{stack="lab",metro="frankfurt",leg="b",afi="ipv6"} 1');
    expect(text).toContain('pac_leg_prefixes_seen{stack="lab",metro="london",leg="a"} 3');
  });

  it.each([
    [
      "a file that is not JSON",
      () => ["--received-routes", `london=${write("bad.json", '{"value":[')}`],
      /bad\.json: is not JSON/,
    ],
    [
      "a route without a prefix",
      () => ["--received-routes", `london=${write("noprefix.json", { value: [{ asPath: "64500" }] })}`],
      /noprefix\.json: value\[0\]\.prefix undefined is not a prefix/,
    ],
    [
      "an AS path that is none",
      () => [
        "--received-routes",
        `london=${write("aspath.json", { value: [{ prefix: "198.51.100.0/24", asPath: "AS64500" }] })}`,
      ],
      /aspath\.json: value\[0\]\.asPath "AS64500" is not an AS path/,
    ],
    ["a file that does not exist", () => ["--frr", `r1=${path.join(dir, "nope.json")}`], /nope\.json: does not exist/],
    [
      "FRR JSON of another command",
      () => ["--frr", `r1=${write("other.json", { interfaces: {} })}`],
      /other\.json: is neither a BGP table/,
    ],
    [
      "a metro the stack does not have",
      () => ["--received-routes", `paris=${write("p.json", { value: [] })}`],
      /paris is no metro of stack lab/,
    ],
    ["no source at all", () => [], /no source given/],
    ["a source without =", () => ["--frr", "r1"], /--frr "r1" is not <router>=<file\.json>/],
  ])("exits 64 on %s, naming it", async (_, args, message) => {
    const r = await inProcess(args());
    expect(r.code).toBe(64);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).toMatch(/Fix: /);
    expect(r.stdout).toBe("");
  });

  it("runs as a command: exit code, report on stdout, progress on stderr", async () => {
    const r = await runCommand(
      process.execPath,
      [
        ...guardedNodeArgs(),
        path.join(REPO_ROOT, "cli", "analyze.ts"),
        "--stack",
        "lab",
        ...receivedArgs((m, routes) =>
          m === "amsterdam" ? routes.filter((x) => x.prefix !== "2001:db8:1000::/48") : routes,
        ),
      ],
      60_000,
      { cwd: REPO_ROOT, env: { PATH: process.env.PATH } },
    );
    expect(r.stderr).toMatch(/Stack lab: 3 metros announcing, 3 registered prefixes/);
    expect(r.stdout).toMatch(/\[critical\] missing announcement 2001:db8:1000::\/48 at amsterdam$/m);
    expect(r.stdout).toMatch(/\[warning\]\s+non-optimal entry 2001:db8:1000::\/48 at amsterdam/);
    expect(r.code).toBe(2);
  }, 60_000);
});

describe("npm run analyze --azure against the fake ARM endpoint", () => {
  let ca: TestCa;
  let fake: FakeArm;

  beforeAll(async () => {
    ca = makeTestCa();
    fake = await FakeArm.start({ ca, world: azureAsPlanned(plan), pageSize: 4 });
  });
  afterAll(async () => {
    await fake?.close();
    ca?.remove();
  });

  const azureArgs = () => ["--azure", "--subscription", TEST_SUBSCRIPTION, "--endpoint", fake.url, "--ca", ca.caFile];
  const ENV = { PAC_ARM_TOKEN: FAKE_ARM_TOKEN };

  function serve(change?: (metro: string, routes: ArmReceivedRoute[]) => ArmReceivedRoute[]): void {
    const world = azureAsPlanned(plan);
    for (const m of METROS) {
      const routes = receivedRoutesAsPlanned(intent, m);
      peeringOf(world, m).receivedRoutes = change ? change(m, routes) : routes;
    }
    fake.world = world;
    fake.requests.length = 0;
  }

  it("reads every page of every metro's receivedRoutes and the sessions: clean", async () => {
    serve();
    const r = await inProcess(azureArgs(), ENV);
    expect(r.stderr).toMatch(/maps-as64500-amsterdam: 6 received routes \(2 pages\)/);
    expect(r.stdout).toMatch(/^Result: clean$/m);
    expect(r.stdout).toMatch(/^ {2}a\s+3\s+3\s+Established\s+Established\s+-$/m);
    const pages = fake.requestsTo(/receivedRoutes$/i);
    expect(pages).toHaveLength(6);
    expect(pages.filter((p) => p.query.get("$skipToken") === "4")).toHaveLength(3);
    // Only the peerings and their receivedRoutes: no PeerAsn, no registrations.
    expect(fake.requestsTo(/peerAsns|registeredPrefixes|registeredAsns/i)).toHaveLength(0);
    expect(r.code).toBe(0);
  });

  it("finds an event on a later page, and a session Azure reports down", async () => {
    serve((m, routes) =>
      m === "london" ? routes.map((x, i) => (i === 5 ? { ...x, rpkiValidationState: "Invalid" } : x)) : routes,
    );
    const c = connectionOf(fake.world, plan, "frankfurt/a");
    c.bgpSession = { ...c.bgpSession, sessionStateV4: "Idle" };
    const r = await inProcess([...azureArgs(), "--json"], ENV);
    const events = r.stdout
      .split("\n")
      .map((l) => JSON.parse(l) as Record<string, unknown>)
      .filter((l) => l.type === "event");
    expect(events.map((e) => [e.kind, e.metro, e.leg, e.prefix ?? e.afi])).toEqual([
      ["session-down", "frankfurt", "a", "ipv4"],
      ["rpki-invalid", "london", "b", "2001:db8:1000::/48"],
    ]);
    expect(r.code).toBe(2);
  });

  it("a subscription given by name, not id: exit 64 before anything is sent", async () => {
    serve();
    const args = azureArgs();
    args[args.indexOf("--subscription") + 1] = "prod";
    const r = await inProcess(args, ENV);
    expect(r.code).toBe(64);
    expect(r.stderr).toContain(
      'analyze: subscription "prod" is not a subscription id. Fix: give the subscription\'s id (a GUID), as `az account show --query id` prints it',
    );
    expect(fake.requests).toHaveLength(0);
  });

  it("exits 64 on a malformed receivedRoutes answer and 69 when Azure refuses the token", async () => {
    serve();
    fake.inject({ kind: "html" }, { path: /receivedRoutes$/i });
    const malformed = await inProcess(azureArgs(), ENV);
    expect(malformed.code).toBe(64);
    expect(malformed.stderr).toMatch(/not the Microsoft\.Peering 2022-10-01 REST API's/);
    const refused = await inProcess(azureArgs(), { PAC_ARM_TOKEN: "wrong" });
    expect(refused.code).toBe(69);
    expect(refused.stderr).toMatch(/Azure refused the request \(401/);
  });
});
