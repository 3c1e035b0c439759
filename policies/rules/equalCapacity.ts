/**
 * equal-capacity: the redundant legs of a metro, and the primary and backup metros of a region,
 * have the same bandwidth, so that any one of them can carry the load alone when the other fails.
 * Counted on the metros and legs in service (a decommissioned one is leaving).
 */
import type { StackRule } from "./types";
import { inventoryFiles, peeringsOf } from "./views";

export type EqualCapacityConfig = Record<string, never>;

const gbps = (mbps: number) => `${mbps / 1000}G`;

export const equalCapacity: StackRule<EqualCapacityConfig> = {
  kind: "stack",
  name: "equal-capacity",
  description:
    "The legs of a metro, and the metros of a region (primary and backup), have the same bandwidth, so any one can carry the load alone.",
  enforcementLevel: "mandatory",
  config: {},
  validate(resources, _config, report) {
    const peerings = peeringsOf(resources).filter((p) => p.inService);
    const byRegion = new Map<string, Array<{ metro: string; urn: string; mbps: number }>>();
    for (const p of peerings) {
      const legs = p.connections.filter((c) => c.inService);
      const unknown = legs.filter((c) => c.bandwidthMbps === undefined || c.bandwidthMbps <= 0);
      for (const c of unknown) {
        report(
          `metro ${p.metro} ${c.label}: bandwidthInMbps is not set. Fix: list the leg's LAG members with their speedGbps in ${inventoryFiles(p.urn).metro(p.metro)}`,
          p.urn,
        );
      }
      const sized = legs.flatMap((c) => (c.bandwidthMbps && c.bandwidthMbps > 0 ? [{ c, mbps: c.bandwidthMbps }] : []));
      if (sized.length === 0) continue;
      const largest = Math.max(...sized.map((s) => s.mbps));
      if (sized.some((s) => s.mbps !== largest)) {
        report(
          `metro ${p.metro}: legs have unequal bandwidth (${sized.map((s) => `${s.c.label} ${gbps(s.mbps)}`).join(", ")}); if the ${gbps(largest)} leg fails the others cannot carry its load. ` +
            `Fix: give every leg the same LAG capacity (members and speedGbps in ${inventoryFiles(p.urn).metro(p.metro)})`,
          p.urn,
        );
        continue;
      }
      if (p.region !== undefined)
        byRegion.set(p.region, [...(byRegion.get(p.region) ?? []), { metro: p.metro, urn: p.urn, mbps: largest }]);
    }
    for (const [region, metros] of [...byRegion].sort(([a], [b]) => a.localeCompare(b))) {
      const largest = Math.max(...metros.map((m) => m.mbps));
      if (metros.every((m) => m.mbps === largest)) continue;
      const summary = metros.map((m) => `${m.metro} ${gbps(m.mbps)}`).join(", ");
      for (const m of metros.filter((x) => x.mbps !== largest)) {
        report(
          `metro ${m.metro} in region ${region} has ${gbps(m.mbps)} legs where other metros of the region have ${gbps(largest)} (${summary}); as a backup it could not carry the primary's load. ` +
            `Fix: give the legs in ${inventoryFiles(m.urn).metro(m.metro)} ${gbps(largest)} (members and speedGbps), or bring the region's metros to one capacity`,
          m.urn,
        );
      }
    }
  },
};
