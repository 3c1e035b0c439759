/**
 * `npm run status` as an engineer runs it, against the fake ARM endpoint: the table, `--json`,
 * `--show-secrets`, exit codes (0 in sync, 1 disagreeing, 2 on an error), progress on stderr, and
 * the errors an engineer meets (no subscription, no token for a foreign endpoint, an untrusted
 * certificate, a refused token, a malformed answer, a broken inventory). The CLI runs as a child
 * process (with the network guard preloaded) where its process behaviour matters, in-process
 * (`runStatus`) elsewhere. No test reaches Azure: every run names the fake endpoint or fails first.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { runStatus } from "../../cli/status";
import { REPO_ROOT } from "../../load/files";
import { loadScenarioStack, SCENARIOS, type Scenario } from "../support/armScenarios";
import { TEST_SUBSCRIPTION, prefixKey } from "../support/armWorld";
import { FAKE_ARM_TOKEN, FAULTS, FakeArm } from "../support/fakeArm";
import { runCommand } from "../support/command";
import { guardedNodeArgs } from "../support/netGuard";
import { makeTestCa, type TestCa } from "../support/testCa";

let ca: TestCa;
let fake: FakeArm;

function serve(scenario: Scenario): void {
  fake.world = scenario.build(loadScenarioStack(scenario.root, scenario.stack).plan);
  fake.requests.length = 0;
}

const argsFor = (scenario: Scenario, ...extra: string[]) => [
  "--root",
  scenario.root,
  "--stack",
  scenario.stack,
  "--subscription",
  TEST_SUBSCRIPTION,
  "--endpoint",
  fake.url,
  "--ca",
  ca.caFile,
  ...extra,
];

const ENV = { PAC_ARM_TOKEN: FAKE_ARM_TOKEN };

async function inProcess(args: string[], env: NodeJS.ProcessEnv = ENV) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runStatus(args, env, { out: (s) => out.push(s), err: (s) => err.push(s) });
  return { code, stdout: out.join("\n"), stderr: err.join("\n") };
}

/** The real CLI in a child process, behind the network guard, with only the environment given. */
function child(args: string[], env: NodeJS.ProcessEnv = ENV) {
  return runCommand(
    process.execPath,
    [...guardedNodeArgs(), path.join(REPO_ROOT, "cli", "status.ts"), ...args],
    60_000,
    {
      cwd: REPO_ROOT,
      env: { PATH: process.env.PATH, ...env },
    },
  );
}

beforeAll(async () => {
  ca = makeTestCa();
  fake = await FakeArm.start({
    ca,
    world: { subscription: TEST_SUBSCRIPTION, peerAsns: [], resourceGroups: {} },
    pageSize: 2,
  });
});
afterAll(async () => {
  await fake.close();
  ca.remove();
});

describe("npm run status (a child process)", () => {
  it("the lab stack in sync: the table on stdout, progress on stderr, exit 0", async () => {
    serve(SCENARIOS.lab);
    const r = await child(argsFor(SCENARIOS.lab));
    expect(r.stderr).not.toContain("network guard");
    expect(r.code).toBe(0);
    const out = r.stdout.trim().split("\n");
    expect(out.slice(0, 4)).toEqual([
      'Azure status of stack "lab": Example Networks Lab, AS64500',
      `Read from ${fake.url}, api-version 2022-10-01, subscription ${TEST_SUBSCRIPTION}, resource group rg-maps-lab`,
      "",
      "PeerAsn AS64500 (as64500): Approved in Azure, Approved in the inventory: ok",
    ]);
    expect(out).toContain(
      "  a    active  ams-edge-1  Active      Established   Established   200G of 200G  192.0.2.0       2001:db8:ffff::   ok",
    );
    expect(out).toContain("  198.51.100.0/24     prefix  amsterdam  amsterdam  Verified    REDACTED    ok");
    expect(out[out.length - 1]).toBe("In sync: Azure agrees with the inventory (exit 0).");
    expect(r.stdout).not.toContain(prefixKey(1));
    expect(r.stderr.split("\n").slice(0, 3)).toEqual([
      "Stack lab: 3 metros, 4 registrations (stacks/lab/sp.yaml)",
      `Reading Azure at ${fake.url} (api-version 2022-10-01), subscription ${TEST_SUBSCRIPTION}, resource group rg-maps-lab`,
      "  PeerAsns: 1",
    ]);
    expect(r.stderr).toMatch(/\nCompared in \d+ ms\.\n$/);
  });

  it("the onboarding fixture: the next steps with the lines to write, exit 1", async () => {
    serve(SCENARIOS.onboarding);
    const r = await child(argsFor(SCENARIOS.onboarding));
    expect(r.stderr).not.toContain("network guard");
    expect(r.code).toBe(1);
    const out = r.stdout.trim().split("\n");
    expect(out).toContain(
      "  next: connections Active (the inventory says provisioning): set `status: active` in stacks/onboarding/metros/frankfurt.yaml and merge to register prefixes",
    );
    const steps = out.slice(out.indexOf("Next steps:"), out.indexOf("Waiting (nothing to change now):") - 1);
    expect(steps).toEqual([
      "Next steps:",
      "  [drift]   frankfurt: connections Active (the inventory says provisioning). Next: set `status: active` in stacks/onboarding/metros/frankfurt.yaml and merge to register prefixes",
      "            write `status: active` at stacks/onboarding/metros/frankfurt.yaml:9",
      "  [drift]   london/b: Microsoft assigned 192.0.2.62/31 and 2001:db8:ffff::fe/127 (Microsoft 192.0.2.62 and 2001:db8:ffff::fe). Next: pin them in stacks/onboarding/metros/london.yaml and merge; the leg's router config is rendered once it is provisioning",
      '            add `sessionPrefixes: { ipv4: 192.0.2.62/31, ipv6: "2001:db8:ffff::fe/127" }` to legs[1] (leg b) at stacks/onboarding/metros/london.yaml:20',
    ]);
    expect(out[out.length - 1]).toBe("Not in sync: 2 disagreements (exit 1).");
  });

  it("with no subscription it stops before any connection (exit 2), and never reaches for Azure", async () => {
    const r = await child(["--stack", "lab"], {});
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr).toBe(
      "status: no Azure subscription given. Fix: pass --subscription <id> or set AZURE_SUBSCRIPTION_ID (the subscription that holds the PeerAsn and the peerings)\n",
    );
  });
});

describe("runStatus", () => {
  beforeEach(() => serve(SCENARIOS.onboarding));

  it("--json: the report as data, prefix keys redacted, the exit code in it", async () => {
    const r = await inProcess(argsFor(SCENARIOS.onboarding, "--json"));
    expect(r.code).toBe(1);
    const report = JSON.parse(r.stdout) as {
      exitCode: number;
      inSync: boolean;
      metros: Array<{
        id: string;
        status: string;
        severity: string;
        legs: Array<{ id: string; azure?: { state?: string } }>;
      }>;
      registrations: Array<{ key: string; azure: Array<{ prefixKey?: string; validationState?: string }> }>;
      findings: Array<{ severity: string; subject: string; edit?: { file: string; line: number; text: string } }>;
    };
    expect([report.exitCode, report.inSync]).toEqual([1, false]);
    expect(
      report.metros.map((m) => `${m.id} ${m.status} ${m.severity} ${m.legs.map((l) => l.azure?.state).join("/")}`),
    ).toEqual([
      "amsterdam active ok Active/Active",
      "frankfurt provisioning drift Active/Active",
      "london requested drift PendingApproval/Approved",
    ]);
    expect(
      report.registrations.flatMap((x) => x.azure.map((a) => `${x.key} ${a.validationState} ${a.prefixKey}`)),
    ).toEqual(["198.51.100.0/24 Verified REDACTED", "2001:db8:1000::/48 Pending REDACTED"]);
    expect(report.findings.filter((f) => f.severity === "drift").map((f) => [f.subject, f.edit?.text])).toEqual([
      ["frankfurt", "status: active"],
      ["london/b", 'sessionPrefixes: { ipv4: 192.0.2.62/31, ipv6: "2001:db8:ffff::fe/127" }'],
    ]);
  });

  it("--show-secrets shows the prefix keys, and only then", async () => {
    for (const json of [[], ["--json"]]) {
      const hidden = await inProcess(argsFor(SCENARIOS.onboarding, ...json));
      const shown = await inProcess(argsFor(SCENARIOS.onboarding, ...json, "--show-secrets"));
      expect(hidden.stdout).not.toContain(prefixKey(1));
      expect(shown.stdout).toContain(prefixKey(1));
      expect(shown.stdout).not.toContain("REDACTED");
    }
  });

  it("a throttled request is retried after Retry-After, said on stderr, and the run completes", async () => {
    fake.inject(FAULTS.throttled(0), { path: /\/peerings$/i });
    const r = await inProcess(argsFor(SCENARIOS.onboarding));
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(
      "  Azure throttled /resourceGroups/rg-maps-onboarding/providers/Microsoft.Peering/peerings (429, Retry-After 0 s); retrying",
    );
  });

  it.each<[string, () => void, string[], string]>([
    [
      "a refused token",
      () => fake.inject(FAULTS.unauthorized(), { path: /peerAsns$/i }),
      [],
      "status: Azure refused the request (401 ExpiredAuthenticationToken) for /providers/Microsoft.Peering/peerAsns: The access token expiry UTC time '1/1/2024 12:00:00 AM' is earlier than current UTC time. Fix: sign in again (`az login`): the token was refused",
    ],
    [
      "no role on the resource group",
      () => fake.inject(FAULTS.forbidden("rg-maps-onboarding"), { path: /\/peerings$/i }),
      [],
      "status: Azure refused the request (403 AuthorizationFailed) for /resourceGroups/rg-maps-onboarding/providers/Microsoft.Peering/peerings: The client 'status-reader' with object id '00000000-0000-0000-0000-000000000001' does not have authorization to perform action 'Microsoft.Peering/peerings/read' over scope 'rg-maps-onboarding' or the scope is invalid. Fix: give the signed-in identity a role that may read Microsoft.Peering resources (Reader) on subscription 00000000-0000-0000-0000-0000000000aa and resource group rg-maps-onboarding",
    ],
    [
      "an HTML page instead of JSON",
      () => fake.inject({ kind: "html" }, { path: /peerAsns$/i }),
      [],
      `status: Azure's answer is not the Microsoft.Peering 2022-10-01 REST API's: /providers/Microsoft.Peering/peerAsns: expected JSON, got text/html: "<html><body><h1>Gateway</h1><p>Please sign in to continue.</…". Fix: nothing was compared; check that FAKE is Azure Resource Manager (a proxy or captive portal answers HTML) and try again`,
    ],
    [
      "Azure throttling beyond the retries",
      () => fake.inject(FAULTS.throttled(0), { path: /peerAsns$/i, times: 5 }),
      ["--max-retries", "1"],
      "status: Azure kept throttling the requests (429) after the retries, last for /providers/Microsoft.Peering/peerAsns: Number of 'read' requests for subscription exceeded. Please try again after '0' seconds. Fix: wait a minute and run it again (or raise --max-retries)",
    ],
  ])("%s: exit 2 with the message and the fix, nothing on stdout", async (_, arrange, extra, message) => {
    arrange();
    const r = await inProcess(argsFor(SCENARIOS.onboarding, ...extra));
    expect([r.code, r.stdout]).toEqual([2, ""]);
    expect(r.stderr.split("\n").pop()).toBe(message.replace("FAKE", fake.url));
  });

  it("an endpoint whose certificate it cannot check: exit 2, pass --ca", async () => {
    const args = argsFor(SCENARIOS.onboarding);
    const r = await inProcess(args.slice(0, args.indexOf("--ca")));
    expect(r.code).toBe(2);
    expect(r.stderr.split("\n").pop()).toBe(
      `status: could not reach ${fake.url}: unable to verify the first certificate. Fix: the endpoint's certificate is not trusted: pass its CA with --ca <file.pem>`,
    );
  });

  it.each<[string, string[], NodeJS.ProcessEnv, string]>([
    [
      "a foreign endpoint without PAC_ARM_TOKEN (no Azure credential is sent anywhere but Azure)",
      [],
      {},
      "status: FAKE is not Azure Resource Manager, and the status command sends no Azure credential anywhere else. Fix: set PAC_ARM_TOKEN to the bearer token that endpoint expects (the fake ARM endpoint, `npm run fake-arm`, prints it)",
    ],
    [
      "a subscription that is no subscription id",
      ["--subscription", "prod"],
      ENV,
      'status: subscription "prod" is not a subscription id. Fix: give the subscription\'s id (a GUID), as `az account show --query id` prints it',
    ],
    [
      "an endpoint over plain HTTP",
      ["--endpoint", "http://127.0.0.1:8080"],
      ENV,
      "status: --endpoint http://127.0.0.1:8080 is not HTTPS. Fix: Azure Resource Manager (and the SDK's token policy) speaks HTTPS only",
    ],
    [
      "an unknown argument",
      ["--tenant", "x"],
      ENV,
      'status: unknown argument "--tenant". Fix: usage: npm run status -- [--stack <name>] [--subscription <id>] [--json] [--show-secrets] [--max-retries <n>] [--root <dir>] [--endpoint <https-url> --ca <file.pem>]',
    ],
  ])("%s: exit 2 before any request", async (_, extra, env, message) => {
    const r = await inProcess([...argsFor(SCENARIOS.onboarding), ...extra], env);
    expect([r.code, r.stdout, r.stderr]).toEqual([2, "", message.replace("FAKE", fake.url)]);
    expect(fake.requests).toEqual([]);
  });

  it("an inventory with a problem: exit 2 with file:line, nothing read from Azure", async () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), "pac-status-"));
    try {
      fs.cpSync(path.join(SCENARIOS.onboarding.root, "stacks"), path.join(root, "stacks"), { recursive: true });
      const file = path.join(root, "stacks/onboarding/metros/london.yaml");
      fs.writeFileSync(file, fs.readFileSync(file, "utf8").replace("status: requested", "status: requestd"));
      const r = await inProcess(["--root", root, ...argsFor(SCENARIOS.onboarding).slice(2)]);
      expect(r.code).toBe(2);
      expect(r.stderr.split("\n")[0]).toBe("1 problem in the inventory; nothing was compared:");
      expect(r.stderr).toContain("stacks/onboarding/metros/london.yaml:9 status:");
      expect(fake.requests).toEqual([]);
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });
});
