/**
 * The change report's pure part (gitops/compare.ts, report.ts, mermaid.ts) on hand-made snapshots:
 * property changes by path, what replaces a resource and what Pulumi ignores, unified config diffs,
 * policy results new and resolved, "No change", the diagram's marks, a budget for a comment, and the
 * same bytes for the same snapshots whatever order they list things in.
 */
import { comparePlans, propertyChanges, unifiedDiff } from "../../gitops/compare";
import { mermaidLines } from "../../gitops/mermaid";
import { changeReport, reportMarker, type ReportContext } from "../../gitops/report";
import {
  SNAPSHOT_FORMAT,
  SNAPSHOT_VERSION,
  type PlanSnapshot,
  type SnapshotLeg,
  type SnapshotMetro,
  type SnapshotResource,
} from "../../gitops/snapshot";

const CTX: ReportContext = {
  stack: "lab",
  baseRef: "main",
  baseCommit: "0123456789abcdef0123456789abcdef01234567",
  head: "the working tree at `fedcba987654`",
};

const NO_OPTIONS: SnapshotResource["options"] = {
  protect: false,
  retainOnDelete: false,
  deleteBeforeReplace: false,
  ignoreChanges: [],
  additionalSecretOutputs: [],
};

function peering(metro: string, status: string, legs: number, extra: Partial<SnapshotResource> = {}): SnapshotResource {
  return {
    type: "azure-native:peering:Peering",
    name: `sp-${metro}-peering`,
    inputs: {
      peeringLocation: metro[0].toUpperCase() + metro.slice(1),
      peeringName: `maps-as64500-${metro}`,
      resourceGroupName: "rg",
      direct: { connections: Array.from({ length: legs }, () => ({ bandwidthInMbps: 200000 })) },
      tags: { metro, status },
    },
    options: { ...NO_OPTIONS, protect: status === "active" },
    ...extra,
  };
}

function leg(name: string, hostname: string, extra: Partial<SnapshotLeg> = {}): SnapshotLeg {
  return {
    name,
    status: "active",
    hostname,
    vendor: "frr",
    interface: "bond-msft",
    members: 2,
    portGbps: 100,
    bandwidthMbps: 200000,
    drain: false,
    ...extra,
  };
}

function metro(id: string, status: string, legs: SnapshotLeg[]): SnapshotMetro {
  return {
    id,
    peeringLocation: id[0].toUpperCase() + id.slice(1),
    peeringDbFacilityId: 1,
    region: "europe-west",
    status,
    declared: true,
    legs,
  };
}

const CONFIG = ["hostname ams-edge-1", "router bgp 64500", " neighbor 192.0.2.0 remote-as 8075", "!", ""].join("\n");

function snapshot(extra: Partial<PlanSnapshot> = {}): PlanSnapshot {
  return {
    format: SNAPSHOT_FORMAT,
    version: SNAPSHOT_VERSION,
    stack: "lab",
    problems: [],
    sp: { name: "Example", asn: 64500 },
    metros: [
      metro("amsterdam", "active", [
        leg("a", "ams-edge-1", { config: "amsterdam/ams-edge-1.conf" }),
        leg("b", "ams-edge-2", { config: "amsterdam/ams-edge-2.conf" }),
      ]),
    ],
    resources: [peering("amsterdam", "active", 2)],
    configs: { "amsterdam/ams-edge-1.conf": CONFIG, "amsterdam/ams-edge-2.conf": CONFIG.replace(/-1/, "-2") },
    policies: { ran: 10, violations: [] },
    newAllocations: [],
    ...extra,
  };
}

const report = (base: PlanSnapshot, head: PlanSnapshot, maxChars = 0) =>
  changeReport(comparePlans(base, head), CTX, { maxChars });

describe("property changes", () => {
  it.each<[string, unknown, unknown, ReturnType<typeof propertyChanges>]>([
    ["equal", { a: [1, { b: 2 }] }, { a: [1, { b: 2 }] }, []],
    ["a leaf", { a: { b: 1 } }, { a: { b: 2 } }, [{ path: "a.b", base: 1, head: 2 }]],
    ["a key on one side only, whole", { a: 1 }, { a: 1, b: { c: 1 } }, [{ path: "b", head: { c: 1 } }]],
    [
      "a list grown and shrunk, by index",
      { l: [{ x: 1 }, { x: 2 }] },
      { l: [{ x: 1 }, { x: 3 }, { x: 4 }] },
      [
        { path: "l[1].x", base: 2, head: 3 },
        { path: "l[2]", head: { x: 4 } },
      ],
    ],
    ["a type change", { a: [1] }, { a: "1" }, [{ path: "a", base: [1], head: "1" }]],
  ])("%s", (_what, base, head, expected) => expect(propertyChanges(base, head)).toEqual(expected));
});

describe("a unified diff of a config", () => {
  it("counts the lines, three lines of context, a/ and b/ names, /dev/null for a new file", () => {
    const changed = unifiedDiff("amsterdam/ams-edge-1.conf", CONFIG, CONFIG.replace("192.0.2.0", "192.0.2.100"));
    expect(changed.patch).toBe(
      [
        "--- a/amsterdam/ams-edge-1.conf",
        "+++ b/amsterdam/ams-edge-1.conf",
        "@@ -1,4 +1,4 @@",
        " hostname ams-edge-1",
        " router bgp 64500",
        "- neighbor 192.0.2.0 remote-as 8075",
        "+ neighbor 192.0.2.100 remote-as 8075",
        " !",
        "",
      ].join("\n"),
    );
    expect([changed.kind, changed.linesAdded, changed.linesRemoved]).toEqual(["changed", 1, 1]);
    const added = unifiedDiff("paris/par-edge-1.conf", undefined, "a\nb\n");
    expect(added.patch).toBe(
      ["--- /dev/null", "+++ b/paris/par-edge-1.conf", "@@ -0,0 +1,2 @@", "+a", "+b", ""].join("\n"),
    );
    expect([added.kind, added.linesAdded, added.linesRemoved]).toEqual(["added", 2, 0]);
  });
});

describe("the change report", () => {
  it("says No change when nothing differs, and nothing else but where the plans come from", () => {
    expect(report(snapshot(), snapshot())).toBe(
      [
        reportMarker("lab"),
        "## Change report: stack `lab`",
        "",
        "Base `main` (`0123456789ab`), planned with its own code and inventory, against the working tree at `fedcba987654`. Both plans are offline (Pulumi's mock runtime, the same policy pack in-process); secrets are redacted.",
        "",
        "**No change.** The plan of this change is the plan of the base: no Azure resource, router config, metro, leg or policy result differs (policies: pass (10 run, 0 advisory)).",
        "",
      ].join("\n"),
    );
  });

  it("lists a new metro's Peering and router configs, and says the existing routers are unchanged", () => {
    const head = snapshot({
      metros: [
        ...snapshot().metros,
        metro("paris", "provisioning", [
          leg("a", "par-edge-1", { status: "provisioning", config: "paris/par-edge-1.conf" }),
          leg("b", "par-edge-2", { status: "provisioning" }),
        ]),
      ],
      resources: [...snapshot().resources, peering("paris", "provisioning", 2)],
      configs: { ...snapshot().configs, "paris/par-edge-1.conf": "hostname par-edge-1\n" },
    });
    const text = report(snapshot(), head);
    expect(text).toContain(
      "**metros added: paris (provisioning) · Azure: 1 to add, 0 to change, 0 to remove · router configs: 1 new, 0 changed, 0 removed, 2 unchanged · policies: pass (10 run, 0 advisory)**\n",
    );
    expect(text).toContain(
      "| | resource | type | what |\n| --- | --- | --- | --- |\n| + | `sp-paris-peering` | `Peering` | Paris, 2 connections, metro paris provisioning |\n\nUnchanged: 1 resource.\n",
    );
    expect(text).toContain(
      "<details open><summary><b>new</b> <code>paris/par-edge-1.conf</code> (par-edge-1, frr): +1 −0</summary>\n\n```diff\n--- /dev/null\n+++ b/paris/par-edge-1.conf\n@@ -0,0 +1,1 @@\n+hostname par-edge-1\n```\n\n</details>\n",
    );
    expect(text).toContain("No router config yet: par-edge-2 (paris leg b, provisioning).");
    expect(text).toContain("Unchanged: 2 router configs (`amsterdam/ams-edge-1.conf`, `amsterdam/ams-edge-2.conf`).\n");
  });

  it("lists changed properties, what replaces the resource, options, and removed resources with their protection", () => {
    const base = snapshot({
      resources: [
        peering("amsterdam", "active", 2),
        peering("london", "decommissioned", 2, { options: { ...NO_OPTIONS, retainOnDelete: true } }),
        {
          type: "azure-native:peering:PeerAsn",
          name: "sp-as64500",
          inputs: { peerAsnName: "as64500", peerAsn: 64500, peerName: "Example" },
          options: { ...NO_OPTIONS, protect: true, ignoreChanges: ["peerName"] },
        },
      ],
    });
    const moved = peering("amsterdam", "maintenance", 2);
    moved.inputs.location = "northeurope";
    const head = snapshot({
      resources: [
        { ...moved, options: { ...NO_OPTIONS, protect: true } },
        { ...base.resources[2], inputs: { ...base.resources[2].inputs, peerName: "Example Networks" } },
      ],
    });
    const text = report(base, head);
    expect(text).toContain(
      "| ~ | `sp-as64500` | `PeerAsn` | 1 property changed |\n| ~ | `sp-amsterdam-peering` | `Peering` | 2 properties changed, **replaced** |\n| − | `sp-london-peering` | `Peering` | London, 2 connections, metro london decommissioned; retained on delete: Pulumi forgets it, Azure keeps it |\n",
    );
    expect(text).toContain(
      [
        "**~ `sp-amsterdam-peering`** (`azure-native:peering:Peering`)",
        "",
        "Pulumi **replaces** it: `location` names the Azure resource or is taken only at its creation. It is protected: `pulumi up` refuses until the protection is lifted.",
        "",
        "| property | base | this change |",
        "| --- | --- | --- |",
        '| `location` (replaces) | (none) | `"northeurope"` |',
        '| `tags.status` | `"active"` | `"maintenance"` |',
        "",
      ].join("\n"),
    );
    expect(text).toContain(
      'Never sent to Azure (`ignoreChanges`): `peerName`.\n\n| property | base | this change |\n| --- | --- | --- |\n| `peerName` (ignored) | `"Example"` | `"Example Networks"` |\n',
    );
  });

  it("marks a policy result new, and lists those the change resolves; a failing plan says FAIL", () => {
    const v = (policy: string, level: "advisory" | "mandatory", message: string) => ({
      policy,
      level,
      resource: "sp-amsterdam-peering",
      message,
    });
    const base = snapshot({ policies: { ran: 10, violations: [v("nearest-edge", "advisory", "far | away")] } });
    const head = snapshot({ policies: { ran: 10, violations: [v("local-redundancy", "mandatory", "one leg")] } });
    const text = report(base, head);
    expect(text).toContain(
      "This change: FAIL, 1 mandatory violation (10 run, 0 advisory); base: pass (10 run, 1 advisory).",
    );
    expect(text).toContain(
      "| mandatory | `local-redundancy` | `sp-amsterdam-peering` | one leg | **new** |\n\nResolved by this change (1 violation):\n\n| level | policy | resource | message | since base |\n| --- | --- | --- | --- | --- |\n| advisory | `nearest-edge` | `sp-amsterdam-peering` | far \\| away | resolved |\n",
    );
  });

  it("reports the change's inventory problems, a base that could not be planned, and a stale lock", () => {
    const text = report(
      snapshot({ problems: ["stacks/lab/sp.yaml:1 asn: bad. Fix: good"], metros: [], resources: [], configs: {} }),
      snapshot({ newAllocations: ["ipv4 paris/a 192.0.2.10/31"] }),
    );
    expect(text).toContain(
      "> The plan of the base (`main`) did not succeed (1 problem): everything below is compared with nothing. stacks/lab/sp.yaml:1 asn: bad. Fix: good\n",
    );
    expect(text).toContain(
      "> The allocation lock is out of date: 1 new allocation (ipv4 paris/a 192.0.2.10/31). Run `npm run plan -- --stack lab` and commit `stacks/lab/allocations.lock.yaml` with the change.\n",
    );
    const failing = report(snapshot(), {
      ...snapshot(),
      problems: ["stacks/lab/metros/x.yaml:3 legs: bad. Fix: good"],
      policies: undefined,
    });
    expect(failing).toContain(
      "### The plan of this change fails: 1 problem\n\nNothing of this change can be planned until they are fixed; each names the file, the field and the fix.\n\n```\nstacks/lab/metros/x.yaml:3 legs: bad. Fix: good\n```\n",
    );
  });

  it("gives the same bytes whatever order the snapshots list things in", () => {
    const head = snapshot({
      metros: [metro("paris", "requested", [leg("b", "par-edge-2"), leg("a", "par-edge-1")]), ...snapshot().metros],
      resources: [peering("paris", "requested", 2), ...snapshot().resources],
      policies: {
        ran: 10,
        violations: [
          { policy: "b", level: "advisory", message: "2" },
          { policy: "a", level: "advisory", message: "1" },
        ],
      },
    });
    const reversed: PlanSnapshot = {
      ...head,
      metros: [...head.metros].reverse(),
      resources: [...head.resources].reverse(),
      policies: { ran: 10, violations: [...(head.policies?.violations ?? [])].reverse() },
      configs: Object.fromEntries(Object.entries(head.configs).reverse()),
    };
    expect(report(snapshot(), reversed)).toBe(report(snapshot(), head));
  });

  it("fits a comment: the largest config diff goes first, then the inputs of new resources, each saying so", () => {
    const big = (n: number) => Array.from({ length: n }, (_, i) => `line ${i}`).join("\n") + "\n";
    const head = snapshot({
      configs: { "amsterdam/ams-edge-1.conf": big(400), "amsterdam/ams-edge-2.conf": big(40) },
      resources: [...snapshot().resources, peering("paris", "requested", 2)],
    });
    const full = report(snapshot(), head);
    const fitted = report(snapshot(), head, full.length - 100);
    expect(fitted.length).toBeLessThanOrEqual(full.length - 100);
    expect(fitted).toContain(
      "- changed `amsterdam/ams-edge-1.conf` (ams-edge-1, frr): +400 −4; the diff is left out to fit a comment (see the job summary).",
    );
    expect(fitted).toContain("<code>amsterdam/ams-edge-2.conf</code>");
    expect(fitted).toContain("```yaml");
    const tiny = report(snapshot(), head, 800);
    expect(tiny.length).toBeLessThanOrEqual(800);
    expect(tiny).toMatch(/… \(cut to fit a comment: the whole report is in the job summary\)\n$/);
  });
});

describe("the diagram", () => {
  it("draws each metro with its routers, Microsoft's edge and the legs, the change's marks as classes", () => {
    const base = snapshot({
      metros: [...snapshot().metros, metro("london", "active", [leg("a", "lon-edge-1"), leg("b", "lon-edge-2")])],
      resources: [...snapshot().resources, peering("london", "active", 2)],
    });
    const head = snapshot({
      metros: [
        metro("amsterdam", "active", [
          leg("a", "ams-edge-1", { config: "amsterdam/ams-edge-1.conf", drain: true }),
          leg("b", "ams-edge-2", { config: "amsterdam/ams-edge-2.conf" }),
        ]),
        metro("paris", "requested", [
          leg("a", "par-edge-1", { status: "requested" }),
          leg("b", "par-edge-2", { status: "requested" }),
        ]),
      ],
      resources: [...snapshot().resources, peering("paris", "requested", 2)],
    });
    expect(mermaidLines(comparePlans(base, head).topology)).toEqual([
      "flowchart LR",
      '  subgraph metro_amsterdam["amsterdam: Amsterdam, active"]',
      '    router_ams_edge_1["ams-edge-1<br/>frr"]',
      '    router_ams_edge_2["ams-edge-2<br/>frr"]',
      "  end",
      '  microsoft_amsterdam{{"Microsoft AS8075<br/>Amsterdam"}}',
      '  router_ams_edge_1 ---|"a: 2x100G=200G, active, drained"| microsoft_amsterdam',
      '  router_ams_edge_2 ---|"b: 2x100G=200G, active"| microsoft_amsterdam',
      '  subgraph metro_london["london: London, active"]',
      '    router_lon_edge_1["lon-edge-1<br/>frr"]',
      '    router_lon_edge_2["lon-edge-2<br/>frr"]',
      "  end",
      '  microsoft_london{{"Microsoft AS8075<br/>London"}}',
      '  router_lon_edge_1 ---|"a: 2x100G=200G, active"| microsoft_london',
      '  router_lon_edge_2 ---|"b: 2x100G=200G, active"| microsoft_london',
      '  subgraph metro_paris["paris: Paris, requested"]',
      '    router_par_edge_1["par-edge-1<br/>frr"]',
      '    router_par_edge_2["par-edge-2<br/>frr"]',
      "  end",
      '  microsoft_paris{{"Microsoft AS8075<br/>Paris"}}',
      '  router_par_edge_1 ---|"a: 2x100G=200G, requested"| microsoft_paris',
      '  router_par_edge_2 ---|"b: 2x100G=200G, requested"| microsoft_paris',
      "  classDef added fill:#dafbe1,stroke:#1a7f37,color:#1f2328",
      "  classDef changed fill:#fff8c5,stroke:#9a6700,color:#1f2328",
      "  classDef removed fill:#ffebe9,stroke:#cf222e,color:#1f2328,stroke-dasharray:4 3",
      "  class router_par_edge_1,router_par_edge_2,microsoft_paris added",
      "  class router_ams_edge_1 changed",
      "  class router_lon_edge_1,router_lon_edge_2,microsoft_london removed",
      "  style metro_amsterdam stroke:#9a6700,stroke-width:2px",
      "  style metro_london stroke:#cf222e,stroke-width:2px,stroke-dasharray:4 3",
      "  style metro_paris stroke:#1a7f37,stroke-width:2px",
      "  linkStyle 4,5 stroke:#1a7f37,stroke-width:3px",
      "  linkStyle 0 stroke:#9a6700,stroke-width:3px",
      "  linkStyle 2,3 stroke:#cf222e,stroke-width:3px,stroke-dasharray:4 3",
    ]);
  });

  it("escapes a quote in a label", () => {
    const head = snapshot({ metros: [{ ...snapshot().metros[0], peeringLocation: 'Say "hi"' }] });
    expect(mermaidLines(comparePlans(head, head).topology)[1]).toBe(
      '  subgraph metro_amsterdam["amsterdam: Say #quot;hi#quot;, active"]',
    );
  });
});
