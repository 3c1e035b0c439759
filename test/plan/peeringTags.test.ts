/**
 * The Peering tag contract (plan/peeringTags.ts): what the component writes, the policies read back
 * unchanged; what another program wrote reads leniently as "not known". The wire format itself is
 * pinned by test/policies/resources.test.ts on the lab stack's resources.
 */
import { decodePeeringTags, encodePeeringTags, originAsnOf, peeringName, registeredPrefixName, type PeeringTagValues } from "../../plan/peeringTags";

const VALUES: PeeringTagValues = {
  metro: "frankfurt",
  region: "europe-west",
  status: "active",
  legs: [
    { name: "a", router: "fra-edge-1", interface: "ae0", maxPrefixV4: 1000, maxPrefixV6: 500 },
    { name: "b", router: "fra-edge-2", interface: "bond-msft", maxPrefixV4: 2000 },
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
      legRouters: ["fra-edge-1", "fra-edge-2"],
      legInterfaces: ["ae0", "bond-msft"],
      legMaxPrefixV4: [1000, 2000],
      legMaxPrefixV6: [500, undefined],
      location: { latitude: 50.11, longitude: 8.68 },
      regionCentre: { latitude: 50.85, longitude: 4.35 },
      servedRegions: ["europe-west", "us-east"],
    });
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
      legRouters: undefined,
      legInterfaces: undefined,
      legMaxPrefixV4: undefined,
      legMaxPrefixV6: undefined,
      location: undefined,
      regionCentre: undefined,
      servedRegions: [],
    });
  });
});

describe("resource names", () => {
  it("name the peering after the SP's ASN and the metro", () => expect(peeringName(64500, "new-york")).toBe("maps-as64500-new-york"));

  it.each([
    ["198.51.100.0/24", 64500, "198-51-100-0-24-as64500"],
    ["2001:db8:1000::/48", 64501, "2001-db8-1000-48-as64501"],
  ])("carry the origin ASN of %s in the registered prefix's name", (prefix, origin, name) => {
    expect(registeredPrefixName(prefix, origin)).toBe(name);
    expect(originAsnOf(name)).toBe(origin);
  });

  it.each(["198-51-100-0-24", "198-51-100-0-24-asX", ""])("read no origin ASN from %p", (name) => expect(originAsnOf(name)).toBeUndefined());
});
