/**
 * What the policies read must be on the resources themselves (a policy under the engine never sees
 * component inputs): the lab stack's Peering tags, the origin in each RegisteredPrefix's name, plain
 * peering names on the registrations, and the resource options the engine hands a policy.
 */
import { runOfflinePlan } from "../../cli/plan";
import type { RecordedResource } from "../../cli/mockRuntime";
import { unwrapSecrets } from "../../policies/run";

let resources: RecordedResource[];
beforeAll(() => {
  resources = runOfflinePlan("lab").resources;
});

const inputsOf = (name: string) =>
  unwrapSecrets(resources.find((r) => r.name === name)?.inputs) as Record<string, unknown>;

it("each Peering carries, per leg in connection order, its router, bundle and max-prefix limits, and where the metro and its region are", () => {
  expect(inputsOf("sp-frankfurt-peering").tags).toEqual({
    "managed-by": "peering-as-code",
    metro: "frankfurt",
    region: "europe-west",
    status: "active",
    "leg-names": "a,b",
    "leg-status": "active,active",
    "leg-routers": "fra-edge-1,fra-edge-2",
    "leg-interfaces": "ae0,bond-msft",
    "leg-port-gbps": "100,100",
    "leg-max-prefix-v4": "2000,2000",
    "leg-max-prefix-v6": "500,500",
    latitude: "50.11",
    longitude: "8.68",
    "region-latitude": "50.85",
    "region-longitude": "4.35",
    "served-regions": "europe-west",
    "md5-agreement-b": "LAB ONLY - no Microsoft agreement - keeps MD5 proven in the FRR lab",
  });
});

it("registrations name their home peering plainly, each prefix's origin ASN, and declare deleteBeforeReplace", () => {
  const registrations = resources.filter((r) => /Registered/.test(r.type)).sort((a, b) => a.name.localeCompare(b.name));
  expect(
    registrations.map((r) => [
      r.type.split(":").pop(),
      r.name,
      r.inputs.peeringName,
      r.inputs.registeredPrefixName ?? r.inputs.registeredAsnName,
      r.options.deleteBeforeReplace,
    ]),
  ).toEqual([
    ["RegisteredAsn", "sp-origin-as64501", "maps-as64500-frankfurt", "as64501", true],
    ["RegisteredPrefix", "sp-prefix-198-51-100-0-24", "maps-as64500-amsterdam", "198-51-100-0-24-as64500", true],
    ["RegisteredPrefix", "sp-prefix-2001-db8-1000-48", "maps-as64500-amsterdam", "2001-db8-1000-48-as64500", true],
    ["RegisteredPrefix", "sp-prefix-203-0-113-0-24", "maps-as64500-frankfurt", "203-0-113-0-24-as64501", true],
  ]);
});
