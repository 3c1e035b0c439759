/**
 * The vendor-neutral policy model (render/policyModel.ts): names, structured prefix entries (each
 * numbered and spelled in the router's dialect), the import rules in order, the announce list and
 * the drain variants, built once per router.
 */
import type { AddressFamily } from "../../plan/model";
import {
  asnLabel,
  exactly,
  longerThan,
  orLonger,
  policyModel,
  policyName,
  seq,
  sessionPolicy,
  sharedPolicy,
  unspelledPolicy,
  type PolicyKind,
} from "../../render/policyModel";
import { VENDOR_PROFILES, type Vendor } from "../../vendors";
import { drained, frrRouterPlan } from "../fixtures/routerPlan";

const FRR = VENDOR_PROFILES.frr;

describe("names", () => {
  it.each([
    ["in", "ipv4", "MAPS-IN-V4"],
    ["out", "ipv6", "MAPS-OUT-V6"],
    ["bogons", "ipv4", "MAPS-BOGONS-V4"],
    ["sp-own", "ipv6", "MAPS-SP-OWN-V6"],
    ["too-long", "ipv4", "MAPS-TOO-LONG-V4"],
    ["in-drain", "ipv6", "MAPS-IN-DRAIN-V6"],
    ["as-path-reject", undefined, "MAPS-AS-PATH-REJECT"],
    ["as-path-bogons", undefined, "MAPS-AS-PATH-BOGONS"],
    ["community", undefined, "MAPS-PEERING-SERVICE"],
    ["graceful-shutdown", undefined, "MAPS-GRACEFUL-SHUTDOWN"],
    ["bfd", undefined, "MAPS-BFD"],
  ] as const)("policyName(%s, %p) = %s", (kind, afi, name) => expect(policyName(kind, afi)).toBe(name));

  it.each([
    ["in", undefined, /needs an address family/],
    ["bfd", "ipv4", /the same for both address families/],
  ] as const)("policyName(%s, %p) throws", (kind: PolicyKind, afi: AddressFamily | undefined, message) =>
    expect(() => policyName(kind, afi)).toThrow(message),
  );

  it.each([
    ["in", "ipv4", false, "MAPS-IN-V4"],
    ["out", "ipv6", false, "MAPS-OUT-V6"],
    ["in", "ipv6", true, "MAPS-IN-DRAIN-V6"],
    ["out", "ipv4", true, "MAPS-OUT-DRAIN-V4"],
  ] as const)("sessionPolicy(%s, %s, drain %s) = %s", (direction, afi, drain, out) =>
    expect(sessionPolicy(direction, { afi, drain })).toBe(out),
  );

  it.each([
    [64500, "AS64500"],
    [4200000000, "AS4200000000"],
  ])("asnLabel(%i) = %s", (asn, out) => expect(asnLabel(asn)).toBe(out));
  it.each([-1, 4294967296, 1.5])("asnLabel(%p) throws", (asn) => expect(() => asnLabel(asn)).toThrow());

  it.each([
    [0, undefined, 10],
    [9, undefined, 100],
    [2, 5, 15],
  ])("seq(%i, %p) = %i", (i, step, out) => expect(seq(i, step)).toBe(out));
  it.each([-1, 0.5])("seq(%p) throws", (i) => expect(() => seq(i)).toThrow(/non-negative integer/));
});

describe("prefix entries", () => {
  it.each([
    [
      "exactly",
      exactly("192.0.2.0/24"),
      { prefix: "192.0.2.0/24", afi: "ipv4", length: 24, minLength: 24, maxLength: 24 },
    ],
    ["orLonger", orLonger("10.0.0.0/8"), { prefix: "10.0.0.0/8", afi: "ipv4", length: 8, minLength: 8, maxLength: 32 }],
    [
      "orLonger of a host route",
      orLonger("192.0.2.1/32"),
      { prefix: "192.0.2.1/32", afi: "ipv4", length: 32, minLength: 32, maxLength: 32 },
    ],
    [
      "orLonger IPv6",
      orLonger("fc00::/7"),
      { prefix: "fc00::/7", afi: "ipv6", length: 7, minLength: 7, maxLength: 128 },
    ],
    [
      "longerThan /24",
      longerThan("ipv4", 24),
      { prefix: "0.0.0.0/0", afi: "ipv4", length: 0, minLength: 25, maxLength: 32 },
    ],
    [
      "longerThan /48",
      longerThan("ipv6", 48),
      { prefix: "::/0", afi: "ipv6", length: 0, minLength: 49, maxLength: 128 },
    ],
  ])("%s", (_name, entry, expected) => expect(entry).toEqual(expected));

  it("longerThan the family's full length is nothing", () => {
    expect(longerThan("ipv4", 32)).toBeUndefined();
    expect(longerThan("ipv6", 128)).toBeUndefined();
  });

  it.each([
    ["a prefix without a length", () => exactly("10.0.0.0")],
    ["an IPv4 length above 32", () => orLonger("10.0.0.0/33")],
    ["a maximum length above the family's", () => longerThan("ipv4", 33)],
  ])("refuses %s", (_name, make) => expect(make).toThrow());
});

describe("the policy model of a router", () => {
  const model = policyModel(frrRouterPlan(), FRR);
  const [v4, v6] = model.families;

  it("has both families, in order, with their names", () => {
    expect(model.families.map((f) => [f.afi, f.label, f.suffix])).toEqual([
      ["ipv4", "IPv4", "V4"],
      ["ipv6", "IPv6", "V6"],
    ]);
  });

  it("orders the deny rules of the import policy and numbers them 10, 20, …", () => {
    expect(v4.importRules.map((r) => [r.sequence, r.kind, r.name])).toEqual([
      [10, "prefix", "MAPS-BOGONS-V4"],
      [20, "prefix", "MAPS-DEFAULT-V4"],
      [30, "prefix", "MAPS-SP-OWN-V4"],
      [40, "prefix", "MAPS-TOO-LONG-V4"],
      [50, "as-path", "MAPS-AS-PATH-REJECT"],
      [60, "as-path", "MAPS-AS-PATH-BOGONS"],
    ]);
  });

  it("filters the SP's own and customers' prefixes and anything more specific, as structured entries", () => {
    expect(v4.importFilters.find((f) => f.name === "MAPS-SP-OWN-V4")?.entries).toEqual([
      { ...orLonger("198.51.100.0/24"), sequence: 10, match: "198.51.100.0/24 le 32" },
      { ...orLonger("203.0.113.0/24"), sequence: 20, match: "203.0.113.0/24 le 32" },
    ]);
    expect(v6.importFilters.find((f) => f.name === "MAPS-TOO-LONG-V6")?.entries).toEqual([
      { ...longerThan("ipv6", 48), sequence: 10, match: "::/0 ge 49" },
    ]);
  });

  /** How each platform spells the lab's SP-own entries and a customer's announced prefix, and its keyword per family. */
  const SPELLING: Record<Vendor, { spOwn: [string, string]; announced: string; keywords: [string?, string?] }> = {
    frr: {
      spOwn: ["198.51.100.0/24 le 32", "203.0.113.0/24 le 32"],
      announced: "203.0.113.0/24",
      keywords: ["ip", "ipv6"],
    },
    iosxr: { spOwn: ["198.51.100.0/24 le 32", "203.0.113.0/24 le 32"], announced: "203.0.113.0/24", keywords: [] },
    eos: {
      spOwn: ["198.51.100.0/24 le 32", "203.0.113.0/24 le 32"],
      announced: "203.0.113.0/24",
      keywords: ["ip", "ipv6"],
    },
    junos: {
      spOwn: ["198.51.100.0/24 orlonger", "203.0.113.0/24 orlonger"],
      announced: "203.0.113.0/24 exact",
      keywords: [],
    },
    bird: { spOwn: ["198.51.100.0/24+", "203.0.113.0/24+"], announced: "203.0.113.0/24", keywords: [] },
  };

  it.each(Object.entries(SPELLING) as Array<[Vendor, (typeof SPELLING)[Vendor]]>)(
    "numbers every entry of a filter 10, 20, … and spells it as %s writes it (its profile's prefixEntry), once, as the model is built",
    (vendor, { spOwn, announced }) => {
      const m = policyModel(frrRouterPlan(), VENDOR_PROFILES[vendor]);
      const filter = m.families[0].importFilters.find((f) => f.name === "MAPS-SP-OWN-V4");
      expect(filter?.entries.map((e) => [e.sequence, e.match])).toEqual([
        [10, spOwn[0]],
        [20, spOwn[1]],
      ]);
      const customer = m.families[0].announce[1];
      expect(customer.entries.map((e) => [e.sequence, e.match])).toEqual([[10, announced]]);
      for (const f of m.families.flatMap((x) => [...x.importFilters, ...x.announce]))
        for (const e of f.entries) expect(e.match).toBe(VENDOR_PROFILES[vendor].prefixEntry(e));
    },
  );

  it.each(Object.entries(SPELLING) as Array<[Vendor, (typeof SPELLING)[Vendor]]>)(
    "gives every filter of a family the keyword %s repeats on each prefix-list line, where it has one",
    (vendor, { keywords }) => {
      const m = policyModel(frrRouterPlan(), VENDOR_PROFILES[vendor]);
      m.families.forEach((f, i) => {
        for (const filter of [...f.importFilters, ...f.announce]) expect(filter.keyword).toBe(keywords[i]);
      });
    },
  );

  it("filters AS paths through AS 12076 and bogon ASNs, the same for both families", () => {
    expect(model.asPathFilters.map((f) => [f.name, f.comment, f.ranges.length])).toEqual([
      ["MAPS-AS-PATH-REJECT", "paths through AS12076", 1],
      ["MAPS-AS-PATH-BOGONS", "paths through a bogon ASN", 7],
    ]);
  });

  it("leaves out empty filters, so no rule refers to an empty list", () => {
    const r = frrRouterPlan();
    r.exports.ipv6 = [];
    r.imports = { ...r.imports, bogonsV6: [], maxLengthV6: 128, rejectAsns: [], bogonAsnRanges: [] };
    const m = policyModel(r, FRR);
    expect(m.families[1].importFilters.map((f) => f.name)).toEqual(["MAPS-DEFAULT-V6"]);
    expect(m.asPathFilters).toEqual([]);
    expect(m.families[1].importRules.map((x) => x.name)).toEqual(["MAPS-DEFAULT-V6"]);
    expect(m.families[1].announce).toEqual([]);
    expect(m.families[1].exports.map((e) => [e.name, e.clauses])).toEqual([["MAPS-OUT-V6", []]]);
  });

  it("announces exactly the registered prefixes, each with who originates it and exactly its intended path", () => {
    expect(v4.exports[0].clauses.map((c) => [c.sequence, c.announce.name, c.asPath.name, c.asPath.asns])).toEqual([
      [10, "MAPS-ANNOUNCE-LOCAL-V4", "MAPS-PATH-LOCAL", []],
      [20, "MAPS-ANNOUNCE-AS64501-V4", "MAPS-PATH-AS64501", [64501]],
    ]);
    expect(v4.announce.flatMap((a) => a.entries.map((e) => [e.prefix, e.minLength, e.maxLength, e.note]))).toEqual([
      ["198.51.100.0/24", 24, 24, "198.51.100.0/24 (lab users): origin AS64500, originated here"],
      [
        "203.0.113.0/24",
        24,
        24,
        "203.0.113.0/24 (customer Fabrikam): origin customer AS64501, learned via iBGP, only permitted by this filter",
      ],
    ]);
    const elsewhere = frrRouterPlan();
    elsewhere.originated = { ipv4: [], ipv6: [] };
    expect(policyModel(elsewhere, FRR).families[0].announce[0].entries[0].note).toBe(
      "198.51.100.0/24 (lab users): origin AS64500, originated elsewhere in our network, learned via iBGP",
    );
    expect(model.exportAsPaths.map((p) => [p.name, p.asns])).toEqual([
      ["MAPS-PATH-LOCAL", []],
      ["MAPS-PATH-AS64501", [64501]],
    ]);
  });

  it("groups prefixes by exact path and communities: a declared longer path and origin communities get their own clauses", () => {
    const r = frrRouterPlan();
    const [own, customer] = r.exports.ipv4;
    r.exports.ipv4 = [
      { ...own, communities: ["64500:100"] },
      customer,
      { ...customer, prefix: "192.0.2.0/24", asPath: [64502, 64501] },
      { ...customer, prefix: "198.18.0.0/24", communities: ["64500:200"] },
    ];
    const clauses = policyModel(r, FRR).families[0].exports[0].clauses;
    expect(
      clauses.map((c) => [
        c.announce.name,
        c.announce.entries.map((e) => e.prefix),
        c.asPath.name,
        c.communitySet.name,
      ]),
    ).toEqual([
      ["MAPS-ANNOUNCE-LOCAL-V4", ["198.51.100.0/24"], "MAPS-PATH-LOCAL", "MAPS-PEERING-SERVICE-64500-100"],
      ["MAPS-ANNOUNCE-AS64501-V4", ["203.0.113.0/24"], "MAPS-PATH-AS64501", "MAPS-PEERING-SERVICE"],
      ["MAPS-ANNOUNCE-AS64502-AS64501-V4", ["192.0.2.0/24"], "MAPS-PATH-AS64502-AS64501", "MAPS-PEERING-SERVICE"],
      ["MAPS-ANNOUNCE-AS64501-2-V4", ["198.18.0.0/24"], "MAPS-PATH-AS64501", "MAPS-PEERING-SERVICE-64500-200"],
    ]);
    expect(clauses[0].communitySet.communities.map((c) => c.value)).toEqual(["8075:8007", "64500:100"]);
  });

  it("has one import and one export policy per family, setting only the Peering Service community, when nothing is drained", () => {
    expect(model.drained).toBe(false);
    expect(v4.imports.map((p) => [p.name, p.drain, p.localPreference])).toEqual([["MAPS-IN-V4", false, null]]);
    expect(
      v4.exports.map((p) => [p.name, p.drain, p.clauses.map((c) => c.communitySet.communities.map((x) => x.value))]),
    ).toEqual([["MAPS-OUT-V4", false, [["8075:8007"], ["8075:8007"]]]]);
    expect(model.communitySets.map((c) => c.name)).toEqual(["MAPS-PEERING-SERVICE"]);
  });

  it("adds the drain variants of a drained family: graceful shutdown out, local-preference 0 in (RFC 8326)", () => {
    const r = drained(frrRouterPlan());
    r.sessions = r.sessions.map((s) => ({ ...s, drain: s.afi === "ipv6" }));
    const m = policyModel(r, FRR);
    expect(m.families.map((f) => f.drained)).toEqual([false, true]);
    expect(m.families[0].imports.map((p) => p.name)).toEqual(["MAPS-IN-V4"]);
    expect(m.families[1].imports.map((p) => [p.name, p.localPreference])).toEqual([
      ["MAPS-IN-V6", null],
      ["MAPS-IN-DRAIN-V6", 0],
    ]);
    expect(
      m.families[1].exports.map((p) => [
        p.name,
        p.clauses.map((c) => [c.communitySet.name, c.communitySet.communities.map((x) => [x.name, x.value, x.note])]),
      ]),
    ).toEqual([
      ["MAPS-OUT-V6", [["MAPS-PEERING-SERVICE", [["MAPS-PEERING-SERVICE", "8075:8007", null]]]]],
      [
        "MAPS-OUT-DRAIN-V6",
        [
          [
            "MAPS-PEERING-SERVICE-DRAIN",
            [
              ["MAPS-PEERING-SERVICE", "8075:8007", null],
              ["MAPS-GRACEFUL-SHUTDOWN", "65535:0", "this leg is drained (RFC 8326)"],
            ],
          ],
        ],
      ],
    ]);
    expect(m.communitySets.map((c) => c.name)).toEqual(["MAPS-PEERING-SERVICE", "MAPS-PEERING-SERVICE-DRAIN"]);
  });

  it("spells one unspelled shared part per dialect to the same model as building it for that dialect alone", () => {
    const r = drained(frrRouterPlan());
    const unspelled = unspelledPolicy(r);
    for (const vendor of ["frr", "junos", "bird"] as const) {
      const dialect = VENDOR_PROFILES[vendor];
      expect(policyModel(r, dialect, sharedPolicy(r, dialect, unspelled))).toEqual(policyModel(r, dialect));
    }
    // Spelling leaves the unspelled part as it was, for the next dialect.
    expect(unspelled).toEqual(unspelledPolicy(r));
  });

  it("gives each family its own sessions and originated prefixes", () => {
    expect(model.families.map((f) => [f.sessions.map((s) => s.peerAddress), f.originated])).toEqual([
      [["192.0.2.0"], ["198.51.100.0/24"]],
      [["2001:db8::"], ["2001:db8:1000::/48"]],
    ]);
  });
});
