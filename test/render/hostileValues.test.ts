/**
 * Safe rendering, end to end: a hostile value in any free-text field of the inventory never reaches
 * a router config.
 *
 *  1. The loader rejects it, with one `file:line field` problem at that field, before anything is
 *     planned or rendered.
 *  2. Bypassing the loader (a RouterPlan built by hand), the renderer's own guard refuses it, for
 *     every vendor.
 *  3. A long but valid value never adds a line: the config has the same lines as a clean render,
 *     except that the value stands where the original stood.
 */
import { parseInventory } from "../../load/load";
import { formatProblem } from "../../load/problem";
import type { RouterPlan } from "../../plan/model";
import { createRenderer, loadTemplateSources } from "../../render";
import { VENDORS } from "../../vendors";
import { FIXTURE_ROUTERS, fixtureResolver } from "../fixtures/routerPlan";
import { edit, labFiles, lineOf } from "../support/stack";

const renderer = createRenderer(loadTemplateSources());

/** Hostile values, each appended to a valid value of the field. */
const HOSTILE: Array<[string, string]> = [
  ["a newline", "\nrouter bgp 1"],
  ["a carriage return", "\rx"],
  ["a semicolon", "; delete protocols"],
  ["a closing brace", "} protocols {"],
  ["a bang", "! x"],
  ["a double quote", '" x'],
  ["a single quote", "' x"],
  ["a hash", "# x"],
  ["NEXT LINE U+0085", "\u0085x"],
  ["LINE SEPARATOR U+2028", "\u2028x"],
  ["an over-long text", "x".repeat(300)],
];

/** A YAML double-quoted scalar that spells every character outside printable ASCII as an escape. */
function yamlQuoted(value: string): string {
  const body = [...value]
    .map((ch) => {
      if (ch === "\\") return "\\\\";
      if (ch === '"') return '\\"';
      const code = ch.charCodeAt(0);
      return code < 0x20 || code > 0x7e ? `\\u${code.toString(16).padStart(4, "0")}` : ch;
    })
    .join("");
  return `"${body}"`;
}

/** Every free-text field of the inventory: file, the line as written, the field's key and name. */
const INVENTORY_FIELDS: Array<{ name: string; file: string; line: string; key: string; field: string; valid: string }> =
  [
    {
      name: "SP name",
      file: "sp.yaml",
      line: "name: Example Networks Lab",
      key: "name",
      field: "name",
      valid: "Example Networks Lab",
    },
    {
      name: "contact e-mail",
      file: "sp.yaml",
      line: "    email: noc@example.net",
      key: "email",
      field: "contacts[0].email",
      valid: "noc@example.net",
    },
    {
      name: "contact phone",
      file: "sp.yaml",
      line: '    phone: "+1 555 0100"',
      key: "phone",
      field: "contacts[0].phone",
      valid: "+1 555 0100",
    },
    {
      name: "prefix description",
      file: "sp.yaml",
      line: "    description: Downstream customer AS64501",
      key: "description",
      field: "prefixes[1].description",
      valid: "Downstream customer AS64501",
    },
    {
      name: "Azure resource group",
      file: "sp.yaml",
      line: "  resourceGroup: rg-maps-lab",
      key: "resourceGroup",
      field: "azure.resourceGroup",
      valid: "rg-maps-lab",
    },
    {
      name: "peering location",
      file: "metros/frankfurt.yaml",
      line: "peeringLocation: Frankfurt",
      key: "peeringLocation",
      field: "peeringLocation",
      valid: "Frankfurt",
    },
    {
      name: "leg description",
      file: "metros/frankfurt.yaml",
      line: "    description: MAPS Frankfurt leg b via DE-CIX cross-connect XC-4711",
      key: "description",
      field: "legs[1].description",
      valid: "MAPS Frankfurt leg b via DE-CIX cross-connect XC-4711",
    },
    {
      name: "router platform",
      file: "metros/frankfurt.yaml",
      line: "      platform: Juniper MX304",
      key: "platform",
      field: "legs[0].router.platform",
      valid: "Juniper MX304",
    },
    {
      name: "router hostname",
      file: "metros/frankfurt.yaml",
      line: "      hostname: fra-edge-2",
      key: "hostname",
      field: "legs[1].router.hostname",
      valid: "fra-edge-2",
    },
    {
      name: "bundle interface",
      file: "metros/frankfurt.yaml",
      line: "    interface: ae0",
      key: "interface",
      field: "legs[0].interface",
      valid: "ae0",
    },
    {
      name: "member interface",
      file: "metros/london.yaml",
      line: "      - { interface: Ethernet2/1, speedGbps: 100 }",
      key: "interface",
      field: "legs[1].members[1].interface",
      valid: "Ethernet2/1",
    },
    {
      name: "MD5 secret name",
      file: "metros/frankfurt.yaml",
      line: "      keySecret: md5-fra-b",
      key: "keySecret",
      field: "legs[1].md5.keySecret",
      valid: "md5-fra-b",
    },
    {
      name: "MD5 agreement",
      file: "metros/frankfurt.yaml",
      line: "      agreement: LAB ONLY - no Microsoft agreement - keeps MD5 proven in the FRR lab",
      key: "agreement",
      field: "legs[1].md5.agreement",
      valid: "ticket 4711",
    },
  ];

describe("the loader rejects a hostile value in every free-text field, at its file:line", () => {
  const cases = INVENTORY_FIELDS.flatMap((f) => HOSTILE.map(([what, bad]) => [f.name, what, f, bad] as const));

  it.each(cases)("%s with %s", (_name, _what, f, bad) => {
    const value = yamlQuoted(`${f.valid}${bad}`);
    const written = f.line.includes("{ interface:")
      ? f.line.replace(`interface: ${f.valid}`, `interface: ${value}`)
      : f.line.replace(/: .*$/, `: ${value}`);
    const files = edit(labFiles(), f.file, f.line, written);
    const r = parseInventory(files);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    const problems = r.problems.map(formatProblem);
    expect(problems).toHaveLength(1);
    const path = `stacks/lab/${f.file}`;
    expect(problems[0].startsWith(`${path}:${lineOf(f.file, f.line)} ${f.field}: `)).toBe(true);
    expect(problems[0]).toMatch(/\. Fix: /);
    // The problem is one line, whatever the value held.
    expect(problems[0]).not.toMatch(/[\n\r\u0085\u2028]/);
  });
});

/** The free-text fields of a RouterPlan that came from the inventory, and one derived from it. */
const MODEL_FIELDS: Array<[string, (r: RouterPlan, value: string) => void]> = [
  ["spName", (r, v) => (r.spName = v)],
  ["platform", (r, v) => (r.platform = v)],
  ["legs[0].platform", (r, v) => (r.legs[0].platform = v)],
  ["legs[0].description", (r, v) => (r.legs[0].description = v)],
  ["sessions[0].description", (r, v) => (r.sessions[0] = { ...r.sessions[0], description: v })],
  ["exports.ipv4[0].description", (r, v) => (r.exports.ipv4[0].description = v)],
  ["metro.peeringLocation", (r, v) => (r.metro.peeringLocation = v)],
  ["hostname", (r, v) => (r.hostname = v)],
  ["legs[0].interface", (r, v) => (r.legs[0].interface = v)],
  ["legs[0].members[0].interface", (r, v) => (r.legs[0].members[0].interface = v)],
];

describe("bypassing the loader, the renderer's guard refuses every hostile value, for every vendor", () => {
  const cases = FIXTURE_ROUTERS.flatMap(([vendor, build]) =>
    MODEL_FIELDS.flatMap(([field, set]) =>
      HOSTILE.map(([what, bad]) => [vendor, field, what, build, set, bad] as const),
    ),
  );

  it.each(cases)("%s: %s with %s", (_vendor, field, _what, build, set, bad) => {
    const r = build();
    set(r, `Valid${bad}`);
    expect(() => renderer.render(r, fixtureResolver)).toThrow(
      new RegExp(`field ${field.replace(/[[\].]/g, "\\$&")} (contains|is \\d+ characters long).*refusing to render`),
    );
  });

  it("covers every vendor", () => expect(FIXTURE_ROUTERS.map(([v]) => v)).toEqual([...VENDORS]));
});

describe("a long but valid value never adds a line the model did not ask for", () => {
  /** Valid everywhere the loader allows free text: letters, digits, spaces and . _ , : / ( ) + @ = - */
  const LONG = "Zz9 ._,:/()+@=-".repeat(6).slice(0, 78) + "Z9";

  const FREE_TEXT: Array<[string, (r: RouterPlan) => string, (r: RouterPlan, v: string) => void]> = [
    ["spName", (r) => r.spName, (r, v) => (r.spName = v)],
    ["platform", (r) => r.platform ?? "", (r, v) => ((r.platform = v), (r.legs[0].platform = v))],
    ["legs[0].description", (r) => r.legs[0].description, (r, v) => (r.legs[0].description = v)],
    [
      "exports.ipv4[0].description",
      (r) => r.exports.ipv4[0].description ?? "",
      (r, v) => (r.exports.ipv4[0].description = v),
    ],
  ];

  const cases = FIXTURE_ROUTERS.flatMap(([vendor, build]) =>
    FREE_TEXT.map(([field, get, set]) => [vendor, field, build, get, set] as const),
  );

  it.each(cases)("%s: %s", (_vendor, _field, build, get, set) => {
    const clean = renderer.render(build(), fixtureResolver).text.split("\n");
    const original = get(build());
    expect(original.length).toBeGreaterThan(0);
    const r = build();
    set(r, LONG);
    const long = renderer.render(r, fixtureResolver).text.split("\n");
    expect(LONG).toHaveLength(80);
    expect(long).toHaveLength(clean.length);
    const changed = long.map((line, i) => [line, clean[i]] as const).filter(([a, b]) => a !== b);
    expect(changed.length).toBeGreaterThan(0);
    for (const [line, was] of changed) expect(line.split(LONG).join(original)).toBe(was);
  });
});
