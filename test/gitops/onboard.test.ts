/**
 * Onboarding a fourth metro into a copy of the lab stack (a temporary git repository holding the
 * project; stacks/lab itself is never written), as an engineer does it: `npm run onboard` scaffolds
 * and validates it, `npm run plan -- --frozen-lock` passes with the lock it wrote, and the change
 * report against the commit before lists exactly the new Peering, then, once the metro is
 * provisioning, exactly the new routers' configs, and no change to any existing router. A scaffold
 * with one leg fails the policy check and writes nothing; a bad argument names its flag.
 */
import * as fs from "fs";
import * as path from "path";
import { git, npmRun, projectCopy } from "../support/projectCopy";
import { LAB_CONFIG_FILES, PARIS_ONBOARD_ARGS } from "../support/stack";

let root: string;
beforeAll(() => {
  root = projectCopy();
});
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

const read = (file: string) => fs.readFileSync(path.join(root, file), "utf8");
/** The rows of the report's Azure resources table, by their first cell (`+`, `~`, `−`). */
const resourceRows = (report: string, mark: string) => report.split("\n").filter((l) => l.startsWith(`| ${mark} | \``));

describe("npm run onboard, then the change report", () => {
  it("refuses a scaffold with one leg at the policy check, writing nothing", () => {
    const r = npmRun(root, "onboard", ...PARIS_ONBOARD_ARGS, "--router-a", "par-edge-1:frr");
    expect(r.code).toBe(1);
    expect(r.stdout).toBe("");
    expect(r.stderr).toContain("onboard: the scaffolded metro paris fails the policy check; nothing was written.");
    expect(r.stderr).toContain(
      "    [mandatory]  peering-as-code v0.1.0  local-redundancy (sp-paris-peering: azure-native:peering:Peering)\n",
    );
    expect(r.stderr).toContain(
      "metro paris has 1 leg(s) (leg a (par-edge-1 bond-msft)); Microsoft requires at least 2.",
    );
    expect(r.stderr).toContain(
      "Fix the arguments:\n  give the metro two legs on two routers, e.g. --router-a <hostname>:<vendor> --router-b <other hostname>:<vendor>",
    );
    expect(git(root, "status", "--porcelain")).toBe("");
  });

  it("names the flag of a bad argument, and of a value the platform refuses, writing nothing", () => {
    const bad = npmRun(root, "onboard", ...PARIS_ONBOARD_ARGS.slice(0, 4), "--router-a", "par-edge-1:cisco");
    expect(bad.code).toBe(2);
    expect(bad.stderr.split("\n").slice(0, 8)).toEqual([
      "onboard: 6 problems with the arguments; nothing was written:",
      "  --location: is missing. Fix: give the Azure peering location as `az peering location list --kind Direct` spells it, e.g. --location Paris",
      "  --facility: is missing. Fix: give the PeeringDB facility id (peeringdb.com/fac/<id>), e.g. --facility 75",
      "  --region: is missing. Fix: give one of the regions the SP serves (regions in sp.yaml), e.g. --region europe-west",
      "  --latitude: is missing. Fix: give the metro's latitude in decimal degrees, e.g. --latitude 48.86",
      "  --longitude: is missing. Fix: give the metro's longitude in decimal degrees, e.g. --longitude 2.35",
      '  --router-a: "cisco" is not a platform this project renders. Fix: use one of frr, bird, iosxr, junos, eos (vendors/), e.g. --router-a par-edge-1:frr',
      "",
    ]);
    const refused = npmRun(
      root,
      "onboard",
      ...PARIS_ONBOARD_ARGS,
      "--router-a",
      "par-edge-1:frr",
      "--router-b",
      "par-edge-2:iosxr",
      "--bundle-b",
      "bond0",
    );
    expect(refused.code).toBe(1);
    expect(refused.stderr.trim().split("\n")).toEqual([
      "onboard: the scaffolded metro paris does not validate (1 problem); nothing was written:",
      '  --bundle-b (legs[1].interface): "bond0" is not an IOS-XR bundle interface. Fix: name the LACP bundle Bundle-Ether<1-65535>, e.g. Bundle-Ether100',
    ]);
    const existing = npmRun(
      root,
      "onboard",
      ...PARIS_ONBOARD_ARGS.map((a) => (a === "paris" ? "london" : a)),
      "--router-a",
      "x:frr",
    );
    expect(existing.code).toBe(2);
    expect(existing.stderr).toContain(
      "  --metro: stacks/lab/metros/london.yaml already exists. Fix: edit that file to change the metro, or choose another --metro\n",
    );
    expect(git(root, "status", "--porcelain")).toBe("");
  });

  it("onboards a fourth metro: the file validates, the plan passes the policies, the report lists exactly the new Peering", () => {
    const lockBefore = read("stacks/lab/allocations.lock.yaml");
    const r = npmRun(
      root,
      "onboard",
      ...PARIS_ONBOARD_ARGS,
      "--router-a",
      "par-edge-1:frr",
      "--router-b",
      "par-edge-2:iosxr",
    );
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(
      "Onboarded metro paris into stack lab (status: requested); it validates and passes the policies.\n" +
        "  wrote stacks/lab/metros/paris.yaml\n" +
        "  updated stacks/lab/allocations.lock.yaml: 4 new allocation(s) (ipv4 paris/a 192.0.2.10/31; ipv4 paris/b 192.0.2.12/31; ipv6 paris/a 2001:db8:ffff::a/127; ipv6 paris/b 2001:db8:ffff::c/127)\n",
    );
    expect(git(root, "status", "--porcelain")).toBe(
      "M stacks/lab/allocations.lock.yaml\n?? stacks/lab/metros/paris.yaml",
    );
    expect(read("stacks/lab/metros/paris.yaml")).toMatch(/\nstatus: requested\n/);
    // Every address already allocated stays where it was; the lock only grows.
    const after = read("stacks/lab/allocations.lock.yaml").split("\n");
    expect(lockBefore.split("\n").filter((l) => !after.includes(l))).toEqual([]);
    expect(after.filter((l) => /paris\//.test(l))).toEqual([
      "  paris/a: 192.0.2.10/31",
      "  paris/b: 192.0.2.12/31",
      "  paris/a: 2001:db8:ffff::a/127",
      "  paris/b: 2001:db8:ffff::c/127",
    ]);

    const plan = npmRun(root, "plan", "--stack", "lab", "--frozen-lock");
    expect(plan.stderr).toBe("");
    expect(plan.code).toBe(0);
    expect(plan.stdout).toContain(
      "Metro paris: Azure peering location Paris, PeeringDB facility 75, region europe-west, requested:",
    );
    expect(plan.stdout).toMatch(/\nPolicies: no mandatory violation of \d+ policies, 1 advisory/);

    const diff = npmRun(root, "diff", "--stack", "lab", "--base", "HEAD");
    expect(diff.stderr).toBe("");
    expect(diff.code).toBe(0);
    const report = diff.stdout;
    expect(report).toContain(
      "**metros added: paris (requested) · Azure: 1 to add, 0 to change, 0 to remove · router configs: 0 new, 0 changed, 0 removed, 6 unchanged · policies: pass (11 run, 1 advisory)**",
    );
    expect(resourceRows(report, "+")).toEqual([
      "| + | `sp-paris-peering` | `Peering` | Paris, 2 connections, metro paris requested |",
    ]);
    expect(resourceRows(report, "~")).toEqual([]);
    expect(resourceRows(report, "−")).toEqual([]);
    expect(report).toContain("Unchanged: 8 resources.");
    expect(report).toContain("No router config changes.");
    expect(report).toContain(
      "No router config yet: par-edge-1 (paris leg a, requested), par-edge-2 (paris leg b, requested).",
    );
    expect(report).toContain(`Unchanged: 6 router configs (${LAB_CONFIG_FILES.map((c) => `\`${c}\``).join(", ")}).`);
    expect(report).not.toContain("allocation lock is out of date");
    expect(report).toContain("  class router_par_edge_1,router_par_edge_2,microsoft_paris added\n");
    expect(report).not.toMatch(/ changed\n|removed\n/);

    // Same inputs, same bytes.
    expect(npmRun(root, "diff", "--stack", "lab", "--base", "HEAD").stdout).toBe(report);
  }, 300_000);

  it("once the metro is provisioning, the report lists exactly the new routers' configs and no change to any existing router", () => {
    const file = path.join(root, "stacks/lab/metros/paris.yaml");
    fs.writeFileSync(file, fs.readFileSync(file, "utf8").replace("\nstatus: requested\n", "\nstatus: provisioning\n"));
    const diff = npmRun(root, "diff", "--stack", "lab", "--base", "HEAD");
    expect(diff.stderr).toBe("");
    expect(diff.code).toBe(0);
    const report = diff.stdout;
    expect(report).toContain("router configs: 2 new, 0 changed, 0 removed, 6 unchanged");
    const configs = report.split("\n").filter((l) => l.startsWith("<details") && l.includes("<b>"));
    expect(configs.filter((l) => !l.includes("<code>pulumi up</code>"))).toEqual([
      expect.stringMatching(
        /^<details><summary><b>new<\/b> <code>paris\/par-edge-1\.conf<\/code> \(par-edge-1, frr\): \+\d+ −0<\/summary>$/,
      ),
      expect.stringMatching(
        /^<details><summary><b>new<\/b> <code>paris\/par-edge-2\.cfg<\/code> \(par-edge-2, iosxr\): \+\d+ −0<\/summary>$/,
      ),
    ]);
    expect(report).toContain("+router bgp 64500\n");
    expect(report).toContain(" neighbor 192.0.2.10 remote-as 8075\n");
    expect(report).toContain(`Unchanged: 6 router configs (${LAB_CONFIG_FILES.map((c) => `\`${c}\``).join(", ")}).`);
    expect(resourceRows(report, "+")).toEqual([
      "| + | `sp-paris-peering` | `Peering` | Paris, 2 connections, metro paris provisioning |",
    ]);
    expect(resourceRows(report, "~")).toEqual([]);
  }, 300_000);
});
