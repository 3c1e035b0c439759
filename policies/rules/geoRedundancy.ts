/**
 * geo-redundancy: Microsoft requires Peering Service at several metros, and for every region the SP
 * serves a backup metro besides the primary; a locally redundant pair at one metro is never its own
 * backup. Counted on the metros in service (requested to maintenance: the design being built, so a
 * new SP can request its metros together); a metro being decommissioned no longer counts. Where each
 * prefix is registered is the `registrations` rule's (once, not at every metro).
 */
import type { StackRule } from "./types";
import { inventoryFiles, peeringsOf, type PeeringView } from "./views";

export interface GeoRedundancyConfig {
  minMetros: number;
  minMetrosPerRegion: number;
}

export const geoRedundancy: StackRule<GeoRedundancyConfig> = {
  kind: "stack",
  name: "geo-redundancy",
  description:
    "Peering Service at several metros and a backup metro in every region the SP serves (metros requested to maintenance count; decommissioned ones do not).",
  enforcementLevel: "mandatory",
  config: {
    minMetros: {
      type: "integer",
      minimum: 1,
      default: 2,
      description: "Fewest metros in service (distinct Azure peering locations) with Peering Service sessions.",
    },
    minMetrosPerRegion: {
      type: "integer",
      minimum: 1,
      default: 2,
      description: "Fewest metros in service in every region the SP serves: a primary and a backup.",
    },
  },
  validate(resources, config, report) {
    const serving = peeringsOf(resources).filter(
      (p) => p.inService && p.connections.some((c) => c.inService && c.useForPeeringService === true),
    );
    const locationOf = (p: PeeringView) => p.peeringLocation ?? p.metro;
    const files = inventoryFiles(resources[0]?.urn);
    const locations = new Set(serving.map(locationOf));
    if (locations.size < config.minMetros) {
      report(
        `Peering Service sessions at ${locations.size} metro(s) (${[...locations].sort().join(", ") || "none"}); Microsoft requires at least ${config.minMetros} for geo redundancy. ` +
          `Fix: add a metro file for a second Azure peering location (${files.metro("<metro>")})`,
      );
    }

    const byRegion = new Map<string, Set<string>>();
    for (const p of serving) {
      if (p.region === undefined) continue;
      byRegion.set(p.region, (byRegion.get(p.region) ?? new Set()).add(locationOf(p)));
    }
    const served = new Set([...serving.flatMap((p) => p.servedRegions), ...byRegion.keys()]);
    for (const region of [...served].sort()) {
      const metros = [...(byRegion.get(region) ?? [])].sort();
      if (metros.length < config.minMetrosPerRegion) {
        const where = metros.length === 0 ? "no metro" : `only ${metros.join(", ")}`;
        report(
          `region ${region} is served from ${where}: it needs a primary and a backup metro (${config.minMetrosPerRegion} distinct peering locations; a locally redundant pair is not its own backup). ` +
            `Fix: add a metro file with region: ${region} (${files.metro("<metro>")})`,
        );
      }
    }
  },
};
