import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import {
  REDACTED_SECRET,
  createRenderer,
  loadTemplateSources,
  normaliseConfigText,
  redactingResolver,
  type RenderedConfig,
  type TemplateSources,
} from "../../render";
import type { RouterPlan } from "../../plan/model";
import { SECRETS, fixtureResolver, frrRouterPlan, frrRouterPlanAt, iosxrRouterPlan } from "../fixtures/routerPlan";

const sources = loadTemplateSources();
const renderer = createRenderer(sources);
const render = (r: RouterPlan, resolve = fixtureResolver): RenderedConfig => renderer.render(r, resolve);
const lines = (text: string, re: RegExp): string[] => text.split("\n").filter((l) => re.test(l));

const ROUTERS: Array<[string, () => RouterPlan]> = [
  ["frr", frrRouterPlan],
  ["iosxr", iosxrRouterPlan],
];

describe("templates", () => {
  it("loads every vendor's entry template and the partials by <vendor>/<name>", () => {
    expect(Object.keys(sources.entries).sort()).toEqual(["frr", "iosxr"]);
    expect(Object.keys(sources.partials)).toEqual(expect.arrayContaining(["_shared/header", "frr/bgp", "iosxr/bgp"]));
  });

  it("refuses a template folder without router.hbs, or an unknown folder", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "tpl-"));
    try {
      fs.mkdirSync(path.join(dir, "frr"));
      fs.writeFileSync(path.join(dir, "frr", "router.hbs"), "x");
      expect(() => loadTemplateSources(dir)).toThrow(/iosxr\/router\.hbs/);
      fs.mkdirSync(path.join(dir, "junos"));
      expect(() => loadTemplateSources(dir)).toThrow(/junos is neither a vendor/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("is strict: a template naming a field the model does not have fails instead of rendering empty", () => {
    const broken: TemplateSources = { entries: { frr: "hostname {{hostnme}}\n", iosxr: "x\n" }, partials: {} };
    expect(() => createRenderer(broken).render(frrRouterPlan(), fixtureResolver)).toThrow(/hostnme/);
  });

  it("reports a template syntax error when the renderer is created", () => {
    const broken: TemplateSources = { entries: { frr: "{{#if x}}\n", iosxr: "x\n" }, partials: {} };
    expect(() => createRenderer(broken)).toThrow(/template frr\/router/);
  });
});

describe.each(ROUTERS)("%s config", (vendor, build) => {
  const cfg = render(build());

  it("names the file after the router", () => {
    expect(cfg.vendor).toBe(vendor);
    expect(cfg.fileName).toBe(`${cfg.hostname}.${vendor === "frr" ? "conf" : "cfg"}`);
    expect(cfg.metro).toBe(build().metro.id);
  });

  it("is deterministic: same model, byte-identical text, also from a fresh renderer", () => {
    expect(render(build()).text).toBe(cfg.text);
    expect(createRenderer(loadTemplateSources()).render(build(), fixtureResolver).text).toBe(cfg.text);
  });

  it("ends with one newline, has no trailing spaces and no runs of blank lines", () => {
    expect(cfg.text.endsWith("\n")).toBe(true);
    expect(cfg.text.endsWith("\n\n")).toBe(false);
    expect(cfg.text).not.toMatch(/[ \t]+$/m);
    expect(cfg.text).not.toMatch(/\n\s*\n\s*\n/);
    expect(normaliseConfigText(cfg.text)).toBe(cfg.text);
  });

  it("has the header: stack, hostname, SP, metro, peering location, PeeringDB facility, do not edit", () => {
    const r = build();
    const header = cfg.text.split("\n").slice(0, 8).join("\n");
    expect(header).toContain("from stack lab");
    expect(header).toMatch(/do not edit by hand/i);
    expect(header).toContain(r.hostname);
    expect(header).toContain("Contoso Lab Networks, AS64500");
    expect(header).toContain(`Azure peering location ${r.metro.peeringLocation}`);
    expect(header).toContain(`PeeringDB facility ${r.metro.peeringDbFacilityId}`);
  });

  it("puts the MD5 key only on the session that names a secret", () => {
    const r = build();
    const [withKey, withoutKey] = r.sessions;
    expect(withKey.md5KeySecret).toBeDefined();
    expect(withoutKey.md5KeySecret).toBeUndefined();
    const pw = lines(cfg.text, /password/);
    expect(pw).toHaveLength(1);
    expect(pw[0]).toContain(SECRETS[withKey.md5KeySecret ?? ""]);
    if (vendor === "frr") expect(pw[0].trim()).toBe(`neighbor ${withKey.peerAddress} password ${SECRETS[withKey.md5KeySecret ?? ""]}`);
    else expect(pw[0].trim()).toBe(`password clear ${SECRETS[withKey.md5KeySecret ?? ""]}`);
  });

  it("redacts every MD5 key with redactingResolver", () => {
    const redacted = render(build(), redactingResolver).text;
    for (const secret of Object.values(SECRETS)) expect(redacted).not.toContain(secret);
    expect(lines(redacted, /password/).map((l) => l.trim().split(" ").pop())).toEqual([REDACTED_SECRET]);
  });

  it("renders nothing for a router with no MD5 secret, without calling the resolver", () => {
    const r = build();
    r.sessions = r.sessions.map(({ md5KeySecret: _unused, ...s }) => s);
    const text = render(r, () => {
      throw new Error("resolver must not be called");
    }).text;
    expect(text).not.toMatch(/password/);
  });

  it("renders max-prefix with the action of each session", () => {
    const r = build();
    const mp = lines(cfg.text, /maximum-prefix/).map((l) => l.trim().replace(/^neighbor \S+ /, ""));
    expect(mp).toEqual(
      r.sessions.map((s) => {
        const base = `maximum-prefix ${s.maxPrefix.limit} ${s.maxPrefix.warningPercent}`;
        return s.maxPrefix.action === "restart"
          ? `${base} restart ${s.maxPrefix.restartMinutes}`
          : s.maxPrefix.action === "warning-only"
            ? `${base} warning-only`
            : base;
      }),
    );
  });

  it("never prepends and never renders `le` in the export prefix lists", () => {
    const commands = cfg.text.split("\n").filter((l) => !/^\s*[!#]/.test(l));
    expect(commands.join("\n")).not.toMatch(/prepend/);
    expect(exportPrefixLines(cfg.text).join("\n")).not.toMatch(/ (le|ge) /);
  });

  it("defines every prefix-list, as-path list and policy it refers to", () => {
    const { defined, used } = references(vendor, cfg.text);
    expect(used.size).toBeGreaterThan(0);
    expect([...used].filter((n) => !defined.has(n))).toEqual([]);
  });

  it("still renders a well-formed deny-all export when the SP has no IPv6 prefixes", () => {
    const r = build();
    r.exports.ipv6 = [];
    r.originated.ipv6 = [];
    const text = render(r).text;
    expect(text).not.toContain("MAPS-ANNOUNCE-V6");
    expect(text).not.toContain("MAPS-SP-OWN-V6");
    expect(text).toContain("MAPS-OUT-V6");
    const { defined, used } = references(vendor, text);
    expect([...used].filter((n) => !defined.has(n))).toEqual([]);
    if (vendor === "frr") expect(text).toMatch(/^route-map MAPS-OUT-V6 deny 1000$/m);
    else expect(text).toMatch(/^route-policy MAPS-OUT-V6\n  # announce nothing else\n  drop\nend-policy$/m);
  });
});

/** Lines defining the export prefix lists (FRR `ip prefix-list MAPS-ANNOUNCE-…`, XR prefix-set bodies). */
function exportPrefixLines(text: string): string[] {
  const out: string[] = [];
  let inSet = false;
  for (const line of text.split("\n")) {
    if (/^prefix-set MAPS-ANNOUNCE-/.test(line)) inSet = true;
    if (inSet || /^ipv?6? ?prefix-list MAPS-ANNOUNCE-/.test(line) || /^ip prefix-list MAPS-ANNOUNCE-/.test(line)) out.push(line);
    if (line === "end-set") inSet = false;
  }
  return out;
}

function references(vendor: string, text: string): { defined: Set<string>; used: Set<string> } {
  const defined = new Set<string>();
  const used = new Set<string>();
  const add = (set: Set<string>, re: RegExp): void => {
    for (const m of text.matchAll(re)) set.add(m[1]);
  };
  if (vendor === "frr") {
    add(defined, /^ipv?6? ?prefix-list (\S+) /gm);
    add(defined, /^bgp as-path access-list (\S+) /gm);
    add(defined, /^route-map (\S+) /gm);
    add(defined, /^ profile (\S+)$/gm);
    add(used, /match ipv?6? ?address prefix-list (\S+)/gm);
    add(used, /match as-path (\S+)/gm);
    add(used, /route-map (\S+) (?:in|out)$/gm);
    add(used, /bfd profile (\S+)$/gm);
  } else {
    add(defined, /^(?:prefix-set|as-path-set|community-set|route-policy) (\S+)$/gm);
    add(used, /(?:destination|as-path) in (\S+) then/gm);
    add(used, /set community (\S+) additive/gm);
    add(used, /route-policy (\S+) (?:in|out)$/gm);
  }
  return { defined, used };
}

describe("exports are the same at every metro", () => {
  it("renders identical export prefix lists for two FRR routers in different metros", () => {
    const ams = render(frrRouterPlan()).text;
    const fra = render(
      frrRouterPlanAt({ id: "frankfurt", peeringLocation: "Frankfurt", region: "Germany West Central", peeringDbFacilityId: 59 }, "maps-fra-a"),
    ).text;
    expect(ams).not.toBe(fra);
    expect(exportPrefixLines(ams).length).toBeGreaterThan(0);
    expect(exportPrefixLines(fra)).toEqual(exportPrefixLines(ams));
  });

  it("announces the same prefixes from FRR (Amsterdam) and IOS-XR (London)", () => {
    const prefixes = (text: string): string[] =>
      exportPrefixLines(text)
        .map((l) => /(\S+\/\d+),?$/.exec(l)?.[1])
        .filter((p): p is string => p !== undefined);
    expect(prefixes(render(iosxrRouterPlan()).text)).toEqual(prefixes(render(frrRouterPlan()).text));
    expect(prefixes(render(frrRouterPlan()).text)).toEqual(["198.51.100.0/24", "203.0.113.0/24", "2001:db8:1000::/48"]);
  });
});

describe("control-character guard", () => {
  type Mutation = (r: RouterPlan, bad: string) => void;
  const FIELDS: Array<[string, Mutation]> = [
    ["hostname", (r, b) => (r.hostname = `maps${b}ams`)],
    ["spName", (r, b) => (r.spName = `Contoso${b}Lab`)],
    ["stack", (r, b) => (r.stack = `lab${b}`)],
    ["metro.peeringLocation", (r, b) => (r.metro.peeringLocation = `Amsterdam${b}`)],
    ["legs[0].description", (r, b) => (r.legs[0].description = `to Microsoft${b}router bgp 1`)],
    ["legs[0].interface", (r, b) => (r.legs[0].interface = `bond0${b}`)],
    ["legs[0].members[1].interface", (r, b) => (r.legs[0].members[1].interface = `eth1${b}`)],
    ["legs[0].ipv4.sp", (r, b) => (r.legs[0].ipv4.sp = `192.0.2.1${b}`)],
    ["sessions[1].description", (r, b) => (r.sessions[1] = { ...r.sessions[1], description: `Microsoft${b}neighbor x` })],
    ["sessions[0].md5KeySecret", (r, b) => (r.sessions[0] = { ...r.sessions[0], md5KeySecret: `key${b}` })],
    ["exports.ipv4[0].description", (r, b) => (r.exports.ipv4[0].description = `users${b}`)],
    ["exports.community", (r, b) => (r.exports.community = `8075:8007${b}`)],
    ["imports.bogonsV4[2]", (r, b) => (r.imports.bogonsV4[2] = `100.64.0.0/10${b}`)],
    ["originated.ipv6[0]", (r, b) => (r.originated.ipv6[0] = `2001:db8:1000::/48${b}`)],
  ];
  const CHARS: Array<[string, string]> = [
    ["LF", "\n"],
    ["CR", "\r"],
    ["NUL", "\u0000"],
    ["TAB", "\t"],
    ["DEL", "\u007f"],
    ["NEL", "\u0085"],
    ["LINE SEPARATOR", "\u2028"],
    ["PARAGRAPH SEPARATOR", "\u2029"],
  ];

  it.each(FIELDS.flatMap(([field, mutate]) => ROUTERS.map(([vendor, build]) => [field, vendor, mutate, build] as const)))(
    "rejects a newline in %s (%s)",
    (field, _vendor, mutate, build) => {
      const r = build();
      mutate(r, "\n");
      expect(() => render(r)).toThrow(`field ${field} contains control character U+000A`);
    },
  );

  it.each(CHARS)("rejects %s in any string field", (_name, ch) => {
    const r = frrRouterPlan();
    r.legs[0].description = `to Microsoft${ch}`;
    expect(() => render(r)).toThrow(/field legs\[0\]\.description contains control character U\+/);
  });

  it.each(CHARS)("rejects %s in a resolved secret, naming the secret but not its value", (_name, ch) => {
    const value = `abc${ch}router bgp 1`;
    let message = "";
    try {
      render(frrRouterPlan(), () => value);
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toMatch(/secret "mapsAmsterdamAMd5" \(sessions\[0\]\.md5KeySecret\) contains control character/);
    expect(message).not.toContain("router bgp 1");
  });

  it.each([
    ["empty", ""],
    ["whitespace", "two words"],
  ])("rejects a secret that is %s", (_name, value) => {
    expect(() => render(frrRouterPlan(), () => value)).toThrow(/secret "mapsAmsterdamAMd5"/);
  });

  it("accepts ordinary punctuation and non-ASCII text, rendered unescaped", () => {
    const r = frrRouterPlan();
    r.spName = "Contoso & Fabrikam <Lab> “Networks” Zürich";
    expect(render(r).text).toContain("Contoso & Fabrikam <Lab> “Networks” Zürich");
  });
});
