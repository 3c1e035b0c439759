/**
 * Ownership and merge: per platform, the removals a push runs before the next rendering
 * (`removalsFor(previous, next)` of `vendors/<vendor>.ts`), which issue 17's push calls. Nothing
 * when nothing changed; exactly the owned objects that vanished; never the router-id or a
 * router-wide setting; and for FRR, statements FRR's own grammar accepts.
 */
import type { RouterPlan } from "../../plan/model";
import { createRenderer, loadTemplateSources } from "../../render";
import { VENDOR_PROFILES, type Vendor } from "../../vendors";
import { indentTree } from "../../vendors/ownership";
import { ownedObjects, parseJunosConfig } from "../../vendors/junosTree";
import { FIXTURE_ROUTERS, drained, fixtureResolver } from "../fixtures/routerPlan";
import { checkFrrConfig } from "../support/frrParser";

const renderer = createRenderer(loadTemplateSources());
const text = (r: RouterPlan) => renderer.render(r, fixtureResolver).text;
const fixture = (vendor: Vendor): RouterPlan => {
  const build = FIXTURE_ROUTERS.find(([v]) => v === vendor)?.[1];
  if (!build) throw new Error(vendor);
  return build();
};
const removals = (vendor: Vendor, previous: RouterPlan, next: RouterPlan) =>
  VENDOR_PROFILES[vendor].ownership.removalsFor(text(previous), text(next));

/** The fixture without its customer prefix 203.0.113.0/24. */
function withoutCustomerPrefix(r: RouterPlan): RouterPlan {
  return { ...r, exports: { ...r.exports, ipv4: r.exports.ipv4.filter((p) => p.prefix !== "203.0.113.0/24") } };
}

describe.each(FIXTURE_ROUTERS.map(([v]) => v))("%s ownership", (vendor) => {
  it("names what it owns and how a push applies it", () => {
    const o = VENDOR_PROFILES[vendor].ownership;
    expect(o.owns.length).toBeGreaterThan(0);
    expect(o.push).not.toBe("");
  });

  it.each([
    ["as planned", (r: RouterPlan) => r],
    ["drained", drained],
  ])("removes nothing when the rendering is the same (%s)", (_name, variant) => {
    expect(removals(vendor, variant(fixture(vendor)), variant(fixture(vendor)))).toEqual([]);
  });

  it("never removes the router-id or a router-wide setting the inventory takes back", () => {
    const before = fixture(vendor);
    before.routerWide = { asPathRegexMode: true, bfdMultipath: true, aeDeviceCount: 16 };
    const after = fixture(vendor);
    delete after.routerId;
    expect(removals(vendor, before, after).join("\n")).not.toMatch(/router.id|regex-mode|multipath|device-count/);
  });
});

describe("exactly the owned objects that vanished", () => {
  it("FRR: undraining removes the drain policies and the sessions' use of them, nothing else", () => {
    expect(removals("frr", drained(fixture("frr")), fixture("frr"))).toEqual([
      "no route-map MAPS-IN-DRAIN-V4 deny 10",
      "no route-map MAPS-IN-DRAIN-V4 deny 20",
      "no route-map MAPS-IN-DRAIN-V4 deny 30",
      "no route-map MAPS-IN-DRAIN-V4 deny 40",
      "no route-map MAPS-IN-DRAIN-V4 deny 50",
      "no route-map MAPS-IN-DRAIN-V4 deny 60",
      "no route-map MAPS-IN-DRAIN-V4 permit 1000",
      "no route-map MAPS-IN-DRAIN-V6 deny 10",
      "no route-map MAPS-IN-DRAIN-V6 deny 20",
      "no route-map MAPS-IN-DRAIN-V6 deny 30",
      "no route-map MAPS-IN-DRAIN-V6 deny 40",
      "no route-map MAPS-IN-DRAIN-V6 deny 50",
      "no route-map MAPS-IN-DRAIN-V6 deny 60",
      "no route-map MAPS-IN-DRAIN-V6 permit 1000",
      "no route-map MAPS-OUT-DRAIN-V4 permit 10",
      "no route-map MAPS-OUT-DRAIN-V4 permit 20",
      "no route-map MAPS-OUT-DRAIN-V4 deny 1000",
      "no route-map MAPS-OUT-DRAIN-V6 permit 10",
      "no route-map MAPS-OUT-DRAIN-V6 deny 1000",
      "router bgp 64500",
      " address-family ipv4 unicast",
      "  no neighbor 192.0.2.0 route-map MAPS-IN-DRAIN-V4 in",
      "  no neighbor 192.0.2.0 route-map MAPS-OUT-DRAIN-V4 out",
      " exit-address-family",
      " address-family ipv6 unicast",
      "  no neighbor 2001:db8:: route-map MAPS-IN-DRAIN-V6 in",
      "  no neighbor 2001:db8:: route-map MAPS-OUT-DRAIN-V6 out",
      " exit-address-family",
      "exit",
    ]);
  });

  it("FRR: a customer prefix gone takes its prefix list, path list and clause with it", () => {
    expect(removals("frr", fixture("frr"), withoutCustomerPrefix(fixture("frr")))).toEqual([
      "no ip prefix-list MAPS-SP-OWN-V4 seq 20 permit 203.0.113.0/24 le 32",
      "no bgp as-path access-list MAPS-PATH-AS64501 seq 10 permit ^64501$",
      "no ip prefix-list MAPS-ANNOUNCE-AS64501-V4 seq 10 permit 203.0.113.0/24",
      "no route-map MAPS-OUT-V4 permit 20",
    ]);
  });

  it("FRR: a leg moved to other session addresses removes the old neighbors whole and the old addresses", () => {
    const moved = fixture("frr");
    const leg = moved.legs[0];
    const v4 = { ...leg.ipv4, prefix: "192.0.2.32/31", microsoft: "192.0.2.32", sp: "192.0.2.33" };
    moved.legs = [{ ...leg, ipv4: v4 }];
    moved.sessions = moved.sessions.map((s) =>
      s.afi === "ipv4" ? { ...s, peerAddress: "192.0.2.32", localAddress: "192.0.2.33", sessionPrefix: v4.prefix } : s,
    );
    expect(removals("frr", fixture("frr"), moved)).toEqual([
      "interface bond0",
      " no ip address 192.0.2.1/31",
      "exit",
      "router bgp 64500",
      " no neighbor 192.0.2.0",
      "exit",
    ]);
  });

  it("FRR: the removals and the next rendering together pass FRR's own grammar (vtysh -C)", async () => {
    // As a push meets them: the previous rendering running, then the removals, then the next one.
    const [previous, next] = [drained(fixture("frr")), withoutCustomerPrefix(fixture("frr"))];
    const result = await checkFrrConfig(
      [text(previous).replace(/^end$/m, ""), removals("frr", previous, next).join("\n"), text(next)].join("\n"),
    );
    if (!result.ok) throw new Error(result.output);
    expect(result.ok).toBe(true);
  });

  it("IOS-XR: vanished policies and sets are removed by name; re-entered ones replace themselves", () => {
    expect(removals("iosxr", fixture("iosxr"), withoutCustomerPrefix(fixture("iosxr")))).toEqual([
      "no as-path-set MAPS-PATH-AS64501",
      "no prefix-set MAPS-ANNOUNCE-AS64501-V4",
    ]);
    expect(removals("iosxr", drained(fixture("iosxr")), fixture("iosxr"))).toEqual([
      "no route-policy MAPS-IN-DRAIN-V4",
      "no route-policy MAPS-IN-DRAIN-V6",
      "no community-set MAPS-PEERING-SERVICE-DRAIN",
      "no route-policy MAPS-OUT-DRAIN-V4",
      "no route-policy MAPS-OUT-DRAIN-V6",
      "router bgp 64500",
      " neighbor 192.0.2.2",
      "  address-family ipv4 unicast",
      "   no route-policy MAPS-IN-DRAIN-V4 in",
      "   no route-policy MAPS-OUT-DRAIN-V4 out",
      "  exit",
      " exit",
      " neighbor 2001:db8::2",
      "  address-family ipv6 unicast",
      "   no route-policy MAPS-IN-DRAIN-V6 in",
      "   no route-policy MAPS-OUT-DRAIN-V6 out",
      "  exit",
      " exit",
      "exit",
    ]);
  });

  it("EOS: a changed list or clause is removed whole (the session commits it again at once)", () => {
    expect(removals("eos", fixture("eos"), withoutCustomerPrefix(fixture("eos")))).toEqual([
      "no ip prefix-list MAPS-SP-OWN-V4",
      "no ip as-path access-list MAPS-PATH-AS64501",
      "no ip prefix-list MAPS-ANNOUNCE-AS64501-V4",
      "no route-map MAPS-OUT-V4 permit 20",
    ]);
  });

  it("Junos: owned objects that vanished are deleted by path before `load replace`", () => {
    expect(removals("junos", drained(fixture("junos")), withoutCustomerPrefix(fixture("junos")))).toEqual([
      "delete policy-options policy-statement MAPS-IN-DRAIN-V4",
      "delete policy-options policy-statement MAPS-IN-DRAIN-V6",
      "delete policy-options as-path MAPS-PATH-AS64501",
      "delete policy-options community MAPS-PEERING-SERVICE-DRAIN",
      "delete policy-options route-filter-list MAPS-ANNOUNCE-AS64501-V4",
      "delete policy-options policy-statement MAPS-OUT-DRAIN-V4",
      "delete policy-options policy-statement MAPS-OUT-DRAIN-V6",
    ]);
  });

  it("Junos: every owned object of the rendering carries its replace: tag", () => {
    expect(ownedObjects(parseJunosConfig(text(fixture("junos"))))).toEqual(
      expect.arrayContaining([
        "interfaces ae0",
        "interfaces et-0/0/0",
        "routing-options static route 198.51.100.0/24",
        "routing-options rib inet6.0 static route 2001:db8:1000::/48",
        "policy-options policy-statement MAPS-OUT-V4",
        "protocols bgp group MAPS-V4",
      ]),
    );
  });

  it("BIRD: nothing to remove by hand: the product's file is replaced whole", () => {
    expect(removals("bird", drained(fixture("bird")), withoutCustomerPrefix(fixture("bird")))).toEqual([]);
  });

  it("indentTree keeps IOS-XR sets and policies as one object", () => {
    const tree = indentTree(
      "route-policy X\n  if a then\n    drop\n  endif\nend-policy\n!\nrouter bgp 1\n neighbor 2\n",
      {
        ignore: /^\s*(!.*|end)$/,
        opaque: { start: /^route-policy /, end: /^end-policy$/ },
      },
    );
    expect(tree.map((n) => [n.line, n.children.length])).toEqual([
      ["route-policy X", 3],
      ["router bgp 1", 1],
    ]);
  });
});
