/**
 * The helpers every platform shares (render/helpers.ts), and the Handlebars boundary
 * (render/helperKit.ts): each platform's templates see the shared helpers, their profile's
 * formatters and their own helpers, and a template that passes the wrong thing fails loudly.
 */
import Handlebars from "handlebars";
import { defineHelpers } from "../../render/helperKit";
import { bandwidthLabel, cidr, truthy } from "../../render/helpers";
import { platformHelpers } from "../../render/render";
import { VENDOR_PROFILES, type Vendor } from "../../vendors";
import type { VendorProfile } from "../../vendors/profile";

describe("shared helpers", () => {
  it.each([
    ["192.0.2.1", 31, "192.0.2.1/31"],
    ["2001:db8::1", 127, "2001:db8::1/127"],
  ])("cidr(%s, %i) = %s", (a, l, out) => expect(cidr(a, l)).toBe(out));
  it("cidr refuses an address that already has a length", () => expect(() => cidr("192.0.2.0/31", 31)).toThrow());

  it.each([
    [200_000, "200 Gbit/s"],
    [1000, "1 Gbit/s"],
    [100, "100 Mbit/s"],
    [2500, "2500 Mbit/s"],
  ])("bandwidthLabel(%i) = %s", (mbps, out) => expect(bandwidthLabel(mbps)).toBe(out));

  it.each([
    [true, true],
    [false, false],
    [["x"], true],
    [[], false],
    ["", false],
    [undefined, false],
    [null, false],
  ])("truthy(%p) = %p, as {{#if}} reads it", (value, out) => expect(truthy(value)).toBe(out));
});

describe("each platform's Handlebars helpers", () => {
  const envOf = (vendor: Vendor) => {
    const env = Handlebars.create();
    for (const [name, fn] of Object.entries(platformHelpers(VENDOR_PROFILES[vendor]))) env.registerHelper(name, fn);
    return (src: string, ctx: object = {}, data: object = {}): string =>
      env.compile(src, { noEscape: true, strict: true })(ctx, { data });
  };
  const frr = envOf("frr");

  it.each([
    ["{{cidr '192.0.2.1' 31}}", "192.0.2.1/31"],
    ["{{seq 0}} {{seq 1 5}}", "10 10"],
    ["{{asnLabel 8075}}", "AS8075"],
    ["{{policyName 'in' 'ipv6'}} {{policyName 'bfd'}}", "MAPS-IN-V6 MAPS-BFD"],
    ["{{#if (eq 1 1)}}yes{{/if}}", "yes"],
    ["{{#if (or false true)}}yes{{/if}}", "yes"],
    ["{{#if (or list list)}}yes{{else}}no{{/if}}", "no"],
    ["{{ipKeyword 'ipv6'}}", "ipv6"],
    ["{{asPathEntry r}}", "_12076_"],
  ])("FRR: %s → %s", (src, out) => expect(frr(src, { list: [], r: [12076, 12076] })).toBe(out));

  it("gives a platform's templates its own helpers and no other platform's", () => {
    expect(envOf("bird")("{{birdSymbol 'maps' 'ams/a/ipv4'}}")).toBe("maps_ams_a_ipv4");
    expect(() => frr("{{birdSymbol 'maps'}}")).toThrow(/birdSymbol/);
    expect(envOf("junos")("{{aeDeviceCount legs}}", { legs: [{ interface: "ae3" }] })).toBe("4");
  });

  it("picks the drain policy of a drained session", () => {
    expect(frr("{{sessionPolicy 'out' s}}", { s: { afi: "ipv4", drain: true } })).toBe("MAPS-OUT-DRAIN-V4");
  });

  it("hands out a resolved secret by name", () => {
    expect(frr("{{secret 'k'}}", {}, { secrets: new Map([["k", "v"]]) })).toBe("v");
  });

  it.each([
    ["{{cidr 'x' 'y'}}", /helper cidr: expected a number, got "y"/],
    ["{{cidr '192.0.2.1'}}", /helper cidr: expected 2 argument\(s\), got 1/],
    ["{{seq 1 2 3}}", /helper seq: expected 1\.\.2 argument\(s\), got 3/],
    ["{{policyName 'in' 'ipv5'}}", /"ipv4" or "ipv6"/],
    ["{{policyName 'sideways'}}", /unknown policy kind "sideways"/],
    ["{{secret 'x'}}", /no secrets were passed/],
    ["{{sessionPolicy 'sideways' s}}", /expected "in" or "out"/],
    ["{{sessionPolicy 'in' 'x'}}", /expected a BGP session/],
    ["{{maxPrefixArgs 5}}", /helper maxPrefixArgs: expected a maxPrefix object/],
    ["{{asPathEntry 12076}}", /helper asPathEntry: expected an \[from, to\] ASN range/],
  ])("%s fails loudly", (src, re) => expect(() => frr(src, { s: { afi: "ipv4", drain: true } })).toThrow(re));

  it("refuses a platform helper that would shadow a shared one", () => {
    const profile: VendorProfile = { ...VENDOR_PROFILES.frr, helpers: defineHelpers({ seq: [1, () => "x"] }) };
    expect(() => platformHelpers(profile)).toThrow(
      "vendors/frr.ts: helper seq would shadow a shared helper of render/helpers.ts",
    );
  });
});
