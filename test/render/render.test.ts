import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import {
  REDACTED_SECRET,
  createRenderer,
  loadTemplateSources,
  normaliseConfigText,
  PLATFORM_PARTIALS,
  redactingResolver,
  type RenderedConfig,
  type TemplateSources,
} from "../../render";
import { VENDORS, type Vendor } from "../../vendors";
import { CONNECT_RETRY_SECONDS, RESTART_DELAY_SECONDS, type RouterPlan } from "../../plan/model";
import {
  FIXTURE_ROUTERS,
  SECRETS,
  drained,
  fixtureResolver,
  frrRouterPlan,
  frrRouterPlanAt,
  withoutGtsm,
} from "../fixtures/routerPlan";

const sources = loadTemplateSources();
const renderer = createRenderer(sources);
const render = (r: RouterPlan, resolve = fixtureResolver): RenderedConfig => renderer.render(r, resolve);
const lines = (text: string, re: RegExp): string[] => text.split("\n").filter((l) => re.test(l));

const ROUTERS = FIXTURE_ROUTERS;
/** Template sources with a one-line entry for every vendor but `frr`, and no partials. */
const sourcesWith = (frr: string): TemplateSources => ({
  shared: {},
  vendors: {
    ...(Object.fromEntries(VENDORS.map((v) => [v, { entry: "x\n", partials: {} }])) as TemplateSources["vendors"]),
    frr: { entry: frr, partials: {} },
  },
});

describe("templates", () => {
  it("loads every platform's entry template and the same partials for every platform, and the shared ones", () => {
    expect(Object.keys(sources.vendors)).toEqual([...VENDORS]);
    for (const vendor of VENDORS)
      expect(Object.keys(sources.vendors[vendor].partials).sort()).toEqual([...PLATFORM_PARTIALS].sort());
    expect(Object.keys(sources.shared)).toEqual(["header"]);
  });

  it("refuses a platform folder without router.hbs or one of the platform partials, a partial of its own, or an unknown folder", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "tpl-"));
    try {
      fs.mkdirSync(path.join(dir, "frr"));
      fs.writeFileSync(path.join(dir, "frr", "router.hbs"), "x");
      expect(() => loadTemplateSources(dir)).toThrow(/no iosxr\/router\.hbs/);
      expect(() => loadTemplateSources(dir)).toThrow(
        /frr\/ must hold router\.hbs and the partials every platform has \(interfaces, static, bfd, import-filters, as-path-filters, import-policy, export-policy, bgp\); missing interfaces\.hbs, static\.hbs/,
      );
      fs.writeFileSync(path.join(dir, "frr", "bgp-address-family.hbs"), "x");
      expect(() => loadTemplateSources(dir)).toThrow(/not a platform partial: bgp-address-family\.hbs/);
      fs.mkdirSync(path.join(dir, "not-a-platform"));
      expect(() => loadTemplateSources(dir)).toThrow(
        `not-a-platform is neither a vendor (${VENDORS.join(", ")}) nor _shared`,
      );
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("is strict: a template naming a field the model does not have fails instead of rendering empty", () => {
    const broken = sourcesWith("hostname {{hostnme}}\n");
    expect(() => createRenderer(broken).render(frrRouterPlan(), fixtureResolver)).toThrow(/hostnme/);
  });

  it("reports a template syntax error when the renderer is created", () => {
    const broken = sourcesWith("{{#if x}}\n");
    expect(() => createRenderer(broken)).toThrow(/template frr\/router/);
  });
});

describe.each(ROUTERS)("%s config", (vendor, build) => {
  const cfg = render(build());

  it("names the file after the router", () => {
    expect(cfg.vendor).toBe(vendor);
    expect(cfg.fileName).toBe(`${cfg.hostname}.${FILE_EXTENSIONS[vendor]}`);
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
    const pw = lines(cfg.text, /password|authentication-key/);
    expect(pw).toHaveLength(1);
    expect(pw[0]).toContain(SECRETS[withKey.md5KeySecret ?? ""]);
    expect(pw[0].trim()).toBe(PASSWORD_LINE[vendor](withKey.peerAddress, SECRETS[withKey.md5KeySecret ?? ""]));
  });

  it("redacts every MD5 key with redactingResolver", () => {
    const redacted = render(build(), redactingResolver).text;
    for (const secret of Object.values(SECRETS)) expect(redacted).not.toContain(secret);
    const r = build();
    expect(lines(redacted, /password|authentication-key/).map((l) => l.trim())).toEqual([
      PASSWORD_LINE[vendor](r.sessions[0].peerAddress, REDACTED_SECRET),
    ]);
  });

  it("renders nothing for a router with no MD5 secret, without calling the resolver", () => {
    const r = build();
    r.sessions = r.sessions.map(({ md5KeySecret: _unused, ...s }) => s);
    const text = render(r, () => {
      throw new Error("resolver must not be called");
    }).text;
    expect(text).not.toMatch(/password|authentication-key/);
  });

  it("renders max-prefix with the limit, warning threshold and action of each session", () => {
    const found = lines(
      cfg.text,
      /maximum-prefix|maximum-routes|idle-restart-timer|import limit|^\s+(maximum|teardown) /,
    ).map((l) => l.trim());
    expect(found).toEqual(MAX_PREFIX_LINES[vendor]);
  });

  it("renders GTSM on every session, and none when the SP turns it off", () => {
    expect(lines(cfg.text, GTSM_LINE[vendor])).toHaveLength(2);
    expect(lines(render(withoutGtsm(build())).text, GTSM_LINE[vendor])).toHaveLength(0);
  });

  it("renders FRR's disable-connected-check exactly on the GTSM sessions (the FRR 8.4 nexthop-tracking workaround)", () => {
    const companion = /^ neighbor \S+ disable-connected-check$/;
    expect(lines(cfg.text, companion)).toHaveLength(vendor === "frr" ? 2 : 0);
    expect(lines(render(withoutGtsm(build())).text, companion)).toHaveLength(0);
  });

  it("reconnects within seconds after a repair where the platform has a timer for it", () => {
    const r = build();
    for (const expected of RECONNECT_LINES[vendor]) {
      expect({ expected, count: lines(cfg.text, expected).length }).toEqual({ expected, count: r.sessions.length });
    }
    if (RECONNECT_LINES[vendor].length === 0)
      expect(cfg.text).not.toMatch(/connect-retry|timers connect|connect retry|error wait/);
  });

  it("renders the drain policies only when a leg is drained, and says so in the header", () => {
    expect(cfg.text).not.toMatch(/DRAIN|65535:0|\(65535, 0\)|DRAINED/);
    const text = render(drained(build())).text;
    expect(text).toMatch(/MAPS[-_]OUT[-_]DRAIN[-_]V4/);
    expect(text).toMatch(/MAPS[-_]IN[-_]DRAIN[-_]V6/);
    expect(text.split("\n").slice(0, 10).join("\n")).toContain(
      `DRAINED:           leg ${build().legs[0].id} (RFC 8326 graceful shutdown`,
    );
    const { defined, used } = references(vendor, text);
    expect([...used].filter((n) => !defined.has(n))).toEqual([]);
  });

  it("never prepends and never renders `le` in the export prefix lists", () => {
    const commands = cfg.text.split("\n").filter((l) => !/^\s*[!#]/.test(l));
    expect(commands.join("\n")).not.toMatch(/prepend/);
    const exported = exportPrefixLines(cfg.text).filter((l) => !/^\s*[!#]/.test(l));
    expect(exported.length).toBeGreaterThan(0);
    expect(exported.join("\n")).not.toMatch(/ (le|ge) |orlonger|prefix-length-range|upto|\+|\{\d/);
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
    expect(text).not.toMatch(/MAPS[-_]ANNOUNCE[-_]V6/);
    expect(text).not.toMatch(/MAPS[-_]SP[-_]OWN[-_]V6/);
    expect(text).toMatch(/MAPS[-_]OUT[-_]V6/);
    const { defined, used } = references(vendor, text);
    expect([...used].filter((n) => !defined.has(n))).toEqual([]);
    expect(text).toMatch(DENY_ALL_V6[vendor]);
  });
});

const FILE_EXTENSIONS: Record<Vendor, string> = {
  frr: "conf",
  bird: "bird.conf",
  iosxr: "cfg",
  junos: "junos.conf",
  eos: "eos.cfg",
};

const PASSWORD_LINE: Record<Vendor, (peer: string, key: string) => string> = {
  frr: (peer, key) => `neighbor ${peer} password ${key}`,
  bird: (_peer, key) => `password "${key}";`,
  iosxr: (_peer, key) => `password clear ${key}`,
  junos: (_peer, key) => `authentication-key "${key}";`,
  eos: (peer, key) => `neighbor ${peer} password 0 ${key}`,
};

/** The fixtures' max-prefix settings (test/fixtures/routerPlan.ts) in each dialect, spelled out. */
const MAX_PREFIX_LINES: Record<Vendor, string[]> = {
  frr: [
    "neighbor 192.0.2.0 maximum-prefix 1000 80 restart 5",
    "neighbor 2001:db8:: maximum-prefix 500 90 warning-only",
  ],
  bird: ["import limit 1000 action restart;", "import limit 500 action warn;"],
  iosxr: ["maximum-prefix 1000 80", "maximum-prefix 500 80"],
  junos: ["maximum 1000;", "teardown 80 idle-timeout 5;", "maximum 500;", "teardown 80 idle-timeout forever;"],
  eos: [
    "neighbor 192.0.2.8 maximum-routes 1000 warning-limit 75 percent warning-only",
    "neighbor 2001:db8::8 maximum-routes 500 warning-limit 75 percent",
    "neighbor 2001:db8::8 idle-restart-timer 600",
  ],
};

const GTSM_LINE: Record<Vendor, RegExp> = {
  frr: /^ neighbor \S+ ttl-security hops 1$/,
  bird: /^  ttl security on;$/,
  iosxr: /^  ttl-security$/,
  junos: /^ +ttl 255;$/,
  eos: /^   neighbor \S+ ttl maximum-hops 1$/,
};

/** Reconnect timers, once per session: only FRR and BIRD have them (README, "Reconnecting after a repair"). */
const RECONNECT_LINES: Record<Vendor, RegExp[]> = {
  frr: [new RegExp(`^ neighbor \\S+ timers connect ${CONNECT_RETRY_SECONDS}$`)],
  bird: [
    new RegExp(`^  connect retry time ${CONNECT_RETRY_SECONDS};$`),
    new RegExp(`^  error wait time ${RESTART_DELAY_SECONDS.min}, ${RESTART_DELAY_SECONDS.max};$`),
  ],
  iosxr: [],
  junos: [],
  eos: [],
};

const DENY_ALL_V6: Record<Vendor, RegExp> = {
  frr: /^route-map MAPS-OUT-V6 deny 1000\n description announce nothing else\nexit$/m,
  bird: /^filter MAPS_OUT_V6 \{\n  # announce nothing else\n  reject;\n\}$/m,
  iosxr: /^route-policy MAPS-OUT-V6\n  # announce nothing else\n  drop\nend-policy$/m,
  junos:
    /^    policy-statement MAPS-OUT-V6 \{\n        # announce nothing else\n        term reject \{\n            then reject;\n        \}\n    \}$/m,
  eos: /^route-map MAPS-OUT-V6 deny 1000\n   ! announce nothing else\n!$/m,
};

/** Lines defining the export prefix lists, whatever the dialect: one-line FRR entries, or a block. */
function exportPrefixLines(text: string): string[] {
  const out: string[] = [];
  let inBlock = false;
  for (const line of text.split("\n")) {
    if (/^ipv?6? ?prefix-list MAPS-ANNOUNCE-\S+ seq /.test(line)) {
      out.push(line);
      continue;
    }
    if (
      /^(prefix-set MAPS-ANNOUNCE-\S+|define MAPS_ANNOUNCE_\S+ = \[|    route-filter-list MAPS-ANNOUNCE-\S+ \{|ipv?6? prefix-list MAPS-ANNOUNCE-\S+)$/.test(
        line,
      )
    ) {
      inBlock = true;
      continue;
    }
    if (inBlock && /^(end-set|\];|    \}|!)$/.test(line)) inBlock = false;
    if (inBlock) out.push(line);
  }
  return out;
}

/** Per dialect: what defines a name (prefix list, as-path list, community set, policy) and what uses one. */
const REFERENCES: Record<Vendor, { defined: RegExp[]; used: RegExp[] }> = {
  frr: {
    defined: [
      /^ipv?6? ?prefix-list (\S+)(?: |$)/gm,
      /^bgp as-path access-list (\S+) /gm,
      /^route-map (\S+) /gm,
      /^ profile (\S+)$/gm,
    ],
    used: [
      /match ipv?6? ?address prefix-list (\S+)/gm,
      /match as-path (\S+)/gm,
      /route-map (\S+) (?:in|out)$/gm,
      /bfd profile (\S+)$/gm,
    ],
  },
  eos: {
    defined: [/^ipv?6? ?prefix-list (\S+)(?: |$)/gm, /^ip as-path access-list (\S+) /gm, /^route-map (\S+) /gm],
    used: [/match ipv?6? ?address prefix-list (\S+)/gm, /match as-path (\S+)/gm, /route-map (\S+) (?:in|out)$/gm],
  },
  bird: {
    defined: [/^(?:define|filter|protocol bfd) (\S+)/gm],
    used: [/(?:net|bgp_path) ~ (\S+) then/gm, /(?:import|export) filter (\S+);$/gm],
  },
  junos: {
    defined: [
      /^    (?:route-filter-list|as-path-group|policy-statement) (\S+) \{$/gm,
      /^    community (\S+) members /gm,
    ],
    used: [
      /^ +(?:route-filter-list|as-path-group) (\S+);$/gm,
      /community add (\S+);$/gm,
      /^ +(?:import|export) (\S+);$/gm,
    ],
  },
  iosxr: {
    defined: [/^(?:prefix-set|as-path-set|community-set|route-policy) (\S+)$/gm],
    used: [
      /(?:destination|as-path) in (\S+) then/gm,
      /set community (\S+) additive/gm,
      /route-policy (\S+) (?:in|out)$/gm,
    ],
  },
};

function references(vendor: Vendor, text: string): { defined: Set<string>; used: Set<string> } {
  const names = (res: RegExp[]) => new Set(res.flatMap((re) => [...text.matchAll(re)].map((m) => m[1])));
  return { defined: names(REFERENCES[vendor].defined), used: names(REFERENCES[vendor].used) };
}

describe("exports are the same at every metro", () => {
  it("renders identical export prefix lists for two FRR routers in different metros", () => {
    const ams = render(frrRouterPlan()).text;
    const fra = render(
      frrRouterPlanAt(
        { id: "frankfurt", peeringLocation: "Frankfurt", region: "Germany West Central", peeringDbFacilityId: 59 },
        "maps-fra-a",
      ),
    ).text;
    expect(ams).not.toBe(fra);
    expect(exportPrefixLines(ams).length).toBeGreaterThan(0);
    expect(exportPrefixLines(fra)).toEqual(exportPrefixLines(ams));
  });

  it.each(ROUTERS)("announces the same prefixes from %s as from every other platform", (_vendor, build) => {
    const prefixes = (text: string): string[] =>
      exportPrefixLines(text)
        .filter((l) => !/^\s*[!#]/.test(l))
        .map((l) => /(\S+\/\d+)(?: exact;|,)?$/.exec(l)?.[1])
        .filter((p): p is string => p !== undefined);
    expect(prefixes(render(build()).text)).toEqual(["198.51.100.0/24", "203.0.113.0/24", "2001:db8:1000::/48"]);
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
    [
      "sessions[1].description",
      (r, b) => (r.sessions[1] = { ...r.sessions[1], description: `Microsoft${b}neighbor x` }),
    ],
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

  it.each(
    FIELDS.flatMap(([field, mutate]) => ROUTERS.map(([vendor, build]) => [field, vendor, mutate, build] as const)),
  )("rejects a newline in %s (%s)", (field, _vendor, mutate, build) => {
    const r = build();
    mutate(r, "\n");
    expect(() => render(r)).toThrow(`field ${field} contains control character U+000A`);
  });

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
    ["empty", "", "resolved to an empty or non-string value"],
    ["whitespace", "two words", "contains whitespace"],
    ["a double quote (ends BIRD's and Junos' quoted key)", 'ab"c', "contains one of"],
    ["a semicolon (ends a BIRD or Junos statement)", "ab;c", "contains one of"],
    ["a closing brace (ends a Junos or BIRD block)", "ab}c", "contains one of"],
    ["a hash (starts a comment in BIRD, Junos, IOS-XR policy)", "ab#c", "contains one of"],
    ["a bang (starts a comment in FRR, IOS-XR, EOS)", "ab!c", "contains one of"],
    ["a backslash", "ab\\c", "contains one of"],
  ])("rejects a secret that is %s", (_name, value, why) => {
    expect(() => render(frrRouterPlan(), () => value)).toThrow(
      `secret "mapsAmsterdamAMd5" (sessions[0].md5KeySecret) ${why}`,
    );
  });

  it("accepts a secret with other punctuation", () => {
    expect(render(frrRouterPlan(), () => "Ab1-_.:@%^*+=/,~").text).toContain("password Ab1-_.:@%^*+=/,~");
  });

  it("accepts ordinary punctuation and non-ASCII text, rendered unescaped", () => {
    const r = frrRouterPlan();
    r.spName = "Contoso & Fabrikam <Lab> “Networks” Zürich";
    expect(render(r).text).toContain("Contoso & Fabrikam <Lab> “Networks” Zürich");
  });
});
