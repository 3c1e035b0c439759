import { parsePrefix } from "../../plan/addressing";
import {
  BOGON_ASN_RANGES,
  BOGONS_V4,
  BOGONS_V6,
  DOCUMENTATION_ASN_RANGES,
  DOCUMENTATION_V4,
  DOCUMENTATION_V6,
  bogonLists,
  isBogonAsn,
} from "../../plan/bogons";

describe("bogons (IANA special-purpose registries)", () => {
  it.each([...BOGONS_V4, ...BOGONS_V6, ...DOCUMENTATION_V4, ...DOCUMENTATION_V6])("%s is a canonical prefix", (p) => {
    const r = parsePrefix(p);
    expect(r.ok && r.value.text).toBe(p);
  });

  it.each([
    ["192.88.99.0/24", BOGONS_V4],
    ["5f00::/16", BOGONS_V6],
    ["100:0:0:1::/64", BOGONS_V6],
    ["3fff::/20", DOCUMENTATION_V6],
  ])("lists %s", (p, list) => {
    expect(list).toContain(p);
  });

  it("leaves globally reachable registry entries alone (AS112, AMT)", () => {
    for (const p of ["192.31.196.0/24", "192.52.193.0/24", "192.175.48.0/24"]) expect(BOGONS_V4).not.toContain(p);
    expect(isBogonAsn(112, false)).toBe(false);
  });

  it.each([
    [0, true],
    [23456, true],
    [64512, true],
    [65534, true],
    [65535, true],
    [65552, true],
    [131071, true],
    [131072, false],
    [4200000000, true],
    [4294967295, true],
    [64496, false],
    [8075, false],
  ])("AS%d is a bogon with documentation allowed: %s", (asn, bogon) => {
    expect(isBogonAsn(asn, true)).toBe(bogon);
  });

  it("documentation ranges are bogons unless allowed", () => {
    expect(isBogonAsn(64500, false)).toBe(true);
    expect(bogonLists(false).v6).toContain("3fff::/20");
    expect(bogonLists(true).v6).not.toContain("3fff::/20");
    expect(bogonLists(false).asnRanges).toEqual([...BOGON_ASN_RANGES, ...DOCUMENTATION_ASN_RANGES]);
  });
});
