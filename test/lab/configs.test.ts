/**
 * The lab's configs and topology, without any daemon: the SP edges get the product rendering byte
 * for byte, the Microsoft side mirrors what the SP renders (MD5, GTSM, BFD), addresses never collide.
 */
import { createRenderer, loadTemplateSources } from "../../render";
import { longerThanRegex, msftConfig, renderLabConfigs, ttlSecurityHops } from "./configs";
import { planOf, stackSecrets } from "./lab";
import { buildTopology, floodPrefixV6, isLinuxIfname, overlaps } from "./topology";

const plan = planOf("lab");
const topology = buildTopology(plan, "1x0");
const secrets = stackSecrets("lab");
const configs = renderLabConfigs(topology, secrets);

describe("lab configs", () => {
  it("loads every SP edge with the product's FRR rendering of its RouterPlan, unchanged", () => {
    const renderer = createRenderer(loadTemplateSources());
    for (const router of plan.routers) {
      const lab = configs.find((c) => c.name === router.hostname);
      expect(lab?.config).toBe(renderer.render({ ...router, vendor: "frr" }, secrets).text);
    }
  });

  it("keeps the lab-only SP layer apart from the product config", () => {
    for (const c of configs.filter((x) => x.role === "sp")) {
      expect(c.labLayer).toMatch(/^! LAB ONLY/m);
      expect(c.config).not.toMatch(/LAB/);
    }
  });

  it.each([
    ["neighbor 192.0.2.6 ttl-security hops 1", "192.0.2.6", 1],
    [" neighbor 2001:db8:ffff::6 ttl-security hops 2", "2001:db8:ffff::6", 2],
    ["neighbor 192.0.2.60 ttl-security hops 1", "192.0.2.6", undefined],
    ["neighbor 192.0.2.6 password x", "192.0.2.6", undefined],
  ])("reads GTSM from the SP's rendered text: %j for %s → %s", (text, neighbor, hops) => {
    expect(ttlSecurityHops(`router bgp 64500\n${text}\nexit\n`, neighbor)).toBe(hops);
  });

  it("mirrors GTSM on the Microsoft side exactly when the SP renders it", () => {
    const m = topology.msft[0];
    const sp = configs.find((c) => c.name === m.sp.hostname)?.config ?? "";
    // The lab stack renders GTSM (sp.yaml `gtsm`, default true): the Microsoft side follows.
    expect(sp).toMatch(/ttl-security hops 1/);
    const cfg = msftConfig(topology, m, sp, secrets);
    expect(cfg).toContain(` neighbor ${m.leg.ipv4.sp} ttl-security hops 1`);
    expect(cfg).toContain(` neighbor ${m.leg.ipv6.sp} ttl-security hops 1`);
    // An SP config without GTSM gets a Microsoft side without it.
    const withoutGtsm = sp.replace(/^ neighbor \S+ ttl-security hops \d+\n/gm, "");
    expect(msftConfig(topology, m, withoutGtsm, secrets)).not.toMatch(/ttl-security/);
  });

  it.each(topology.msft.map((m) => [m.leg.id, m.leg.md5KeySecret !== undefined] as const))(
    "gives the Microsoft edge of %s an MD5 key exactly when the leg has one (%s)",
    (legId, keyed) => {
      const cfg = configs.find((c) => c.role === "msft" && c.config.includes(`leg ${legId} `))?.config ?? "";
      expect(/ password /.test(cfg)).toBe(keyed);
    },
  );

  it("gives the Microsoft edges BFD with the SP's timers and filters on the registered prefixes", () => {
    const cfg = configs.find((c) => c.role === "msft")?.config ?? "";
    const bfd = plan.routers[0].bfd;
    expect(cfg).toContain(`  receive-interval ${bfd.intervalMs}\n  transmit-interval ${bfd.intervalMs}`);
    expect(cfg).toContain(`  detect-multiplier ${bfd.multiplier}`);
    for (const p of plan.sp.prefixes) expect(cfg).toMatch(new RegExp(`prefix-list LAB-SP-REGISTERED-V[46] seq \\d+ permit ${p.prefix.replace(/\./g, "\\.")}$`, "m"));
    expect(cfg).toContain("bgp community-list standard LAB-PEERING-SERVICE seq 10 permit 8075:8007");
  });

  it.each([
    [3, "64500 64501 1 2", true],
    [3, "64500 64501 1", false],
    [3, "64500", false],
    [1, "64500 64501", true],
  ])("longer-than-%i regex on path %j matches: %s", (n, path, matches) => {
    expect(new RegExp(longerThanRegex(n)).test(path)).toBe(matches);
  });
});

describe("lab topology", () => {
  it.each([
    ["bond-msft", true],
    ["Bundle-Ether100", true],
    ["Bundle-Ether1000", false],
    ["HundredGigE0/0/0/0", false],
    ["has space", false],
  ])("interface %j is a Linux interface name: %s", (name, ok) => {
    expect(isLinuxIfname(name)).toBe(ok);
  });

  it.each([
    [0, "2001:db8:a000::/48"],
    [1, "2001:db8:a001::/48"],
    [509, "2001:db8:a1fd::/48"],
  ])("flood prefix %i is %s", (n, prefix) => {
    expect(floodPrefixV6(n)).toBe(prefix);
  });

  it("refuses flood prefixes outside their /36", () => {
    expect(() => floodPrefixV6(4096)).toThrow("lab: flood prefix 4096 is outside 2001:db8:a000::/36 (4096 /48s)");
  });

  it("keeps the Microsoft service and flood prefixes clear of the SP's prefixes", () => {
    const ours = [...plan.sp.prefixes.map((p) => p.prefix)];
    for (const p of [...topology.serviceBgpPrefixes.ipv4, ...topology.serviceBgpPrefixes.ipv6, floodPrefixV6(0), floodPrefixV6(600)]) {
      expect(ours.filter((o) => overlaps(o, p))).toEqual([]);
    }
  });

  it("names every namespace with the lab prefix and the run id", () => {
    expect(topology.sp.map((e) => e.ns)).toEqual(plan.routers.map((r) => `pac-1x0-${r.hostname}`));
    expect(topology.msft.map((m) => m.ns)).toContain("pac-1x0-msft-frankfurt-b");
  });

  it.each([["UPPER"], ["with-dash"], ["toolongrunid123"]])("refuses run id %j", (id) => {
    expect(() => buildTopology(plan, id)).toThrow(`lab: run id ${JSON.stringify(id)} must be 1-12 lowercase letters or digits`);
  });
});
