import { parseInventory } from "../../load/load";
import { VENDORS } from "../../vendors";
import { formatProblem } from "../../load/problem";
import { edit, labFiles, lineOf, withMetro } from "../support/stack";

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
    expect(r.value.metros.map((m) => m.legs.map((l) => l.vendor))).toEqual([["frr", "iosxr"], ["junos", "frr"], ["bird", "eos"]]);
    expect(lon.legs[0]).toMatchObject({ hostname: "lon-edge-1", vendor: "bird", lacpRate: "fast", drain: false, source: { file: "stacks/lab/metros/london.yaml", line: 9, field: "legs[0]" } });
  });

  // Each bad input gives one exact, clickable problem: file:line field: what. Fix: how.
  it.each([
    [
      "a typo'd field, with a suggestion",
      AMS, "    interface: bond-msft", "    interfase: bond-msft",
      [
        `stacks/lab/metros/amsterdam.yaml:${lineOf("amsterdam.yaml", "- name: a")} legs[0].interface: is required but missing. Fix: add \`interface:\` here`,
        `stacks/lab/metros/amsterdam.yaml:${lineOf("amsterdam.yaml", "interface: bond-msft")} legs[0].interfase: is not a known field. Fix: did you mean \`interface\`? (allowed here: name, router, interface, members, lacpRate, description, sessionPrefixes, md5KeySecret, drain, maxPrefix)`,
      ],
    ],
    [
      "a newline smuggled into a description",
      FRA, "description: MAPS Frankfurt leg b via DE-CIX cross-connect XC-4711", 'description: "MAPS Frankfurt\\nrouter bgp 1"',
      [
        `stacks/lab/metros/frankfurt.yaml:${lineOf("frankfurt.yaml", "description: MAPS Frankfurt")} legs[1].description: value "MAPS Frankfurt\\nrouter bgp 1" contains a newline, which is not allowed here. Fix: use at most 80 characters of letters, digits, spaces and . _ , : / ( ) + @ = - (no newlines, quotes, ; ! { } #), not starting or ending with a space`,
      ],
    ],
    [
      "a wrong type",
      AMS, "peeringDbFacilityId: 18", "peeringDbFacilityId: eighteen",
      [`stacks/lab/metros/amsterdam.yaml:${lineOf("amsterdam.yaml", "peeringDbFacilityId")} peeringDbFacilityId: must be integer. Fix: write the PeeringDB facility id (the number in peeringdb.com/fac/<id>)`],
    ],
    [
      "an unknown vendor",
      AMS, "vendor: iosxr", "vendor: ios-xr",
      [`stacks/lab/metros/amsterdam.yaml:${lineOf("amsterdam.yaml", "vendor: iosxr")} legs[1].router.vendor: is "ios-xr", not one of ${VENDORS.map((v) => `"${v}"`).join(", ")}. Fix: use one of the supported platforms: ${VENDORS.join(", ")}`],
    ],
    [
      "an ASN written with its AS prefix",
      "sp.yaml", "asn: 64500", "asn: AS64500",
      [`stacks/lab/sp.yaml:${lineOf("sp.yaml", "asn: 64500")} asn: must be integer. Fix: write the AS number as a plain integer between 1 and 4294967295 (asplain), without the AS prefix`],
    ],
    [
      "broken YAML",
      AMS, "legs:\n", "legs:\n   - [\n",
      [`stacks/lab/metros/amsterdam.yaml:${lineOf("amsterdam.yaml", "- name: a") + 1}: is not valid YAML: Flow sequence in block collection must be sufficiently indented and end with a ]. Fix: correct the YAML syntax at that line (indentation, a missing colon, or a duplicated key)`],
    ],
  ])("%s", (_name, file, from, to, expected) => {
    expect(problemsOf(edit(labFiles(), file, from, to))).toEqual(expected);
  });

  it.each([
    ["gtsm left out: on by default", (f: ReturnType<typeof labFiles>) => edit(f, "sp.yaml", /\ngtsm: true\n/, "\n"), true],
    ["gtsm: false", (f: ReturnType<typeof labFiles>) => edit(f, "sp.yaml", "gtsm: true", "gtsm: false"), false],
  ])("reads the SP's GTSM setting: %s", (_name, change, expected) => {
    const r = parseInventory(change(labFiles()));
    if (!r.ok) throw new Error(r.problems.map(formatProblem).join("\n"));
    expect(r.value.sp.gtsm).toBe(expected);
  });

  it("fills in every default from the JSON Schemas when sp.yaml leaves the optional settings out", () => {
    const minimal = [/\nmaxPrefix:\n(  .*\n)+/, /\nadvertisedMaxPrefix:\n(  .*\n)+/, /\nbfd:\n(  .*\n)+/, /\ndefaultVendor: frr\n/, /\ngtsm: true\n/, /\nregions:\n(  .*\n)+/].reduce(
      (files, section) => edit(files, "sp.yaml", section, "\n"),
      labFiles(),
    );
    const r = parseInventory(minimal);
    if (!r.ok) throw new Error(r.problems.map(formatProblem).join("\n"));
    expect(r.value.sp).toMatchObject({
      maxPrefix: { ipv4: 1000, ipv6: 500, warningPercent: 90, action: "restart", restartMinutes: 30 },
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
    expect(r.value.sp.maxPrefix).toEqual({ ipv4: 2000, ipv6: 500, warningPercent: 90, action: "restart", restartMinutes: 30 });
  });

  it("reads drain: true on a leg, false where it is left out", () => {
    const r = parseInventory(edit(labFiles(), FRA, "    md5KeySecret: md5-fra-b\n", "    md5KeySecret: md5-fra-b\n    drain: true\n"));
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
    ["drain", FRA, "    md5KeySecret: md5-fra-b\n", "    md5KeySecret: md5-fra-b\n    drain: yes please\n", "legs[1].drain: must be boolean. Fix: write true to drain the leg before maintenance, false (or leave it out) otherwise", "drain: yes please"],
    ["gtsm", "sp.yaml", "gtsm: true", "gtsm: maybe", "gtsm: must be boolean. Fix: write true or false", "gtsm: maybe"],
  ])("rejects a %s flag that is not true or false", (_name, file, from, to, message, at) => {
    const files = edit(labFiles(), file, from, to);
    const problems = problemsOf(files);
    const path = file === "sp.yaml" ? "stacks/lab/sp.yaml" : "stacks/lab/metros/frankfurt.yaml";
    expect(problems).toEqual([`${path}:${lineOf(file, at, files)} ${message}`]);
  });

  it("rejects a duplicated key", () => {
    const problems = problemsOf(edit(labFiles(), AMS, "region: europe-west", "region: europe-west\nregion: europe-east"));
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(new RegExp(`^stacks/lab/metros/amsterdam\\.yaml:${lineOf("amsterdam.yaml", "region:") + 1}: is not valid YAML: Map keys must be unique`));
  });

  it("rejects a metro file name that is not a metro id", () => {
    const problems = problemsOf(withMetro(labFiles(), "New York", "peeringLocation: New York\n"));
    expect(problems).toEqual([
      'stacks/lab/metros/New York.yaml: the file name gives metro id "New York", which is not a valid metro id. Fix: rename the file to the metro\'s id in lower-case letters, digits and dashes, e.g. amsterdam.yaml',
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
    const problems = problemsOf(edit(labFiles(), FRA, "description: MAPS Frankfurt leg b via DE-CIX cross-connect XC-4711", `description: "${value}"`));
    expect(problems).toHaveLength(1);
    const line = lineOf("frankfurt.yaml", "description:");
    expect(problems[0].startsWith(`stacks/lab/metros/frankfurt.yaml:${line} legs[1].description: value "`)).toBe(true);
    expect(problems[0]).toMatch(/^[^\n\u2028]*"( contains [^,]+, which)? (is not allowed here|is longer than the 80 characters allowed)\. Fix: use at most 80 characters/);
  });

  it("collects problems from every file at once", () => {
    let files = edit(labFiles(), AMS, "region: europe-west", "region: Europe West");
    files = edit(files, "sp.yaml", "asn: 64500", "asn: 0");
    const problems = problemsOf(files);
    expect(problems.map((p) => p.split(":")[0])).toEqual(["stacks/lab/sp.yaml", "stacks/lab/metros/amsterdam.yaml"]);
  });
});
