import Handlebars from "handlebars";
import {
  HELPERS,
  afiSuffix,
  asPathFilters,
  asPathRegex,
  asnLabel,
  asnRange,
  bandwidthLabel,
  bundleId,
  cidr,
  eq,
  importPrefixFilters,
  importRules,
  ipKeyword,
  join,
  longerThan,
  maxPrefixArgs,
  netmask,
  numberRangeRegex,
  orLonger,
  originNote,
  policyName,
  prefixLengthOf,
  seq,
  aeDeviceCount,
  aeIndex,
  birdAsnRange,
  birdCommunity,
  birdImportLimit,
  birdPrefixPattern,
  birdSymbol,
  drainedIn,
  eosMaximumRoutes,
  junosAsPathRegex,
  junosPrefixLimit,
  junosRouteFilter,
  minutesToSeconds,
  portChannelId,
  prefixRange,
  sessionPolicy,
} from "../../render/helpers";
import type { MaxPrefixLimit } from "../../plan/model";
import { drained, frrRouterPlan, junosRouterPlan } from "../fixtures/routerPlan";

describe("address helpers", () => {
  it.each([
    [32, "255.255.255.255"],
    [31, "255.255.255.254"],
    [30, "255.255.255.252"],
    [24, "255.255.255.0"],
    [17, "255.255.128.0"],
    [8, "255.0.0.0"],
    [1, "128.0.0.0"],
    [0, "0.0.0.0"],
  ])("netmask(%i) = %s", (len, mask) => expect(netmask(len)).toBe(mask));

  it.each([-1, 33, 24.5, NaN])("netmask(%p) throws", (len) => expect(() => netmask(len)).toThrow(/0\.\.32/));

  it.each([
    ["192.0.2.1", 31, "192.0.2.1/31"],
    ["2001:db8::1", 127, "2001:db8::1/127"],
  ])("cidr(%s, %i) = %s", (a, l, out) => expect(cidr(a, l)).toBe(out));

  it("cidr refuses an address that already has a length", () => expect(() => cidr("192.0.2.0/31", 31)).toThrow());

  it.each([
    ["10.0.0.0/8", "10.0.0.0/8 le 32"],
    ["192.0.2.1/32", "192.0.2.1/32"],
    ["fc00::/7", "fc00::/7 le 128"],
    ["2001:db8::1/128", "2001:db8::1/128"],
  ])("orLonger(%s) = %s", (p, out) => expect(orLonger(p)).toBe(out));

  it.each([
    ["ipv4", 24, "0.0.0.0/0 ge 25"],
    ["ipv6", 48, "::/0 ge 49"],
    ["ipv4", 32, undefined],
    ["ipv6", 128, undefined],
  ] as const)("longerThan(%s, %i) = %p", (afi, len, out) => expect(longerThan(afi, len)).toBe(out));

  it.each([
    ["198.51.100.0/24", 24],
    ["2001:db8:1000::/48", 48],
  ])("prefixLengthOf(%s) = %i", (p, l) => expect(prefixLengthOf(p)).toBe(l));
});

describe("naming and formatting helpers", () => {
  it.each([
    ["in", "ipv4", "MAPS-IN-V4"],
    ["out", "ipv6", "MAPS-OUT-V6"],
    ["bogons", "ipv4", "MAPS-BOGONS-V4"],
    ["sp-own", "ipv6", "MAPS-SP-OWN-V6"],
    ["too-long", "ipv4", "MAPS-TOO-LONG-V4"],
    ["announce", "ipv6", "MAPS-ANNOUNCE-V6"],
    ["as-path-reject", undefined, "MAPS-AS-PATH-REJECT"],
    ["as-path-bogons", undefined, "MAPS-AS-PATH-BOGONS"],
    ["community", undefined, "MAPS-PEERING-SERVICE"],
    ["bfd", undefined, "MAPS-BFD"],
  ] as const)("policyName(%s, %p) = %s", (kind, afi, name) => expect(policyName(kind, afi)).toBe(name));

  it.each([
    ["nope", "ipv4"],
    ["in", undefined],
    ["bfd", "ipv4"],
  ] as const)("policyName(%s, %p) throws", (kind, afi) => expect(() => policyName(kind, afi)).toThrow());

  it.each([
    [64500, "AS64500"],
    [8075, "AS8075"],
    [4200000000, "AS4200000000"],
  ])("asnLabel(%i) = %s", (asn, out) => expect(asnLabel(asn)).toBe(out));

  it.each([-1, 4294967296, 1.5])("asnLabel(%p) throws", (asn) => expect(() => asnLabel(asn)).toThrow());

  it.each([
    [0, undefined, 10],
    [1, undefined, 20],
    [9, undefined, 100],
    [2, 5, 15],
  ])("seq(%i, %p) = %i", (i, step, out) => expect(seq(i, step)).toBe(out));

  it.each([
    [["a", "b"], undefined, "a, b"],
    [[1, 2, 3], " ", "1 2 3"],
    [[], ",", ""],
  ])("join(%p, %p) = %p", (items, sep, out) => expect(join(items, sep)).toBe(out));

  it.each([
    [1, 1, true],
    ["fast", "fast", true],
    ["1", 1, false],
  ])("eq(%p, %p) = %p", (a, b, out) => expect(eq(a, b)).toBe(out));

  it.each([
    ["Bundle-Ether100", 100],
    ["Bundle-Ether1", 1],
  ])("bundleId(%s) = %i", (name, id) => expect(bundleId(name)).toBe(id));

  it.each(["bond0", "Bundle-Ether", "Bundle-Ether10.100", "HundredGigE0/0/0/0"])("bundleId(%s) throws", (name) =>
    expect(() => bundleId(name)).toThrow(/Bundle-Ether<N>/),
  );

  it.each([
    ["ipv4", "V4", "ip"],
    ["ipv6", "V6", "ipv6"],
  ] as const)("afiSuffix/ipKeyword(%s)", (afi, suffix, kw) => {
    expect(afiSuffix(afi)).toBe(suffix);
    expect(ipKeyword(afi)).toBe(kw);
  });

  it.each([
    [200_000, "200 Gbit/s"],
    [1000, "1 Gbit/s"],
    [100, "100 Mbit/s"],
    [2500, "2500 Mbit/s"],
  ])("bandwidthLabel(%i) = %s", (mbps, out) => expect(bandwidthLabel(mbps)).toBe(out));

  const limit = (action: MaxPrefixLimit["action"]): MaxPrefixLimit => ({ limit: 1000, warningPercent: 80, action, restartMinutes: 15 });
  it.each([
    ["shutdown", "1000 80"],
    ["restart", "1000 80 restart 15"],
    ["warning-only", "1000 80 warning-only"],
  ] as const)("maxPrefixArgs(%s) = %s", (action, out) => expect(maxPrefixArgs(limit(action))).toBe(out));
});

describe("dialect helpers (BIRD, Junos, EOS) and drain", () => {
  it.each([
    ["10.0.0.0/8 le 32", { prefix: "10.0.0.0/8", length: 8, min: 8, max: 32 }, "10.0.0.0/8 orlonger", "10.0.0.0/8+"],
    ["0.0.0.0/0", { prefix: "0.0.0.0/0", length: 0, min: 0, max: 0 }, "0.0.0.0/0 exact", "0.0.0.0/0"],
    ["0.0.0.0/0 ge 25", { prefix: "0.0.0.0/0", length: 0, min: 25, max: 32 }, "0.0.0.0/0 prefix-length-range /25-/32", "0.0.0.0/0{25,32}"],
    ["::/0 ge 49", { prefix: "::/0", length: 0, min: 49, max: 128 }, "::/0 prefix-length-range /49-/128", "::/0{49,128}"],
    ["2001:db8::/32 le 48", { prefix: "2001:db8::/32", length: 32, min: 32, max: 48 }, "2001:db8::/32 upto /48", "2001:db8::/32{32,48}"],
    ["198.51.100.0/24", { prefix: "198.51.100.0/24", length: 24, min: 24, max: 24 }, "198.51.100.0/24 exact", "198.51.100.0/24"],
  ])("%s: range, Junos route-filter and BIRD pattern", (entry, range, junos, bird) => {
    expect(prefixRange(entry)).toEqual(range);
    expect(junosRouteFilter(entry)).toBe(junos);
    expect(birdPrefixPattern(entry)).toBe(bird);
  });

  it.each([["10.0.0.0/8 le 4"], ["10.0.0.0/8 le 33"], ["::/0 ge 129"], ["10.0.0.0/8 eq 9"], ["10.0.0.0"]])("prefixRange refuses %s", (entry) => {
    expect(() => prefixRange(entry)).toThrow(/prefixRange/);
  });

  it.each([
    [["MAPS-IN-V4"], "MAPS_IN_V4"],
    [["maps", "amsterdam/a/ipv4"], "maps_amsterdam_a_ipv4"],
    [["maps", "new-york-2/b/ipv6"], "maps_new_york_2_b_ipv6"],
  ])("birdSymbol(%j) = %s", (parts, out) => expect(birdSymbol(...parts)).toBe(out));

  it.each([["1abc"], ["a b"], ["a;b"], ["x".repeat(65)]])("birdSymbol refuses %s", (name) => expect(() => birdSymbol(name)).toThrow(/cannot be a BIRD symbol/));

  it.each([
    [[12076, 12076], "12076", ".* 12076 .*"],
    [[64512, 65534], "64512..65534", ".* 64512-65534 .*"],
    [[4200000000, 4294967294], "4200000000..4294967294", ".* 4200000000-4294967294 .*"],
  ] as const)("ASN range %j: BIRD %s, Junos %s", (r, bird, junos) => {
    expect(birdAsnRange(r)).toBe(bird);
    expect(junosAsPathRegex(r)).toBe(junos);
  });

  it.each([
    ["8075:8007", "(8075, 8007)"],
    ["65535:0", "(65535, 0)"],
  ])("birdCommunity(%s) = %s", (c, out) => expect(birdCommunity(c)).toBe(out));
  it.each([["65536:1"], ["8075"], ["8075:8007:1"], ["a:b"]])("birdCommunity refuses %s", (c) => expect(() => birdCommunity(c)).toThrow(/not a standard community/));

  const limit = (action: MaxPrefixLimit["action"]): MaxPrefixLimit => ({ limit: 1000, warningPercent: 80, action, restartMinutes: 15 });
  it.each([
    ["shutdown", "import limit 1000 action disable", ["maximum 1000;", "teardown 80 idle-timeout forever;"], "1000 warning-limit 80 percent"],
    ["restart", "import limit 1000 action restart", ["maximum 1000;", "teardown 80 idle-timeout 15;"], "1000 warning-limit 80 percent"],
    ["warning-only", "import limit 1000 action warn", ["maximum 1000;"], "1000 warning-limit 80 percent warning-only"],
  ] as const)("max-prefix %s: BIRD, Junos, EOS", (action, bird, junos, eos) => {
    expect(birdImportLimit(limit(action))).toBe(bird);
    expect(junosPrefixLimit(limit(action))).toEqual(junos);
    expect(eosMaximumRoutes(limit(action))).toBe(eos);
  });

  it.each([
    ["ae0", 0],
    ["ae17", 17],
  ])("aeIndex(%s) = %i", (name, n) => expect(aeIndex(name)).toBe(n));
  it.each([["xe-0/0/0"], ["Bundle-Ether1"], ["ae"]])("aeIndex refuses %s", (name) => expect(() => aeIndex(name)).toThrow(/not a Junos ae<N>/));
  it.each([
    ["Port-Channel1", 1],
    ["Port-Channel2000", 2000],
  ])("portChannelId(%s) = %i", (name, n) => expect(portChannelId(name)).toBe(n));
  it.each([["Port-channel1"], ["Ethernet1"]])("portChannelId refuses %s", (name) => expect(() => portChannelId(name)).toThrow(/not an EOS Port-Channel<N>/));

  it("aeDeviceCount is one more than the highest ae index", () => {
    const r = junosRouterPlan();
    expect(aeDeviceCount(r)).toBe(1);
    r.legs = [...r.legs, { ...r.legs[0], interface: "ae7" }];
    expect(aeDeviceCount(r)).toBe(8);
  });

  it.each([
    [30, 1800],
    [0, 0],
  ])("minutesToSeconds(%i) = %i", (m, s) => expect(minutesToSeconds(m)).toBe(s));
  it("minutesToSeconds refuses a fraction", () => expect(() => minutesToSeconds(1.5)).toThrow(/invalid minutes/));

  it.each([
    ["in", "ipv4", false, "MAPS-IN-V4"],
    ["out", "ipv6", false, "MAPS-OUT-V6"],
    ["in", "ipv6", true, "MAPS-IN-DRAIN-V6"],
    ["out", "ipv4", true, "MAPS-OUT-DRAIN-V4"],
  ] as const)("sessionPolicy(%s, %s, drain %s) = %s", (direction, afi, drain, out) => expect(sessionPolicy(direction, { afi, drain })).toBe(out));

  it("drainedIn is true only for a family with a drained session", () => {
    expect([drainedIn(frrRouterPlan(), "ipv4"), drainedIn(frrRouterPlan(), "ipv6")]).toEqual([false, false]);
    const r = drained(frrRouterPlan());
    expect([drainedIn(r, "ipv4"), drainedIn(r, "ipv6")]).toEqual([true, true]);
    r.sessions = r.sessions.map((s) => ({ ...s, drain: s.afi === "ipv6" }));
    expect([drainedIn(r, "ipv4"), drainedIn(r, "ipv6")]).toEqual([false, true]);
  });
});

describe("ASN ranges", () => {
  it.each([
    [[12076, 12076], "12076", "_12076_"],
    [[64512, 65534], "[64512..65534]", "_(6451[2-9]|645[2-9][0-9]|64[6-9][0-9]{2}|65[0-4][0-9]{2}|655[0-2][0-9]|6553[0-4])_"],
    [[0, 0], "0", "_0_"],
  ] as const)("%p → XR %s, FRR %s", (r, xr, frr) => {
    expect(asnRange(r)).toBe(xr);
    expect(asPathRegex(r)).toBe(frr);
  });

  it.each([
    [0, 0],
    [1, 9],
    [5, 123],
    [99, 100],
    [23456, 23456],
    [64496, 64511],
    [64512, 65534],
    [65536, 65551],
    [65552, 131071],
    [4200000000, 4294967294],
    [0, 4294967295],
  ])("numberRangeRegex(%i, %i) matches exactly the range", (from, to) => {
    const re = new RegExp(`^(?:${numberRangeRegex(from, to)})$`);
    const probes = new Set<number>([0, 1, 9, 10, 99, 100, 65535, 65536, 131072, 4199999999, 4294967295]);
    for (let d = -30; d <= 30; d++) {
      probes.add(from + d);
      probes.add(to + d);
    }
    for (let i = 0; i <= 200; i++) probes.add(Math.floor(from + ((to - from) * i) / 200));
    for (const n of probes) {
      if (n < 0 || n > 4294967295) continue;
      expect([n, re.test(String(n))]).toEqual([n, n >= from && n <= to]);
    }
  });

  it.each([
    [5, 4],
    [-1, 3],
    [0, 4294967296],
  ])("numberRangeRegex(%i, %i) throws", (a, b) => expect(() => numberRangeRegex(a, b)).toThrow());
});

describe("import policy structure", () => {
  it("orders the deny rules and numbers them 10, 20, …", () => {
    expect(importRules(frrRouterPlan(), "ipv4").map((r) => [r.sequence, r.kind, r.name])).toEqual([
      [10, "prefix", "MAPS-BOGONS-V4"],
      [20, "prefix", "MAPS-DEFAULT-V4"],
      [30, "prefix", "MAPS-SP-OWN-V4"],
      [40, "prefix", "MAPS-TOO-LONG-V4"],
      [50, "as-path", "MAPS-AS-PATH-REJECT"],
      [60, "as-path", "MAPS-AS-PATH-BOGONS"],
    ]);
  });

  it("leaves out empty filters, so no rule refers to an empty list", () => {
    const r = frrRouterPlan();
    r.exports.ipv6 = [];
    r.imports.bogonsV6 = [];
    r.imports.maxLengthV6 = 128;
    r.imports.rejectAsns = [];
    r.imports.bogonAsnRanges = [];
    expect(importPrefixFilters(r, "ipv6").map((f) => f.name)).toEqual(["MAPS-DEFAULT-V6"]);
    expect(asPathFilters(r)).toEqual([]);
    expect(importRules(r, "ipv6").map((x) => x.name)).toEqual(["MAPS-DEFAULT-V6"]);
  });

  it("filters the SP's own and customers' prefixes and anything more specific", () => {
    const own = importPrefixFilters(frrRouterPlan(), "ipv4").find((f) => f.name === "MAPS-SP-OWN-V4");
    expect(own?.entries).toEqual(["198.51.100.0/24 le 32", "203.0.113.0/24 le 32"]);
  });

  it.each([
    [0, /origin AS64500, originated here/],
    [1, /origin customer AS64501, learned via iBGP, only permitted by this filter/],
  ])("originNote of export %i", (i, re) => {
    const r = frrRouterPlan();
    expect(originNote(r.exports.ipv4[i], r)).toMatch(re);
  });
});

describe("Handlebars adapters", () => {
  const env = Handlebars.create();
  for (const [name, fn] of Object.entries(HELPERS)) env.registerHelper(name, fn);
  const run = (src: string, ctx: object = {}): string => env.compile(src, { noEscape: true, strict: true })(ctx);

  it.each([
    ["{{netmask 31}}", "255.255.255.254"],
    ["{{cidr '192.0.2.1' 31}}", "192.0.2.1/31"],
    ["{{seq 0}} {{seq 1 5}}", "10 10"],
    ["{{asnLabel 8075}}", "AS8075"],
    ["{{policyName 'in' 'ipv6'}}", "MAPS-IN-V6"],
    ["{{#if (eq 1 1)}}yes{{/if}}", "yes"],
    ["{{join (addressFamilies) '/'}}", "ipv4/ipv6"],
    ["{{birdSymbol 'maps' 'ams/a/ipv4'}}", "maps_ams_a_ipv4"],
    ["{{junosRouteFilter '10.0.0.0/8 le 32'}}", "10.0.0.0/8 orlonger"],
    ["{{#if (or false true)}}yes{{/if}}", "yes"],
  ])("%s → %s", (src, out) => expect(run(src)).toBe(out));

  it("sessionPolicy picks the drain policy of a drained session", () => {
    expect(run("{{sessionPolicy 'out' s}}", { s: { afi: "ipv4", drain: true } })).toBe("MAPS-OUT-DRAIN-V4");
  });

  it.each([
    ["{{netmask 'x'}}", /expected a number/],
    ["{{netmask}}", /expected 1 argument/],
    ["{{policyName 'in' 'ipv5'}}", /"ipv4" or "ipv6"/],
    ["{{importRules 'ipv4'}}", /not a RouterPlan/],
    ["{{secret 'x'}}", /no secrets/],
    ["{{sessionPolicy 'sideways' s}}", /expected "in" or "out"/],
    ["{{sessionPolicy 'in' 'x'}}", /expected a BGP session/],
    ["{{eosMaximumRoutes 5}}", /expected a maxPrefix object/],
  ])("%s fails loudly", (src, re) => expect(() => run(src)).toThrow(re));
});
