/**
 * The Peering tag contract (plan/peeringTags.ts): what the component writes, the policies read back
 * unchanged; what another program wrote reads leniently as "not known". The wire format itself is
 * pinned by test/policies/resources.test.ts on the lab stack's resources.
 */
import {
  decodePeeringTags,
  encodePeeringTags,
  originAsnOf,
  peeringName,
  registeredPrefixName,
  registrationResourceName,
  type PeeringTagValues,
} from "../../plan/peeringTags";

const VALUES: PeeringTagValues = {
  metro: "frankfurt",
  region: "europe-west",
  status: "active",
  legs: [
    {
      name: "a",
      status: "active",
      router: "fra-edge-1",
      interface: "ae0",
      portGbps: 100,
      maxPrefixV4: 2000,
      maxPrefixV6: 500,
    },
    {
      name: "b",
      status: "requested",
      router: "fra-edge-2",
      interface: "bond-msft",
      portGbps: 10,
      maxPrefixV4: 4000,
      md5Agreement: "ticket 4711, 2024-05-02",
    },
  ],
  location: { latitude: 50.11, longitude: 8.68 },
  regionCentre: { latitude: 50.85, longitude: 4.35 },
  servedRegions: ["europe-west", "us-east"],
};

describe("Peering tags", () => {
  it("decode what encode wrote", () => {
    expect(decodePeeringTags(encodePeeringTags(VALUES))).toEqual({
      metro: "frankfurt",
      region: "europe-west",
      status: "active",
      legNames: ["a", "b"],
      legStatus: ["active", "requested"],
      legRouters: ["fra-edge-1", "fra-edge-2"],
      legInterfaces: ["ae0", "bond-msft"],
      legPortGbps: [100, 10],
      legMaxPrefixV4: [2000, 4000],
      legMaxPrefixV6: [500, undefined],
      location: { latitude: 50.11, longitude: 8.68 },
      regionCentre: { latitude: 50.85, longitude: 4.35 },
      servedRegions: ["europe-west", "us-east"],
      // A reference may hold commas, so each keyed leg has a tag of its own.
      md5Agreements: { b: "ticket 4711, 2024-05-02" },
    });
    expect(encodePeeringTags(VALUES)["md5-agreement-b"]).toBe("ticket 4711, 2024-05-02");
  });

  it("leave the region centre out when the SP does not list the region", () => {
    const { regionCentre: _unused, ...withoutCentre } = VALUES;
    const tags = encodePeeringTags(withoutCentre);
    expect(Object.keys(tags)).not.toContain("region-latitude");
    expect(decodePeeringTags(tags).regionCentre).toBeUndefined();
  });

  it.each([
    ["no tags at all", undefined],
    ["tags that are not an object", "metro=frankfurt"],
    ["tags of the wrong types", { metro: 7, "leg-names": ["a"], latitude: "north", "served-regions": "" }],
  ])("read %s as not known", (_name, raw) => {
    expect(decodePeeringTags(raw)).toEqual({
      metro: undefined,
      region: undefined,
      status: undefined,
      legNames: undefined,
      legStatus: undefined,
      legRouters: undefined,
      legInterfaces: undefined,
      legPortGbps: undefined,
      legMaxPrefixV4: undefined,
      legMaxPrefixV6: undefined,
      location: undefined,
      regionCentre: undefined,
      servedRegions: [],
      md5Agreements: {},
    });
  });
});

describe("resource names", () => {
  it("name the peering after the SP's ASN and the metro", () =>
    expect(peeringName(64500, "new-york")).toBe("maps-as64500-new-york"));

  it.each([
    ["198.51.100.0/24", 64500, "198-51-100-0-24-as64500"],
    ["2001:db8:1000::/48", 64501, "2001-db8-1000-48-as64501"],
  ])("carry the origin ASN of %s in the registered prefix's name", (prefix, origin, name) => {
    expect(registeredPrefixName(prefix, origin)).toBe(name);
    expect(originAsnOf(name)).toBe(origin);
  });

  it.each(["198-51-100-0-24", "198-51-100-0-24-asX", ""])("read no origin ASN from %p", (name) =>
    expect(originAsnOf(name)).toBeUndefined(),
  );

  it.each([
    [{ kind: "prefix", key: "198.51.100.0/24", asn: 64500 }, "sp-prefix-198-51-100-0-24"],
    [{ kind: "prefix", key: "2001:db8:1000::/48", asn: 64500 }, "sp-prefix-2001-db8-1000-48"],
    [{ kind: "asn", key: "AS64501", asn: 64501 }, "sp-origin-as64501"],
  ] as const)("name a registration after what it registers, never its home: %o", (r, name) => {
    // No "::" either: that would end the name in the resource's URN.
    expect(registrationResourceName("sp", r)).toBe(name);
  });
});
