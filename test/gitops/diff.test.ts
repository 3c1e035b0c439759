/**
 * `npm run diff` in a temporary git repository holding a copy of the project: the base's plan is
 * made with the base's own code (a template change shows as config diffs of exactly the routers of
 * that platform, and no Azure change), an unchanged tree says "No change", a change that fails the
 * policies still gets its report and exits 1, and a base from before the machine-readable plan, an
 * unknown ref or a bad argument end with a message that says what to do (exit 2). No network.
 */
import * as fs from "fs";
import * as path from "path";
import { git, npmRun, projectCopy } from "../support/projectCopy";

let root: string;
beforeAll(() => {
  root = projectCopy();
});
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));
afterEach(() => {
  git(root, "reset", "--quiet", "--hard", "main");
  git(root, "clean", "--quiet", "-d", "--force");
});

const edit = (file: string, from: string, to: string) => {
  const p = path.join(root, file);
  const text = fs.readFileSync(p, "utf8");
  if (!text.includes(from)) throw new Error(`test edit did not match in ${file}`);
  fs.writeFileSync(p, text.replace(from, to));
};

describe("npm run diff", () => {
  it("says No change for a working tree whose plan is the base's", () => {
    // A change that plans the same: a comment in the inventory.
    edit("stacks/lab/metros/amsterdam.yaml", "# Lab metro.", "# Lab metro (reviewed).");
    const r = npmRun(root, "diff", "--stack", "lab", "--base", "main");
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const head = git(root, "rev-parse", "--short=12", "HEAD");
    expect(r.stdout).toBe(
      [
        "<!-- peering-as-code change report: stack lab -->",
        "## Change report: stack `lab`",
        "",
        `Base \`main\` (\`${head}\`), planned with its own code and inventory, against the working tree at \`${head}\` (with uncommitted changes). Both plans are offline (Pulumi's mock runtime, the same policy pack in-process); secrets are redacted.`,
        "",
        "**No change.** The plan of this change is the plan of the base: no Azure resource, router config, metro, leg or policy result differs (policies: pass (11 run, 1 advisory)).",
        "",
      ].join("\n"),
    );
  }, 300_000);

  it("plans the base with its own templates: a template change is a config diff on that platform's routers only", () => {
    edit(
      "templates/frr/bgp.hbs",
      "{{/each}}\n !\n{{#each policy.families}}",
      "{{/each}}\n bgp graceful-restart\n !\n{{#each policy.families}}",
    );
    const out = path.join(root, "..", `${path.basename(root)}-report.md`);
    const comment = path.join(root, "..", `${path.basename(root)}-comment.md`);
    try {
      const r = npmRun(root, "diff", "--stack", "lab", "--base", "main", "--out", out, "--comment-out", comment);
      expect(r.stderr).toBe("");
      expect(r.stdout).toBe("");
      expect(r.code).toBe(0);
      const report = fs.readFileSync(out, "utf8");
      expect(fs.readFileSync(comment, "utf8")).toBe(report);
      expect(report).toContain(
        "**Azure: 0 to add, 0 to change, 0 to remove · router configs: 0 new, 2 changed, 0 removed, 4 unchanged · policies: pass (11 run, 1 advisory)**",
      );
      expect(report).toContain("No change to the 8 Azure resources the stack declares.");
      const changed = report.split("\n").filter((l) => l.startsWith("<details"));
      expect(changed).toEqual([
        "<details open><summary><b>changed</b> <code>amsterdam/ams-edge-1.conf</code> (ams-edge-1, frr): +1 −0</summary>",
        "<details open><summary><b>changed</b> <code>frankfurt/fra-edge-2.conf</code> (fra-edge-2, frr): +1 −0</summary>",
      ]);
      expect(report).toContain("--- a/amsterdam/ams-edge-1.conf\n+++ b/amsterdam/ams-edge-1.conf\n@@ -");
      expect(report).toContain("  neighbor 2001:db8:ffff:: disable-connected-check\n+ bgp graceful-restart\n  !\n");
      expect(report).toContain("  class router_ams_edge_1,router_fra_edge_2 changed\n");
    } finally {
      fs.rmSync(out, { force: true });
      fs.rmSync(comment, { force: true });
    }
  }, 300_000);

  it("writes the report of a change that fails the policies, and exits 1", () => {
    edit(
      "stacks/lab/metros/london.yaml",
      "hostname: lon-edge-2\n      vendor: eos",
      "hostname: lon-edge-1\n      vendor: bird",
    );
    // One router has one router-id, and BIRD takes no router-wide setting: the moved leg says so too.
    edit(
      "stacks/lab/metros/london.yaml",
      "routerId: 10.64.0.6\n      # The product's AS-path lists are written for `ip as-path regex-mode asn`: router-wide,\n      # so the product sets it only because this says so.\n      routerWide:\n        asPathRegexMode: true\n",
      "routerId: 10.64.0.5\n",
    );
    edit(
      "stacks/lab/metros/london.yaml",
      "interface: Port-Channel1\n    members:\n      - { interface: Ethernet1/1, speedGbps: 100 }\n      - { interface: Ethernet2/1, speedGbps: 100 }",
      "interface: bond-msft2\n    members:\n      - { interface: ens2f0, speedGbps: 100 }\n      - { interface: ens2f1, speedGbps: 100 }",
    );
    const r = npmRun(root, "diff", "--stack", "lab", "--base", "main");
    expect(r.stderr).toBe("");
    expect(r.code).toBe(1);
    expect(r.stdout).toContain("policies: FAIL, 1 mandatory violation (11 run, 1 advisory)**");
    expect(r.stdout).toMatch(
      /\n\| mandatory \| `local-redundancy` \| `sp-london-peering` \| metro london: leg a and leg b on lon-edge-1;.* \| \*\*new\*\* \|\n/,
    );
    expect(r.stdout).toContain("<b>removed</b> <code>london/lon-edge-2.eos.cfg</code>");
    expect(r.stdout).toContain("  class router_lon_edge_2 removed\n");
  }, 300_000);

  it("says that a base from before the machine-readable plan cannot be compared, and what to do", () => {
    // What an older `npm run plan` answers to --json (as commit 69b045a's does).
    const pkg = path.join(root, "package.json");
    const original = fs.readFileSync(pkg, "utf8");
    const old = JSON.parse(original) as { scripts: Record<string, string> };
    old.scripts.plan = `node -e "console.error('plan: unknown argument \\"--json\\". Usage: npm run plan -- [--stack <name>]'); process.exit(2)" --`;
    fs.writeFileSync(pkg, JSON.stringify(old, null, 2));
    git(root, "commit", "--quiet", "--all", "--message", "an old plan");
    fs.writeFileSync(pkg, original);
    const r = npmRun(root, "diff", "--stack", "lab", "--base", "HEAD");
    expect(r.stdout).toBe("");
    expect(r.code).toBe(2);
    const commit = git(root, "rev-parse", "--short=12", "HEAD");
    expect(r.stderr.trim()).toBe(
      `diff: base HEAD (${commit}) predates the machine-readable plan (its \`npm run plan\` has no --json), so its plan cannot be compared. ` +
        "Fix: compare with a base that has it (any commit since the change report was added), or review the base's `npm run plan` output by hand",
    );
    git(root, "reset", "--quiet", "--hard", "HEAD~1");
  }, 300_000);

  it.each([
    [
      ["--stack", "lab", "--base", "no-such-branch"],
      "diff: --base no-such-branch: no such commit in this repository. Fix: fetch it (git fetch origin no-such-branch; a shallow CI checkout needs fetch-depth: 0) or name a commit, e.g. --base origin/main",
    ],
    [
      ["--stack", "lab"],
      "diff: --base is missing: name the commit to compare with, e.g. --base origin/main (a pull request's base). Usage: npm run diff -- --stack <name> --base <git ref> [--out <file>] [--comment-out <file>] [--max-chars <n>]",
    ],
    [
      ["--stack", "../lab", "--base", "main", "--colour"],
      'diff: unknown argument "--colour"; --stack "../lab" is not a stack name: name a folder under stacks/, e.g. --stack lab. Usage: npm run diff -- --stack <name> --base <git ref> [--out <file>] [--comment-out <file>] [--max-chars <n>]',
    ],
  ])("refuses %j with a message", (args, message) => {
    const r = npmRun(root, "diff", ...args);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr.trim()).toBe(message);
  });
});
