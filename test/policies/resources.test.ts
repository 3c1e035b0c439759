/**
 * What the policies read must be on the resources themselves (a policy under the engine never sees
 * component inputs): the lab stack's Peering tags, the origin in each RegisteredPrefix's name, and
 * plain peering names on the registrations.
 */
import { runOfflinePlan } from "../../cli/plan";
import type { RecordedResource } from "../../cli/mockRuntime";
import { unwrapSecrets } from "../../policies/run";

let resources: RecordedResource[];
beforeAll(async () => {
  resources = (await runOfflinePlan("lab")).resources;
});

const inputsOf = (name: string) => unwrapSecrets(resources.find((r) => r.name === name)?.inputs) as Record<string, unknown>;

it("each Peering carries, per leg in connection order, its router, bundle and max-prefix limits, and where the metro and its region are", () => {
  expect(inputsOf("sp-frankfurt-peering").tags).toEqual({
    "managed-by": "peering-as-code",
    metro: "frankfurt",
    region: "europe-west",
    status: "active",
    "leg-names": "a,b",
    "leg-routers": "fra-edge-1,fra-edge-2",
    "leg-interfaces": "ae0,bond-msft",
    "leg-max-prefix-v4": "1000,1000",
    "leg-max-prefix-v6": "500,500",
    latitude: "50.11",
    longitude: "8.68",
    "region-latitude": "50.85",
    "region-longitude": "4.35",
    "served-regions": "europe-west",
  });
});

it("registrations name their peering plainly and each prefix's origin ASN", () => {
  const registrations = resources.filter((r) => r.name.startsWith("sp-london-") && r.type !== "azure-native:peering:Peering");
  expect(registrations.map((r) => [r.type.split(":").pop(), r.inputs.peeringName, r.inputs.registeredPrefixName ?? r.inputs.registeredAsnName])).toEqual([
    ["RegisteredAsn", "maps-as64500-london", "as64501"],
    ["RegisteredPrefix", "maps-as64500-london", "198-51-100-0-24-as64500"],
    ["RegisteredPrefix", "maps-as64500-london", "203-0-113-0-24-as64501"],
    ["RegisteredPrefix", "maps-as64500-london", "2001-db8-1000-48-as64500"],
  ]);
});
