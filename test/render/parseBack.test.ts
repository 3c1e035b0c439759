/**
 * Every vendor's config states the same facts as the model, read back from the text by a parser
 * of its dialect (test/support/configFacts.ts): neighbors and their AS, bundle addresses, the
 * prefixes each session announces, max-prefix limits, communities, GTSM, MD5 and the drain
 * (RFC 8326). For the lab stack's six routers and the fixture routers of every vendor, as they are,
 * drained, and with GTSM off.
 */
import { runOfflinePlan, type PlanRun } from "../../cli/plan";
import type { RouterPlan } from "../../plan/model";
import { createRenderer, loadTemplateSources, redactingResolver } from "../../render";
import { configFacts, modelFacts, parseJunosTree } from "../support/configFacts";
import {
  FIXTURE_ROUTERS,
  drained,
  eosRouterPlan,
  fixtureResolver,
  iosxrRouterPlan,
  junosRouterPlan,
  withoutGtsm,
} from "../fixtures/routerPlan";

const renderer = createRenderer(loadTemplateSources());

let run: PlanRun;
beforeAll(() => {
  run = runOfflinePlan("lab");
});

describe("lab stack: each rendered config parses back to its model", () => {
  it("covers all five platforms", () => {
    expect([...new Set(run.plan.routers.map((r) => r.vendor))].sort()).toEqual([
      "bird",
      "eos",
      "frr",
      "iosxr",
      "junos",
    ]);
  });

  it.each(["ams-edge-1", "ams-edge-2", "fra-edge-1", "fra-edge-2", "lon-edge-1", "lon-edge-2"])("%s", (hostname) => {
    const router = run.plan.routers.find((r) => r.hostname === hostname);
    if (!router) throw new Error(`no router ${hostname} in the lab plan`);
    const text = renderer.render(router, redactingResolver).text;
    const facts = configFacts(router.vendor, text);
    expect(facts).toEqual(modelFacts(router));
    expect(facts.sessions).toHaveLength(2);
  });
});

const VARIANTS: Array<[string, (r: RouterPlan) => RouterPlan]> = [
  ["as planned", (r) => r],
  ["drained", drained],
  ["without GTSM", withoutGtsm],
  ["drained, without GTSM", (r) => withoutGtsm(drained(r))],
];

describe.each(FIXTURE_ROUTERS)("%s fixture router parses back to its model", (_vendor, build) => {
  it.each(VARIANTS)("%s", (_name, variant) => {
    const router = variant(build());
    expect(configFacts(router.vendor, renderer.render(router, fixtureResolver).text)).toEqual(modelFacts(router));
  });

  it("a drained router announces with 65535:0 and learns at local-pref 0; a normal one does neither", () => {
    const normal = configFacts(build().vendor, renderer.render(build(), fixtureResolver).text);
    const drain = configFacts(build().vendor, renderer.render(drained(build()), fixtureResolver).text);
    for (const s of normal.sessions) {
      expect(s.importLocalPref).toBeNull();
      for (const a of s.announced) expect([a.communities, a.replaces]).toEqual([["8075:8007"], true]);
    }
    for (const s of drain.sessions) {
      expect(s.importLocalPref).toBe(0);
      for (const a of s.announced) expect([a.communities, a.replaces]).toEqual([["65535:0", "8075:8007"], true]);
    }
  });

  it("notices a dropped announcement: the parser is not a rubber stamp", () => {
    const router = build();
    const text = renderer.render(router, fixtureResolver).text;
    const broken = text
      .split("\n")
      .filter((l) => !l.includes("203.0.113.0/24") || /le|orlonger|\+/.test(l))
      .join("\n");
    expect(configFacts(router.vendor, broken)).not.toEqual(modelFacts(router));
  });

  it("router-id: rendered exactly when the inventory gives one, never a session address", () => {
    const router = build();
    const facts = configFacts(router.vendor, renderer.render(router, fixtureResolver).text);
    expect(facts.routerId).toBe("10.255.0.1");
    const sessionAddresses = router.sessions.flatMap((s) => [s.localAddress, s.peerAddress]);
    expect(sessionAddresses).not.toContain(facts.routerId);
    const without = build();
    delete without.routerId;
    expect(configFacts(without.vendor, renderer.render(without, fixtureResolver).text).routerId).toBeNull();
  });

  it("exports each prefix only with exactly its intended path: ours empty, a customer's its origin, a declared longer one as declared", () => {
    const router = build();
    router.exports.ipv4 = [
      ...router.exports.ipv4,
      { ...router.exports.ipv4[1], prefix: "192.0.2.0/24", asPath: [64502, 64501], communities: ["64500:100"] },
    ];
    const facts = configFacts(router.vendor, renderer.render(router, fixtureResolver).text);
    expect(facts).toEqual(modelFacts(router));
    const v4 = facts.sessions.find((s) => !s.peer.includes(":"));
    expect(v4?.announced.map((a) => [a.prefix, a.path, a.communities])).toEqual([
      ["192.0.2.0/24", [64502, 64501], ["64500:100", "8075:8007"]],
      ["198.51.100.0/24", [], ["8075:8007"]],
      ["203.0.113.0/24", [64501], ["8075:8007"]],
    ]);
  });
});

describe("the parse-back parsers notice what the issue found", () => {
  const text = (r: RouterPlan) => renderer.render(r, fixtureResolver).text;

  it.each([
    ["frr", " set community 8075:8007\n", " set community 8075:8007 additive\n"],
    ["eos", "   set community 8075:8007\n", "   set community 8075:8007 additive\n"],
    ["iosxr", "    set community MAPS-PEERING-SERVICE\n", "    set community MAPS-PEERING-SERVICE additive\n"],
    ["junos", "community set MAPS-PEERING-SERVICE;", "community add MAPS-PEERING-SERVICE;"],
    ["bird", "    bgp_community = -empty-;\n", ""],
  ] as const)("%s: communities added instead of set", (vendor, from, to) => {
    const router = FIXTURE_ROUTERS.find(([v]) => v === vendor)?.[1]();
    if (!router) throw new Error(vendor);
    const added = text(router).split(from).join(to);
    expect(added).not.toBe(text(router));
    const facts = configFacts(vendor, added);
    expect(facts.sessions.flatMap((s) => s.announced.map((a) => a.replaces))).toContain(false);
  });

  it.each([
    ["frr", "permit ^64501$", "permit _64501$"],
    ["eos", "permit ^64501$ any", "permit _64501$ any"],
    ["iosxr", "ios-regex '^64501$'", "ios-regex '64501$'"],
    ["junos", 'as-path MAPS-PATH-AS64501 "64501";', 'as-path MAPS-PATH-AS64501 ".* 64501";'],
    ["bird", "[= 64501 =]", "[= * 64501 =]"],
  ] as const)("%s: an export path match that is not exact is refused", (vendor, from, to) => {
    const router = FIXTURE_ROUTERS.find(([v]) => v === vendor)?.[1]();
    if (!router) throw new Error(vendor);
    const loose = text(router).replace(from, () => to);
    expect(loose).not.toBe(text(router));
    expect(() => configFacts(vendor, loose)).toThrow(/exact/);
  });

  it("IOS-XR: BFD over the bundle; the multipath locations of both members' line cards only when handed over", () => {
    const router = iosxrRouterPlan();
    expect(configFacts("iosxr", text(router)).routerWide).toEqual([]);
    router.routerWide = { bfdMultipath: true };
    const facts = configFacts("iosxr", text(router));
    expect(facts.routerWide).toEqual([
      "bfd multipath include location 0/0/CPU0",
      "bfd multipath include location 0/1/CPU0",
    ]);
    expect(facts.sessions.map((s) => [s.bfd, s.via])).toEqual([
      [true, "Bundle-Ether100"],
      [true, "Bundle-Ether100"],
    ]);
  });

  it("EOS: AS-path lists written for asn mode; the mode statement only when handed over; string-mode regexes noticed", () => {
    const router = eosRouterPlan();
    const facts = configFacts("eos", text(router));
    expect([facts.asPathSyntax, facts.routerWide]).toEqual(["asn", []]);
    router.routerWide = { asPathRegexMode: true };
    expect(configFacts("eos", text(router)).routerWide).toEqual(["ip as-path regex-mode asn"]);
    const stringMode = text(router).replace("_[64512-65534]_", "_(6451[2-9]|645[2-9][0-9])_");
    expect(() => configFacts("eos", stringMode)).toThrow(/mix asn-mode and string-mode/);
  });

  it("Junos: GTSM is multihop ttl 255 with BFD kept single-hop; device-count only when handed over", () => {
    const router = junosRouterPlan();
    const facts = configFacts("junos", text(router));
    expect(facts.sessions.map((s) => [s.gtsm, s.bfd])).toEqual([
      [true, true],
      [true, true],
    ]);
    expect(facts.routerWide).toEqual([]);
    router.routerWide = { aeDeviceCount: 16 };
    expect(configFacts("junos", text(router)).routerWide).toEqual(["device-count 16"]);
    const multihopBfd = text(router).replace(/session-mode single-hop;/g, "");
    expect(configFacts("junos", multihopBfd).sessions.map((s) => s.bfd)).toEqual([false, false]);
  });
});

describe("Junos tree parser", () => {
  it.each([
    ["a missing ;", "system {\n    host-name x\n}\n", 'Junos statement "host-name x" is missing its ";"'],
    ["an extra }", "system {\n}\n}\n", "unbalanced }"],
    ["an unclosed block", "system {\n", "ends inside a block"],
  ])("rejects %s", (_name, text, message) => {
    expect(() => parseJunosTree(text)).toThrow(message);
  });
});
