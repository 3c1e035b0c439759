/**
 * The policy gate of the offline plan, as an engineer runs it: the lab stack passes every policy;
 * each broken fixture stack (which the loader accepts) exits non-zero with its violations printed
 * as the Pulumi CLI prints them, and writes nothing (no configs, no lock).
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { REPO_ROOT } from "../../load/files";
import { RULES } from "../../policies/rules";

const roots: string[] = [];
afterAll(() => roots.forEach((r) => fs.rmSync(r, { recursive: true, force: true })));

/** A copy of a fixture (or the lab) in a temporary root, so that a wrong write never lands in the repo. */
function copyStack(stack: string, from: string): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "pac-policies-"));
  roots.push(root);
  fs.mkdirSync(path.join(root, "stacks"));
  for (const f of [stack, `Pulumi.${stack}.yaml`, `Pulumi.${stack}.policy.json`])
    fs.cpSync(path.join(from, "stacks", f), path.join(root, "stacks", f), { recursive: true });
  return root;
}

function plan(root: string, stack: string) {
  const r = spawnSync(
    process.execPath,
    [
      require.resolve("ts-node/dist/bin.js"),
      "--transpile-only",
      path.join(REPO_ROOT, "cli", "plan.ts"),
      "--stack",
      stack,
      "--root",
      root,
    ],
    { cwd: root, encoding: "utf8", timeout: 60_000 },
  );
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const pack = "peering-as-code v0.1.0";
const header = (rule: string, resource?: string) =>
  `    [mandatory]  ${pack}  ${rule}${resource ? ` (${resource}: azure-native:peering:Peering)` : ""}`;
const description = (rule: string) => `    ${RULES.find((r) => r.name === rule)?.description}`;

it("the lab stack passes every mandatory policy with its policy config; its agreed MD5 key is noted", () => {
  const root = copyStack("lab", REPO_ROOT);
  const r = plan(root, "lab");
  expect(r.stderr).toBe("");
  expect(r.code).toBe(0);
  expect(r.stdout.trim().split("\n").slice(-6)).toEqual([
    "Policy Violations:",
    `    [advisory]  ${pack}  microsoft-exceptions (sp-frankfurt-peering: azure-native:peering:Peering)`,
    description("microsoft-exceptions"),
    "    metro frankfurt leg b (fra-edge-2 bond-msft): MD5 key, an exception to Microsoft's peering policy (MD5 isn't supported), agreed: LAB ONLY - no Microsoft agreement - keeps MD5 proven in the FRR lab. Fix: nothing while the agreement holds; Microsoft's edge must carry the same key. Remove md5 from the leg in stacks/lab/metros/frankfurt.yaml when it ends",
    "",
    `Policies: no mandatory violation of ${RULES.length} policies, 1 advisory (policy pack ${pack}, config stacks/Pulumi.lab.policy.json)`,
  ]);
});

it.each<[string, string[]]>([
  [
    "local-redundancy",
    [
      header("local-redundancy", "sp-frankfurt-peering"),
      description("local-redundancy"),
      "    metro frankfurt has 1 leg(s) (leg a (fra-edge-1 Bundle-Ether200)); Microsoft requires at least 2. Fix: add a leg on a second router to legs: in stacks/local-redundancy/metros/frankfurt.yaml, with its own cross-connect to Microsoft",
      header("local-redundancy", "sp-london-peering"),
      description("local-redundancy"),
      "    metro london: leg a and leg b on lon-edge-1; the legs must land on at least 2 distinct SP routers (two connections on one router are not locally redundant). Fix: move one leg to a second router (legs[].router.hostname in stacks/local-redundancy/metros/london.yaml)",
    ],
  ],
  [
    "unequal-capacity",
    [
      header("equal-capacity", "sp-london-peering"),
      description("equal-capacity"),
      "    metro london: legs have unequal bandwidth (leg a (lon-edge-1 bond-msft) 200G, leg b (lon-edge-2 bond-msft) 100G); if the 200G leg fails the others cannot carry its load. Fix: give every leg the same LAG capacity (members and speedGbps in stacks/unequal-capacity/metros/london.yaml)",
      // Advisory, printed with the mandatory one: the fixture keeps the lab's agreed MD5 key.
      `    [advisory]  ${pack}  microsoft-exceptions (sp-frankfurt-peering: azure-native:peering:Peering)`,
      description("microsoft-exceptions"),
      "    metro frankfurt leg b (fra-edge-2 bond-msft): MD5 key, an exception to Microsoft's peering policy (MD5 isn't supported), agreed: LAB ONLY - no Microsoft agreement. Fix: nothing while the agreement holds; Microsoft's edge must carry the same key. Remove md5 from the leg in stacks/unequal-capacity/metros/frankfurt.yaml when it ends",
    ],
  ],
  [
    "single-metro",
    [
      header("geo-redundancy"),
      description("geo-redundancy"),
      "    Peering Service sessions at 1 metro(s) (Amsterdam); Microsoft requires at least 2 for geo redundancy. Fix: add a metro file for a second Azure peering location (stacks/single-metro/metros/<metro>.yaml)",
      header("geo-redundancy"),
      description("geo-redundancy"),
      "    region europe-west is served from only Amsterdam: it needs a primary and a backup metro (2 distinct peering locations; a locally redundant pair is not its own backup). Fix: add a metro file with region: europe-west (stacks/single-metro/metros/<metro>.yaml)",
    ],
  ],
])("the %s fixture fails the plan with its violations and writes nothing", (stack, violations) => {
  const root = copyStack(stack, path.join(REPO_ROOT, "test/fixtures/stacks", stack));
  const lock = path.join(root, "stacks", stack, "allocations.lock.yaml");
  const lockBefore = fs.readFileSync(lock, "utf8");
  const r = plan(root, stack);
  expect(r.code).toBe(1);
  expect(r.stdout).toBe("");
  const count = (level: string) => violations.filter((l) => l.startsWith(`    [${level}]`)).length;
  expect(r.stderr.trim().split("\n")).toEqual([
    "Policy Violations:",
    ...violations,
    "",
    `Policies: ${count("mandatory")} mandatory and ${count("advisory")} advisory violation(s) of ${RULES.length} policies (policy pack ${pack}, config stacks/Pulumi.${stack}.policy.json); nothing was written. Fix each as its message says and plan again.`,
  ]);
  expect(fs.existsSync(path.join(root, "out"))).toBe(false);
  expect(fs.readFileSync(lock, "utf8")).toBe(lockBefore);
});

it("a policy config naming an unknown property stops the plan with the file and the property", () => {
  const root = copyStack("lab", REPO_ROOT);
  fs.writeFileSync(
    path.join(root, "stacks/Pulumi.lab.policy.json"),
    JSON.stringify({ "geo-redundancy": { minMetro: 3 } }),
  );
  const r = plan(root, "lab");
  expect(r.code).toBe(1);
  expect(r.stderr.trim().split("\n")).toEqual([
    "stacks/Pulumi.lab.policy.json: 1 problem(s) in the policy config; nothing was written:",
    "  geo-redundancy.minMetro: is not a config property of geo-redundancy (properties: minMetros, minMetrosPerRegion)",
  ]);
  expect(fs.existsSync(path.join(root, "out"))).toBe(false);
});
