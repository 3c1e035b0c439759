/**
 * The platform table (vendors/): one profile per vendor, the schema's `vendor` enum in agreement
 * with it, every interface rule against its own examples, and what each platform cannot express.
 */
import commonSchema from "../../schema/common.schema.json";
import { configFileName, isVendor, VENDOR_PROFILES, VENDORS } from "../../vendors";
import { EOS_BUNDLE } from "../../vendors/eos";
import { IOSXR_BUNDLE } from "../../vendors/iosxr";
import { JUNOS_BUNDLE } from "../../vendors/junos";
import { frrRouterPlan } from "../fixtures/routerPlan";

const PROFILES = Object.values(VENDOR_PROFILES);

describe("the platform table", () => {
  it("lists every platform in the table's order, each profile under its own id", () => {
    expect(VENDORS).toEqual(Object.keys(VENDOR_PROFILES));
    for (const [key, profile] of Object.entries(VENDOR_PROFILES)) expect(profile.id).toBe(key);
  });

  it("agrees with the JSON Schema's vendor enum and its hint", () => {
    expect(commonSchema.definitions.vendor.enum).toEqual([...VENDORS]);
    expect(commonSchema.definitions.vendor["x-hint"]).toBe(`use one of the supported platforms: ${VENDORS.join(", ")}`);
  });

  it("knows a vendor only by its key", () => {
    expect(VENDORS.every(isVendor)).toBe(true);
    expect(["FRR", "cisco", "toString", "constructor", "__proto__", ""].filter(isVendor)).toEqual([]);
  });

  it("gives every platform its own file name", () => {
    const names = VENDORS.map((v) => configFileName("r1", v));
    expect(new Set(names).size).toBe(VENDORS.length);
    for (const name of names) expect(name).toMatch(/^r1\.[a-z]+(\.[a-z]+)?$/);
  });
});

describe.each(PROFILES.map((p) => [p.id, p] as const))("%s interface names", (_id, profile) => {
  it.each(["bundle", "member"] as const)(
    "the %s rule accepts its valid examples and refuses its invalid ones",
    (kind) => {
      const rule = profile[kind];
      expect(rule.examples.valid.length).toBeGreaterThan(0);
      expect(rule.examples.invalid.length).toBeGreaterThan(0);
      expect(rule.examples.valid.filter((n) => !rule.accepts(n))).toEqual([]);
      expect(rule.examples.invalid.filter((n) => rule.accepts(n))).toEqual([]);
    },
  );
});

describe.each(PROFILES.map((p) => [p.id, p] as const))(
  "%s default interface names (npm run onboard)",
  (_id, profile) => {
    it("names bundles and member ports as the platform's own rules accept, distinct per leg and port", () => {
      const bundles = [0, 1, 2, 3].map((n) => profile.defaultNames.bundle(n));
      expect(bundles.filter((n) => !profile.bundle.accepts(n))).toEqual([]);
      expect(new Set(bundles).size).toBe(bundles.length);
      for (const speed of [10, 100]) {
        const members = [0, 1, 2, 3, 15].map((n) => profile.defaultNames.member(n, speed));
        expect(members.filter((n) => !profile.member.accepts(n))).toEqual([]);
        expect(new Set(members).size).toBe(members.length);
      }
    });
  },
);

describe("numbered bundles", () => {
  it.each([
    [IOSXR_BUNDLE, "Bundle-Ether100", 100],
    [JUNOS_BUNDLE, "ae0", 0],
    [JUNOS_BUNDLE, "ae4091", 4091],
    [EOS_BUNDLE, "Port-Channel2000", 2000],
  ])("number(%#) of %s is %i", (rule, name, n) => expect(rule.number(name)).toBe(n));

  it.each([
    [IOSXR_BUNDLE, "Bundle-Ether0", /"Bundle-Ether0" is not an IOS-XR bundle interface \(Bundle-Ether<1-65535>\)/],
    [JUNOS_BUNDLE, "ae4092", /"ae4092" is not a Junos aggregated Ethernet interface \(ae<0-4091>\)/],
    [EOS_BUNDLE, "Port-channel1", /"Port-channel1" is not an EOS port-channel interface \(Port-Channel<1-2000>\)/],
  ])("number(%#) refuses %s", (rule, name, message) => expect(() => rule.number(name)).toThrow(message));
});

describe("what a platform cannot express", () => {
  const session = (change: (s: ReturnType<typeof frrRouterPlan>["sessions"][number]) => void = () => undefined) => {
    const s = { ...frrRouterPlan().sessions[0] };
    s.maxPrefix = { limit: 1000, warningPercent: 90, action: "restart", restartMinutes: 30 };
    change(s);
    return s;
  };

  it("FRR, IOS-XR and EOS say everything the model says", () => {
    for (const v of ["frr", "iosxr", "eos"] as const) {
      for (const action of ["shutdown", "restart", "warning-only"] as const) {
        expect(VENDOR_PROFILES[v].cannotExpress(session((s) => (s.maxPrefix = { ...s.maxPrefix, action })))).toEqual(
          [],
        );
      }
    }
  });

  it.each([
    [
      "restart",
      [
        "max-prefix has no warning threshold: BIRD logs only at the limit of 1000, not at 90%",
        "max-prefix restarts the session at once, not after 30 minutes",
      ],
    ],
    ["shutdown", ["max-prefix has no warning threshold: BIRD logs only at the limit of 1000, not at 90%"]],
    ["warning-only", ["max-prefix has no warning threshold: BIRD logs only at the limit of 1000, not at 90%"]],
  ] as const)("BIRD, max-prefix %s", (action, notes) => {
    expect(VENDOR_PROFILES.bird.cannotExpress(session((s) => (s.maxPrefix = { ...s.maxPrefix, action })))).toEqual(
      notes,
    );
  });

  it("Junos: warning-only only logs at the maximum; GTSM does not check the received TTL", () => {
    const junos = VENDOR_PROFILES.junos;
    const asZero =
      "AS 0 (RFC 7607) has no Junos AS-path expression (AS numbers 1 to 4294967295): MAPS-AS-PATH-BOGONS leaves it out, and paths through AS 0 are left to Junos' own handling of AS 0";
    expect(junos.cannotExpress(session((s) => (s.gtsm = false)))).toEqual([asZero]);
    expect(
      junos.cannotExpress(
        session((s) => ((s.gtsm = false), (s.maxPrefix = { ...s.maxPrefix, action: "warning-only" }))),
      ),
    ).toEqual(["prefix-limit without teardown only logs at the maximum of 1000, not at 90%", asZero]);
    expect(junos.cannotExpress(session())).toEqual([
      asZero,
      "GTSM: Junos sends with TTL 255 (multihop ttl 255, BFD kept single-hop) but has no BGP statement that checks the received TTL; the lo0 filter must drop BGP from 192.0.2.0 with a lower TTL (a prerequisite below)",
    ]);
  });
});
