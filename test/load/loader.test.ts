import { parseInventory } from "../../load/load";
import { VENDORS } from "../../vendors";
import { formatProblem } from "../../load/problem";
import { edit, labFiles, lineOf, withLock, withMetro } from "../support/stack";

const AMS = "metros/amsterdam.yaml";
const FRA = "metros/frankfurt.yaml";

function problemsOf(files: ReturnType<typeof labFiles>): string[] {
  const r = parseInventory(files);
  if (r.ok) throw new Error("expected the inventory to be rejected");
  return r.problems.map(formatProblem);
}

describe("loader", () => {
  it("loads the lab stack with defaults filled in", () => {
    const r = parseInventory(labFiles());
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value.metros.map((m) => m.id)).toEqual(["amsterdam", "frankfurt", "london"]);
    const lon = r.value.metros[2];
    expect(lon.status).toBe("active");
    expect(r.value.sp.gtsm).toBe(true);
    expect(r.value.metros.map((m) => m.legs.map((l) => l.vendor))).toEqual([
      ["frr", "iosxr"],
      ["junos", "frr"],
      ["bird", "eos"],
    ]);
    expect(lon.legs[0]).toMatchObject({
      hostname: "lon-edge-1",
      vendor: "bird",
      lacpRate: "fast",
      drain: false,
      source: { file: "stacks/lab/metros/london.yaml", line: lineOf("london.yaml", "- name: a"), field: "legs[0]" },
    });
  });

  // Each bad input gives one exact, clickable problem: file:line field: what. Fix: how.
  it.each([
    [
      "a typo'd field, with a suggestion",
      AMS,
      "    interface: bond-msft",
      "    interfase: bond-msft",
      [
        `stacks/lab/metros/amsterdam.yaml:${lineOf("amsterdam.yaml", "- name: a")} legs[0].interface: is required but missing. Fix: add \`interface:\` here`,
        `stacks/lab/metros/amsterdam.yaml:${lineOf("amsterdam.yaml", "interface: bond-msft")} legs[0].interfase: is not a known field. Fix: did you mean \`interface\`? (allowed here: name, router, interface, members, lacpRate, description, sessionPrefixes, md5, md5KeySecret, status, drain, maxPrefix)`,
      ],
    ],
    [
      "a newline smuggled into a description",
      FRA,
      "description: MAPS Frankfurt leg b via DE-CIX cross-connect XC-4711",
      'description: "MAPS Frankfurt\\nrouter bgp 1"',
      [
        `stacks/lab/metros/frankfurt.yaml:${lineOf("frankfurt.yaml", "description: MAPS Frankfurt")} legs[1].description: value "MAPS Frankfurt\\nrouter bgp 1" contains a newline, which is not allowed here. Fix: use at most 80 characters of letters, digits, spaces and . _ , : / ( ) + @ = - (no newlines, quotes, ; ! { } #), not starting or ending with a space`,
      ],
    ],
    [
      "a wrong type",
      AMS,
      "peeringDbFacilityId: 18",
      "peeringDbFacilityId: eighteen",
      [
        `stacks/lab/metros/amsterdam.yaml:${lineOf("amsterdam.yaml", "peeringDbFacilityId")} peeringDbFacilityId: must be integer. Fix: write the PeeringDB facility id (the number in peeringdb.com/fac/<id>)`,
      ],
    ],
    [
      "an unknown vendor",
      AMS,
      "vendor: iosxr",
      "vendor: ios-xr",
      [
        `stacks/lab/metros/amsterdam.yaml:${lineOf("amsterdam.yaml", "vendor: iosxr")} legs[1].router.vendor: is "ios-xr", not one of ${VENDORS.map((v) => `"${v}"`).join(", ")}. Fix: use one of the supported platforms: ${VENDORS.join(", ")}`,
      ],
    ],
    [
      "an ASN written with its AS prefix",
      "sp.yaml",
      "asn: 64500",
      "asn: AS64500",
      [
        `stacks/lab/sp.yaml:${lineOf("sp.yaml", "asn: 64500")} asn: must be integer. Fix: write the AS number as a plain integer between 1 and 4294967295 (asplain), without the AS prefix`,
      ],
    ],
    [
      "broken YAML",
      AMS,
      "legs:\n",
      "legs:\n   - [\n",
      [
        `stacks/lab/metros/amsterdam.yaml:${lineOf("amsterdam.yaml", "- name: a") + 1}: is not valid YAML: Flow sequence in block collection must be sufficiently indented and end with a ]. Fix: correct the YAML syntax at that line (indentation, a missing colon, or a duplicated key)`,
      ],
    ],
    [
      "a metro file without status (written before the lifecycle): a migration that names the choice",
      AMS,
      "status: active\n",
      "",
      [
        `stacks/lab/metros/amsterdam.yaml:${lineOf("amsterdam.yaml", "peeringLocation:")} status: is required but missing. Fix: add \`status:\` here: write \`status: active\` if Microsoft reports this metro's connections Active (what a metro file without status meant before), else planned, requested or provisioning (README, Metro lifecycle)`,
      ],
    ],
    [
      "a status that is no lifecycle state",
      AMS,
      "status: active",
      "status: live",
      [
        `stacks/lab/metros/amsterdam.yaml:${lineOf("amsterdam.yaml", "status: active")} status: is "live", not one of "planned", "requested", "provisioning", "active", "maintenance", "decommissioned". Fix: use planned, requested, provisioning, active, maintenance or decommissioned (README, Metro lifecycle)`,
      ],
    ],
    [
      "a leg in maintenance (that is drain: true)",
      AMS,
      "  - name: b\n",
      "  - name: b\n    status: maintenance\n",
      [
        `stacks/lab/metros/amsterdam.yaml:${lineOf("amsterdam.yaml", "- name: b") + 1} legs[1].status: is "maintenance", not one of "planned", "requested", "provisioning", "active", "decommissioned". Fix: use planned, requested, provisioning, active or decommissioned; for maintenance of one leg write \`drain: true\``,
      ],
    ],
    [
      "an MD5 key the old way (md5KeySecret): a migration to md5 with Microsoft's agreement",
      FRA,
      "    md5:\n      keySecret: md5-fra-b\n      agreement: LAB ONLY - no Microsoft agreement - keeps MD5 proven in the FRR lab\n",
      "    md5KeySecret: md5-fra-b\n",
      [
        `stacks/lab/metros/frankfurt.yaml:${lineOf("frankfurt.yaml", "md5:")} legs[1].md5KeySecret: is replaced by \`md5: { keySecret, agreement }\`: Microsoft's peering policy says MD5 isn't supported, so a key is an exception Microsoft agrees to, and the inventory records where. Fix: write \`md5: { keySecret: md5-fra-b, agreement: <ticket or e-mail of Microsoft's agreement> }\`, or remove the key`,
      ],
    ],
    [
      "an MD5 key without Microsoft's agreement",
      FRA,
      "      agreement: LAB ONLY - no Microsoft agreement - keeps MD5 proven in the FRR lab\n",
      "",
      [
        `stacks/lab/metros/frankfurt.yaml:${lineOf("frankfurt.yaml", "keySecret: md5-fra-b")} legs[1].md5.agreement: is required but missing. Fix: add \`agreement:\` here: record where Microsoft agreed to the key (a ticket, an e-mail's date and sender), since its peering policy says MD5 isn't supported; or remove md5`,
      ],
    ],
    [
      "a 400G port (Microsoft's policy asks for 100G)",
      AMS,
      "{ interface: ens1f0, speedGbps: 100 }",
      "{ interface: ens1f0, speedGbps: 400 }",
      [
        `stacks/lab/metros/amsterdam.yaml:${lineOf("amsterdam.yaml", "interface: ens1f0")} legs[0].members[0].speedGbps: is 400, not one of 10, 100. Fix: Microsoft's peering policy asks for 100 Gbit/s ports (an older partner FAQ accepts 10): use 100, or 10 (noted by the microsoft-exceptions policy)`,
      ],
    ],
    [
      "a peer name with a digit (Microsoft documents only a-z, A-Z and spaces)",
      "sp.yaml",
      "name: Example Networks Lab",
      "name: Example Networks Lab 2",
      [
        `stacks/lab/sp.yaml:${lineOf("sp.yaml", "name: Example")} name: value "Example Networks Lab 2" is not allowed here. Fix: write the company name as Microsoft documents peerName: only a-z, A-Z and spaces (no digits or punctuation), as close as possible to the PeeringDB profile`,
      ],
    ],
    [
      "a PeerAsn state Azure does not have",
      "sp.yaml",
      "validationState: Approved",
      "validationState: Validated",
      [
        `stacks/lab/sp.yaml:${lineOf("sp.yaml", "validationState")} peerAsn.validationState: is "Validated", not one of "None", "Pending", "Approved", "Failed". Fix: copy the ValidationState Azure shows for the PeerAsn: None, Pending, Approved or Failed`,
      ],
    ],
  ])("%s", (_name, file, from, to, expected) => {
    expect(problemsOf(edit(labFiles(), file, from, to))).toEqual(expected);
  });

  it.each([
    [
      "gtsm left out: on by default",
      (f: ReturnType<typeof labFiles>) => edit(f, "sp.yaml", /\ngtsm: true\n/, "\n"),
      true,
    ],
    ["gtsm: false", (f: ReturnType<typeof labFiles>) => edit(f, "sp.yaml", "gtsm: true", "gtsm: false"), false],
  ])("reads the SP's GTSM setting: %s", (_name, change, expected) => {
    const r = parseInventory(change(labFiles()));
    if (!r.ok) throw new Error(r.problems.map(formatProblem).join("\n"));
    expect(r.value.sp.gtsm).toBe(expected);
  });

  it("fills in every default from the JSON Schemas when sp.yaml leaves the optional settings out", () => {
    const minimal = [
      /\nmaxPrefix:\n(  .*\n)+/,
      /\nadvertisedMaxPrefix:\n(  .*\n)+/,
      /\nbfd:\n(  .*\n)+/,
      /\ndefaultVendor: frr\n/,
      /\ngtsm: true\n/,
      /\nregions:\n(  .*\n)+/,
    ].reduce((files, section) => edit(files, "sp.yaml", section, "\n"), labFiles());
    const r = parseInventory(minimal);
    if (!r.ok) throw new Error(r.problems.map(formatProblem).join("\n"));
    expect(r.value.sp).toMatchObject({
      // Microsoft's peering policy recommends 2000 (IPv4) and 500 (IPv6).
      maxPrefix: { ipv4: 2000, ipv6: 500, warningPercent: 90, action: "restart", restartMinutes: 30 },
      advertisedMaxPrefix: { ipv4: 100, ipv6: 100 },
      bfd: { intervalMs: 300, multiplier: 3 },
      defaultVendor: "frr",
      gtsm: true,
      regions: [],
      sessionAddressProvider: "Peer",
    });
  });

  it("takes a partly given setting's other fields from the schema's defaults", () => {
    const r = parseInventory(edit(labFiles(), "sp.yaml", /\nmaxPrefix:\n(  .*\n)+/, "\nmaxPrefix:\n  ipv4: 2000\n"));
    if (!r.ok) throw new Error(r.problems.map(formatProblem).join("\n"));
    expect(r.value.sp.maxPrefix).toEqual({
      ipv4: 2000,
      ipv6: 500,
      warningPercent: 90,
      action: "restart",
      restartMinutes: 30,
    });
  });

  it("reads drain: true on a leg, false where it is left out", () => {
    const r = parseInventory(
      edit(
        labFiles(),
        FRA,
        "    description: MAPS Frankfurt leg b via DE-CIX cross-connect XC-4711\n",
        "    description: MAPS Frankfurt leg b via DE-CIX cross-connect XC-4711\n    drain: true\n",
      ),
    );
    if (!r.ok) throw new Error(r.problems.map(formatProblem).join("\n"));
    expect(r.value.metros.flatMap((m) => m.legs.map((l) => `${m.id}/${l.name} ${String(l.drain)}`))).toEqual([
      "amsterdam/a false",
      "amsterdam/b false",
      "frankfurt/a false",
      "frankfurt/b true",
      "london/a false",
      "london/b false",
    ]);
  });

  it.each([
    [
      "drain",
      FRA,
      "    description: MAPS Frankfurt leg b via DE-CIX cross-connect XC-4711\n",
      "    description: MAPS Frankfurt leg b via DE-CIX cross-connect XC-4711\n    drain: yes please\n",
      "legs[1].drain: must be boolean. Fix: write true to drain the leg before maintenance, false (or leave it out) otherwise",
      "drain: yes please",
    ],
    ["gtsm", "sp.yaml", "gtsm: true", "gtsm: maybe", "gtsm: must be boolean. Fix: write true or false", "gtsm: maybe"],
  ])("rejects a %s flag that is not true or false", (_name, file, from, to, message, at) => {
    const files = edit(labFiles(), file, from, to);
    const problems = problemsOf(files);
    const path = file === "sp.yaml" ? "stacks/lab/sp.yaml" : "stacks/lab/metros/frankfurt.yaml";
    expect(problems).toEqual([`${path}:${lineOf(file, at, files)} ${message}`]);
  });

  it("rejects a duplicated key", () => {
    const problems = problemsOf(
      edit(labFiles(), AMS, "region: europe-west", "region: europe-west\nregion: europe-east"),
    );
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(
      new RegExp(
        `^stacks/lab/metros/amsterdam\\.yaml:${lineOf("amsterdam.yaml", "region:") + 1}: is not valid YAML: Map keys must be unique`,
      ),
    );
  });

  it("rejects a metro file name that is not a metro id", () => {
    const problems = problemsOf(withMetro(labFiles(), "New York", "peeringLocation: New York\n"));
    expect(problems).toEqual([
      'stacks/lab/metros/New York.yaml: the file name gives metro id "New York", which is not a valid metro id. Fix: rename the file to the metro\'s id in lower-case letters, digits and dashes, e.g. amsterdam.yaml',
    ]);
  });

  it("rejects a second metro file with the same id (amsterdam.yml beside amsterdam.yaml)", () => {
    const files = labFiles();
    const ams = files.metros.find((m) => m.file.endsWith(AMS));
    if (ams === undefined) throw new Error("the lab stack has no amsterdam.yaml");
    const problems = problemsOf({
      ...files,
      metros: [...files.metros, { ...ams, file: ams.file.replace(/\.yaml$/, ".yml") }],
    });
    expect(problems).toEqual([
      'stacks/lab/metros/amsterdam.yml: the file name gives metro id "amsterdam", which stacks/lab/metros/amsterdam.yaml gives already. Fix: keep one file per metro: merge the two into stacks/lab/metros/amsterdam.yaml and remove this one, or rename one of them',
    ]);
  });

  it.each([
    ["a tab", "MAPS\tleg"],
    ["a semicolon", "MAPS; delete"],
    ["a closing brace", "MAPS }"],
    ["a bang", "MAPS ! comment"],
    ["a quote", 'MAPS \\" x'],
    ["a unicode line separator", "MAPS\\u2028leg"],
    ["an over-long text", "x".repeat(81)],
  ])("rejects a description with %s", (_n, value) => {
    const problems = problemsOf(
      edit(
        labFiles(),
        FRA,
        "description: MAPS Frankfurt leg b via DE-CIX cross-connect XC-4711",
        `description: "${value}"`,
      ),
    );
    expect(problems).toHaveLength(1);
    const line = lineOf("frankfurt.yaml", "description:");
    expect(problems[0].startsWith(`stacks/lab/metros/frankfurt.yaml:${line} legs[1].description: value "`)).toBe(true);
    expect(problems[0]).toMatch(
      /^[^\n\u2028]*"( contains [^,]+, which)? (is not allowed here|is longer than the 80 characters allowed)\. Fix: use at most 80 characters/,
    );
  });

  it("collects problems from every file at once", () => {
    let files = edit(labFiles(), AMS, "region: europe-west", "region: Europe West");
    files = edit(files, "sp.yaml", "asn: 64500", "asn: 0");
    const problems = problemsOf(files);
    expect(problems.map((p) => p.split(":")[0])).toEqual(["stacks/lab/sp.yaml", "stacks/lab/metros/amsterdam.yaml"]);
  });
});

describe("the allocation lock and hostile YAML", () => {
  const LOCK = "stacks/lab/allocations.lock.yaml";
  const FIX = `restore it from git (\`git checkout -- ${LOCK}\`, or from the last good commit), or delete the file to allocate afresh (every leg and registration is then allocated anew: check the plan before you commit)`;

  it.each([
    ["empty", ""],
    [
      "only comments (truncated in a merge)",
      "# yaml-language-server: $schema=../../schema/lock.schema.json\n# Written by `npm run plan`.\n",
    ],
    ["whitespace", "\n\n   \n"],
  ])("an %s lock is an error naming the file and both fixes", (_name, text) => {
    expect(problemsOf(withLock(labFiles(), text))).toEqual([
      `${LOCK}:1: is empty: the allocation lock holds no allocation. Fix: ${FIX}`,
    ]);
  });

  it("an unparsable lock names the file, the line and both fixes", () => {
    const problems = problemsOf(withLock(labFiles(), "ipv4:\n  amsterdam/a: [192.0.2.0/31\n"));
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(new RegExp(`^${LOCK}:\\d+: is not valid YAML: .*Fix: .*; or restore it from git`));
  });

  it("a lock that is a scalar is an error", () => {
    expect(problemsOf(withLock(labFiles(), "just text\n"))).toEqual([
      `${LOCK}:1: is not a mapping of allocations. Fix: ${FIX}`,
    ]);
  });

  it("a YAML alias bomb is an input error naming its file, not an internal error", () => {
    const bomb = [
      "a: &a [x, x, x, x, x, x, x, x, x, x]",
      "b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]",
      "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]",
      "d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]",
      "e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d]",
      "",
    ].join("\n");
    const files = labFiles();
    for (const target of ["sp", "lock"] as const) {
      const bombed = target === "sp" ? { ...files, sp: { ...files.sp, text: bomb } } : withLock(files, bomb);
      const file = target === "sp" ? "stacks/lab/sp.yaml" : LOCK;
      expect(problemsOf(bombed)).toContain(
        `${file}:1: expands YAML aliases (*name) more than 100 times, which a hand-written inventory never does (an alias bomb). Fix: write the values out instead of nesting anchors (&name) and aliases (*name)${target === "lock" ? `; or ${FIX}` : ""}`,
      );
    }
  });
});
