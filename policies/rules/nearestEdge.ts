/**
 * nearest-edge (advisory): for each region the SP serves, the metro nearest to the region's centre
 * (great-circle distance) should have a full locally redundant pair, and the round trip to it
 * (distance at ~200 km/ms in fibre, both ways) should stay under a bound: users get the nearest edge.
 */
import { FIBRE_KM_PER_MS, fibreRoundTripMs, nearestTo } from "../../plan/geo";
import { localRedundancyProblems } from "./localRedundancy";
import type { StackRule } from "./types";
import { inventoryFiles, peeringsOf, type PeeringView } from "./views";

export interface NearestEdgeConfig {
  maxRoundTripMs: number;
  fibreKmPerMs: number;
}

export const nearestEdge: StackRule<NearestEdgeConfig> = {
  kind: "stack",
  name: "nearest-edge",
  description:
    "For each region the SP serves, the nearest metro has a full pair of legs and the estimated round trip to it stays under the bound.",
  enforcementLevel: "advisory",
  config: {
    maxRoundTripMs: {
      type: "number",
      minimum: 0,
      default: 10,
      description: "Largest estimated round trip (ms) from a region's centre to its nearest metro.",
    },
    fibreKmPerMs: {
      type: "number",
      minimum: 1,
      default: FIBRE_KM_PER_MS,
      description: "Speed of light in fibre used for the estimate, km per ms.",
    },
  },
  validate(resources, config, report) {
    const peerings = peeringsOf(resources).filter((p) => p.inService);
    const located = peerings.filter(
      (p): p is PeeringView & { latitude: number; longitude: number } =>
        p.latitude !== undefined && p.longitude !== undefined,
    );
    const centres = new Map<string, { latitude: number; longitude: number }>();
    for (const p of peerings)
      if (p.region !== undefined && p.regionCentre && !centres.has(p.region)) centres.set(p.region, p.regionCentre);
    for (const [region, centre] of [...centres].sort(([a], [b]) => a.localeCompare(b))) {
      const nearest = nearestTo(centre, located, (p) => p.metro);
      if (!nearest) continue;
      const { candidate: peering, km } = nearest;
      const rttMs = fibreRoundTripMs(km, config.fibreKmPerMs);
      if (localRedundancyProblems(peering, { minLegs: 2, minRouters: 2 }).length > 0) {
        report(
          `region ${region}: its nearest metro, ${peering.metro} (${Math.round(km)} km from the centre), has no full pair of legs on two routers, so its users lose the nearest edge when one leg fails. Fix: complete the pair at ${peering.metro}`,
          peering.urn,
        );
      }
      if (rttMs > config.maxRoundTripMs) {
        report(
          `region ${region}: its nearest metro, ${peering.metro}, is ${Math.round(km)} km from the centre, about ${rttMs.toFixed(1)} ms round trip in fibre, over the ${config.maxRoundTripMs} ms bound. ` +
            `Fix: add a metro closer to the region's users, or correct the region's centre in ${inventoryFiles(peering.urn).sp} regions`,
          peering.urn,
        );
      }
    }
  },
};
