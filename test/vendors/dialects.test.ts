/**
 * How each platform formats the policy model (vendors/<vendor>.ts): one table per structure, a column
 * per dialect, so a new platform adds a column, and the dialect helpers each platform's templates use.
 */
import type { MaxPrefixLimit } from "../../plan/model";
import { exactly, longerThan, orLonger, type AsnRange, type PrefixEntry } from "../../render/policyModel";
import { VENDOR_PROFILES, type Vendor } from "../../vendors";
import { birdCommunity, birdImportLimit, birdSymbol } from "../../vendors/bird";
import { maxPrefixArgs, numberRangeRegex } from "../../vendors/ciscoStyle";
import { eosMaximumRoutes, minutesToSeconds } from "../../vendors/eos";
import { netmask } from "../../vendors/iosxr";
import { aeDeviceCount, junosPrefixLimit } from "../../vendors/junos";

const entry = (prefix: string, minLength: number, maxLength: number): PrefixEntry => ({
  ...exactly(prefix),
  minLength,
  maxLength,
});

describe("prefix filter entries, in every dialect", () => {
  const CASES: Array<[string, PrefixEntry, Record<Vendor, string>]> = [
    [
      "exactly",
      exactly("198.51.100.0/24"),
      {
        frr: "198.51.100.0/24",
        iosxr: "198.51.100.0/24",
        eos: "198.51.100.0/24",
        junos: "198.51.100.0/24 exact",
        bird: "198.51.100.0/24",
      },
    ],
    [
      "or longer",
      orLonger("10.0.0.0/8"),
      {
        frr: "10.0.0.0/8 le 32",
        iosxr: "10.0.0.0/8 le 32",
        eos: "10.0.0.0/8 le 32",
        junos: "10.0.0.0/8 orlonger",
        bird: "10.0.0.0/8+",
      },
    ],
    [
      "a host route, or longer",
      orLonger("192.0.2.1/32"),
      {
        frr: "192.0.2.1/32",
        iosxr: "192.0.2.1/32",
        eos: "192.0.2.1/32",
        junos: "192.0.2.1/32 exact",
        bird: "192.0.2.1/32",
      },
    ],
    [
      "longer than /24",
      longerThan("ipv4", 24) as PrefixEntry,
      {
        frr: "0.0.0.0/0 ge 25",
        iosxr: "0.0.0.0/0 ge 25",
        eos: "0.0.0.0/0 ge 25",
        junos: "0.0.0.0/0 prefix-length-range /25-/32",
        bird: "0.0.0.0/0{25,32}",
      },
    ],
    [
      "longer than /48",
      longerThan("ipv6", 48) as PrefixEntry,
      {
        frr: "::/0 ge 49",
        iosxr: "::/0 ge 49",
        eos: "::/0 ge 49",
        junos: "::/0 prefix-length-range /49-/128",
        bird: "::/0{49,128}",
      },
    ],
    [
      "up to /48",
      entry("2001:db8::/32", 32, 48),
      {
        frr: "2001:db8::/32 le 48",
        iosxr: "2001:db8::/32 le 48",
        eos: "2001:db8::/32 le 48",
        junos: "2001:db8::/32 upto /48",
        bird: "2001:db8::/32{32,48}",
      },
    ],
    [
      "/25 to /30 within",
      entry("0.0.0.0/0", 25, 30),
      {
        frr: "0.0.0.0/0 ge 25 le 30",
        iosxr: "0.0.0.0/0 ge 25 le 30",
        eos: "0.0.0.0/0 ge 25 le 30",
        junos: "0.0.0.0/0 prefix-length-range /25-/30",
        bird: "0.0.0.0/0{25,30}",
      },
    ],
    [
      "exactly the /25s within",
      entry("0.0.0.0/0", 25, 25),
      {
        frr: "0.0.0.0/0 ge 25 le 25",
        iosxr: "0.0.0.0/0 ge 25 le 25",
        eos: "0.0.0.0/0 ge 25 le 25",
        junos: "0.0.0.0/0 prefix-length-range /25-/25",
        bird: "0.0.0.0/0{25,25}",
      },
    ],
  ];
  it.each(CASES)("%s", (_name, e, expected) => {
    expect(Object.fromEntries(Object.values(VENDOR_PROFILES).map((p) => [p.id, p.prefixEntry(e)]))).toEqual(expected);
  });
});

describe("exact AS paths of the export policy, in every dialect", () => {
  const CASES: Array<[number[], Record<Vendor, string>]> = [
    [[], { frr: "^$", eos: "^$", iosxr: "ios-regex '^$'", junos: "()", bird: "[= =]" }],
    [[64501], { frr: "^64501$", eos: "^64501$", iosxr: "ios-regex '^64501$'", junos: "64501", bird: "[= 64501 =]" }],
    [
      [64502, 64501],
      {
        frr: "^64502_64501$",
        eos: "^64502_64501$",
        iosxr: "ios-regex '^64502_64501$'",
        junos: "64502 64501",
        bird: "[= 64502 64501 =]",
      },
    ],
  ];
  it.each(CASES)("%j", (asns, expected) => {
    expect(Object.fromEntries(Object.values(VENDOR_PROFILES).map((p) => [p.id, p.exactAsPath(asns)]))).toEqual(
      expected,
    );
  });
});

describe("AS-path filter entries, in every dialect", () => {
  const CASES: Array<[AsnRange, Record<Vendor, string>]> = [
    [
      [12076, 12076],
      { frr: "_12076_", eos: "_12076_", iosxr: "passes-through '12076'", junos: ".* 12076 .*", bird: "12076" },
    ],
    [
      [64512, 65534],
      {
        frr: "_(6451[2-9]|645[2-9][0-9]|64[6-9][0-9]{2}|65[0-4][0-9]{2}|655[0-2][0-9]|6553[0-4])_",
        // `ip as-path regex-mode asn`: one token per ASN, ranges in brackets
        eos: "_[64512-65534]_",
        iosxr: "passes-through '[64512..65534]'",
        junos: ".* 64512-65534 .*",
        bird: "64512..65534",
      },
    ],
    // IOS-XR's AS numbers start at 1: AS 0 only as a regular expression
    // and Junos takes none at all (AS numbers 1 to 4294967295): junosAsPathEntries leaves it out
    [[0, 0], { frr: "_0_", eos: "_0_", iosxr: "ios-regex '_0_'", junos: "(throws)", bird: "0" }],
    [
      [0, 10],
      {
        frr: "_([0-9]|10)_",
        eos: "_[0-10]_",
        iosxr: "ios-regex '_0_',\n  passes-through '[1..10]'",
        junos: ".* 1-10 .*",
        bird: "0..10",
      },
    ],
    [
      [4200000000, 4294967294],
      {
        frr: "_(42[0-8][0-9]{7}|429[0-3][0-9]{6}|4294[0-8][0-9]{5}|42949[0-5][0-9]{4}|429496[0-6][0-9]{3}|4294967[0-1][0-9]{2}|42949672[0-8][0-9]|429496729[0-4])_",
        eos: "_[4200000000-4294967294]_",
        iosxr: "passes-through '[4200000000..4294967294]'",
        junos: ".* 4200000000-4294967294 .*",
        bird: "4200000000..4294967294",
      },
    ],
  ];
  it.each(CASES)("%j", (range, expected) => {
    const entry = (p: (typeof VENDOR_PROFILES)[Vendor]) => {
      try {
        return p.asPathEntry(range);
      } catch {
        return "(throws)";
      }
    };
    expect(Object.fromEntries(Object.values(VENDOR_PROFILES).map((p) => [p.id, entry(p)]))).toEqual(expected);
  });

  it.each([
    [5, 4],
    [-1, 3],
    [0, 4294967296],
  ] as const)("every dialect refuses the range [%i, %i]", (from, to) => {
    for (const p of Object.values(VENDOR_PROFILES)) expect(() => p.asPathEntry([from, to])).toThrow(/ASN range/);
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
});

describe("max-prefix, in every dialect's own words", () => {
  const limit = (action: MaxPrefixLimit["action"]): MaxPrefixLimit => ({
    limit: 1000,
    warningPercent: 80,
    action,
    restartMinutes: 15,
  });
  it.each([
    [
      "shutdown",
      "1000 80",
      "import limit 1000 action disable",
      ["maximum 1000;", "teardown 80 idle-timeout forever;"],
      "1000 warning-limit 80 percent",
    ],
    [
      "restart",
      "1000 80 restart 15",
      "import limit 1000 action restart",
      ["maximum 1000;", "teardown 80 idle-timeout 15;"],
      "1000 warning-limit 80 percent",
    ],
    [
      "warning-only",
      "1000 80 warning-only",
      "import limit 1000 action warn",
      ["maximum 1000;"],
      "1000 warning-limit 80 percent warning-only",
    ],
  ] as const)("%s: FRR and IOS-XR, BIRD, Junos, EOS", (action, cisco, bird, junos, eos) => {
    expect(maxPrefixArgs(limit(action))).toBe(cisco);
    expect(birdImportLimit(limit(action))).toBe(bird);
    expect(junosPrefixLimit(limit(action))).toEqual(junos);
    expect(eosMaximumRoutes(limit(action))).toBe(eos);
  });

  it.each([
    [30, 1800],
    [0, 0],
  ])("EOS idle-restart-timer: minutesToSeconds(%i) = %i", (m, s) => expect(minutesToSeconds(m)).toBe(s));
  it("minutesToSeconds refuses a fraction", () => expect(() => minutesToSeconds(1.5)).toThrow(/invalid minutes/));
});

describe("dialect helpers", () => {
  it.each([
    [32, "255.255.255.255"],
    [31, "255.255.255.254"],
    [30, "255.255.255.252"],
    [24, "255.255.255.0"],
    [17, "255.255.128.0"],
    [1, "128.0.0.0"],
    [0, "0.0.0.0"],
  ])("IOS-XR netmask(%i) = %s", (len, mask) => expect(netmask(len)).toBe(mask));
  it.each([-1, 33, 24.5, NaN])("IOS-XR netmask(%p) throws", (len) => expect(() => netmask(len)).toThrow(/0\.\.32/));

  it.each([
    [["MAPS-IN-V4"], "MAPS_IN_V4"],
    [["maps", "amsterdam/a/ipv4"], "maps_amsterdam_a_ipv4"],
    [["maps", "new-york-2/b/ipv6"], "maps_new_york_2_b_ipv6"],
  ])("birdSymbol(%j) = %s", (parts, out) => expect(birdSymbol(...parts)).toBe(out));
  it.each([["1abc"], ["a b"], ["a;b"], ["x".repeat(65)]])("birdSymbol refuses %s", (name) =>
    expect(() => birdSymbol(name)).toThrow(/cannot be a BIRD symbol/),
  );

  it.each([
    ["8075:8007", "(8075, 8007)"],
    ["65535:0", "(65535, 0)"],
  ])("birdCommunity(%s) = %s", (c, out) => expect(birdCommunity(c)).toBe(out));
  it.each([["65536:1"], ["8075"], ["8075:8007:1"], ["a:b"]])("birdCommunity refuses %s", (c) =>
    expect(() => birdCommunity(c)).toThrow(/not a standard community/),
  );

  it("Junos aeDeviceCount is one more than the highest ae index of the legs", () => {
    expect(aeDeviceCount([{ interface: "ae0" }])).toBe(1);
    expect(aeDeviceCount([{ interface: "ae0" }, { interface: "ae7" }])).toBe(8);
    expect(() => aeDeviceCount([{ interface: "xe-0/0/0" }])).toThrow(/not a Junos aggregated Ethernet interface/);
  });
});
