/**
 * The lab's configs and topology, without any daemon: the SP edges get the product rendering byte
 * for byte, the Microsoft side mirrors what the SP renders (MD5, GTSM, BFD), addresses never collide.
 */
import { createRenderer, loadTemplateSources } from "../../render";
import { longerThanRegex, msftConfig, renderLabConfigs, ttlSecurityHops } from "./configs";
import { planOf, stackSecrets } from "./lab";
import { buildTopology, floodPrefixV6, isLinuxIfname, overlaps, systemId } from "./topology";

const plan = planOf("lab");
const topology = buildTopology(plan, "1x0");
const secrets = stackSecrets("lab");
const configs = renderLabConfigs(topology, secrets);

describe("lab configs", () => {
  it("loads every SP edge with the product's rendering of its RouterPlan, unchanged: BIRD's for the BIRD router, FRR's for the others", () => {
    const renderer = createRenderer(loadTemplateSources());
    for (const router of plan.routers) {
      const lab = configs.find((c) => c.name === router.hostname);
      if (router.vendor === "bird") {
        expect(lab?.config).toBe("");
        expect(lab?.bird?.product).toBe(renderer.render(router, secrets).text);
        expect(lab?.bird?.addresses).toEqual([
          `${router.legs[0].ipv4.sp}/${router.legs[0].ipv4.prefixLength}`,
          `${router.legs[0].ipv6.sp}/${router.legs[0].ipv6.prefixLength}`,
        ]);
      } else {
        expect(lab?.config).toBe(renderer.render({ ...router, vendor: "frr" }, secrets).text);
        expect(lab?.bird).toBeUndefined();
      }
    }
    expect(topology.sp.filter((e) => e.daemon === "bird").map((e) => e.hostname)).toEqual(["lon-edge-1"]);
  });

  it("gives the BIRD router a bird.conf of its own that includes the product's file and speaks the lab's BGP", () => {
    const bird = configs.find((c) => c.bird !== undefined);
    const main = bird?.bird?.main({ productFile: "/run/x/maps.conf", logFile: "/run/x/bird.log" }) ?? "";
    expect(main).toContain('include "/run/x/maps.conf";');
    expect(main).toMatch(/^protocol bgp lab_ibgp_ipv4_0 \{$/m);
    expect(main).toMatch(/^protocol bgp lab_customer_ipv6 \{$/m);
    // Its FRR carries only the lab's IGP: no BGP there (BIRD holds port 179).
    expect(bird?.labLayer).not.toMatch(/^router bgp/m);
    expect(bird?.labLayer).toMatch(/^router isis LAB$/m);
  });

  it("keeps the lab-only SP layer apart from the product config", () => {
    for (const c of configs.filter((x) => x.role === "sp")) {
      expect(c.labLayer).toMatch(/^! LAB ONLY/m);
      expect(c.config).not.toMatch(/LAB/);
      expect(c.bird?.product ?? "").not.toMatch(/LAB/);
    }
  });

  it("mirrors GTSM on the Microsoft side exactly when the SP has it; single-hop BFD facing BIRD", () => {
    for (const m of topology.msft) {
      const cfg = msftConfig(topology, m, secrets);
      // The lab stack renders GTSM (sp.yaml `gtsm`, default true): the Microsoft side follows.
      expect(ttlSecurityHops(m.sp, m.leg.ipv4.microsoft)).toBe(1);
      expect(cfg).toContain(` neighbor ${m.leg.ipv4.sp} ttl-security hops 1`);
      expect(cfg).toContain(` neighbor ${m.leg.ipv6.sp} ttl-security hops 1`);
      expect(cfg.includes(` peer ${m.leg.ipv4.sp} interface ${m.linkIf}`)).toBe(m.sp.daemon === "bird");
      expect(cfg.includes(` neighbor ${m.leg.ipv4.sp} bfd profile`)).toBe(m.sp.daemon !== "bird");
    }
    // An SP without GTSM gets a Microsoft side without it.
    const m = topology.msft[0];
    const plain = {
      ...m,
      sp: { ...m.sp, router: { ...m.sp.router, sessions: m.sp.router.sessions.map((x) => ({ ...x, gtsm: false })) } },
    };
    expect(msftConfig(topology, plain, secrets)).not.toMatch(/ttl-security/);
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
    for (const p of plan.sp.prefixes)
      expect(cfg).toMatch(
        new RegExp(`prefix-list LAB-SP-REGISTERED-V[46] seq \\d+ permit ${p.prefix.replace(/\./g, "\\.")}$`, "m"),
      );
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
    for (const p of [
      ...topology.serviceBgpPrefixes.ipv4,
      ...topology.serviceBgpPrefixes.ipv6,
      floodPrefixV6(0),
      floodPrefixV6(600),
    ]) {
      expect(ours.filter((o) => overlaps(o, p))).toEqual([]);
    }
  });

  it("names every namespace with the lab prefix and the run id", () => {
    expect(topology.sp.map((e) => e.ns)).toEqual(plan.routers.map((r) => `pac-1x0-${r.hostname}`));
    expect(topology.msft.map((m) => m.ns)).toContain("pac-1x0-msft-frankfurt-b");
  });

  it("attaches a customer in every metro to both of the metro's SP edges, preferring the metro's first leg", () => {
    expect(topology.customers.map((c) => `${c.name}: ${c.ports.map((p) => p.edge.hostname).join(", ")}`)).toEqual([
      "customer-amsterdam: ams-edge-1, ams-edge-2",
      "customer-frankfurt: fra-edge-1, fra-edge-2",
      "customer-london: lon-edge-1, lon-edge-2",
    ]);
    const cfg = configs.find((c) => c.name === "customer-london")?.config ?? "";
    expect(cfg).toMatch(/^  neighbor 10\.64\.2\.8 route-map LAB-FROM-PREFERRED-SP in$/m);
    expect(cfg).not.toMatch(/neighbor 10\.64\.2\.10 route-map/);
  });

  it("gives every metro's customer its own host in every registered prefix", () => {
    const hosts = topology.customers.flatMap((c) => c.hosts.map((h) => h.address));
    expect(new Set(hosts).size).toBe(hosts.length);
    for (const c of topology.customers) {
      expect(c.hosts.map((h) => h.prefix).sort()).toEqual(plan.sp.prefixes.map((p) => p.prefix).sort());
      for (const h of c.hosts) expect(overlaps(h.prefix, `${h.address}/${h.afi === "ipv4" ? 32 : 128}`)).toBe(true);
    }
  });

  it("names every lab interface as Linux allows and keeps lab addresses out of the SP's and Microsoft's prefixes", () => {
    for (const l of topology.links)
      for (const end of [l.a, l.b])
        expect({ link: l.purpose, ifname: end.ifname, ok: isLinuxIfname(end.ifname) }).toEqual({
          link: l.purpose,
          ifname: end.ifname,
          ok: true,
        });
    const labAddresses = [
      ...topology.sp.flatMap((e) => [
        `${e.loopback.v4}/32`,
        `${e.loopback.v6}/128`,
        ...e.core.map((p) => p.v4),
        e.customerPort.v4,
        e.customerPort.v6,
      ]),
      ...topology.msft.flatMap((m) => [
        `${m.loopback.v4}/32`,
        `${m.loopback.v6}/128`,
        ...m.core.map((p) => p.v4),
        `${m.lan.v4}/32`,
        `${m.lan.v6}/128`,
      ]),
    ];
    const theirs = [
      ...plan.sp.prefixes.map((p) => p.prefix),
      ...plan.sessions.map((x) => x.sessionPrefix),
      ...topology.serviceBgpPrefixes.ipv4,
      ...topology.serviceBgpPrefixes.ipv6,
    ];
    for (const a of labAddresses)
      expect({
        a,
        clashes: theirs.filter(
          (p) =>
            p.includes(":") === a.includes(":") && overlaps(p, a.replace(/\/\d+$/, a.includes(":") ? "/128" : "/32")),
        ),
      }).toEqual({ a, clashes: [] });
  });

  it("runs IS-IS on the SP backbone with the planned metrics and iBGP between loopbacks", () => {
    const layer = configs.find((c) => c.name === "ams-edge-1")?.labLayer ?? "";
    const e = topology.sp.find((x) => x.hostname === "ams-edge-1");
    expect(e?.core.map((p) => `${p.peer} ${p.metric}`)).toEqual(["ams-edge-2 1", "fra-edge-1 364", "lon-edge-1 358"]);
    for (const p of e?.core ?? [])
      expect(layer).toContain(
        `interface ${p.ifname}\n description lab: SP backbone to ${p.peer}\n ip address ${p.v4}\n ip router isis LAB\n ipv6 router isis LAB\n isis network point-to-point\n isis metric ${p.metric}\nexit`,
      );
    expect(layer).toContain(" net 49.0001.0000.0000.0001.00\n");
    expect(layer).toContain(" neighbor LAB-IBGP-V4 update-source lo\n");
    for (const o of topology.sp.filter((x) => x !== e))
      expect(layer).toContain(` neighbor ${o.loopback.v4} peer-group LAB-IBGP-V4\n`);
    const msft = configs.find((c) => c.name === "msft-amsterdam-a")?.config ?? "";
    expect(msft).toContain(" net 49.0002.0000.0000.0001.00\n");
    expect(msft).toContain(" neighbor MSFT-IBGP-V6 update-source lo\n");
  });

  it.each([
    [1, "0000.0000.0001"],
    [10, "0000.0000.000a"],
    [65535, "0000.0000.ffff"],
  ])("IS-IS system id of router %i is %s", (n, id) => {
    expect(systemId(n)).toBe(id);
  });

  it.each([[0], [65536], [1.5]])("refuses IS-IS router number %d", (n) => {
    expect(() => systemId(n)).toThrow(`lab: router number ${n} does not fit an IS-IS system id`);
  });

  it.each([["UPPER"], ["with-dash"], ["toolongrunid123"]])("refuses run id %j", (id) => {
    expect(() => buildTopology(plan, id)).toThrow(
      `lab: run id ${JSON.stringify(id)} must be 1-12 lowercase letters or digits`,
    );
  });
});
