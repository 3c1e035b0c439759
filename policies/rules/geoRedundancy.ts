/**
 * geo-redundancy: Microsoft requires Peering Service at several metros, and for every region the SP
 * serves a backup metro besides the primary; a locally redundant pair at one metro is never its own
 * backup. Microsoft validates each registered prefix on every session, so every metro registers and
 * announces the same prefixes.
 */
import { TYPES, type StackRule } from "./types";
import { inventoryFiles, peeringsOf, text, type PeeringView } from "./views";

export interface GeoRedundancyConfig {
  minMetros: number;
  minMetrosPerRegion: number;
}

export const geoRedundancy: StackRule<GeoRedundancyConfig> = {
  kind: "stack",
  name: "geo-redundancy",
  description: "Peering Service at several metros, a backup metro in every region the SP serves, and every registered prefix registered at every metro.",
  enforcementLevel: "mandatory",
  config: {
    minMetros: { type: "integer", minimum: 1, default: 2, description: "Fewest active metros (distinct Azure peering locations) with Peering Service sessions." },
    minMetrosPerRegion: { type: "integer", minimum: 1, default: 2, description: "Fewest active metros in every region the SP serves: a primary and a backup." },
  },
  validate(resources, config, report) {
    const serving = peeringsOf(resources).filter((p) => p.active && p.connections.some((c) => c.useForPeeringService === true));
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

    // Registered prefixes per peering, by the Azure peering name they are registered on.
    const prefixesOn = new Map<string, Set<string>>();
    const all = new Set<string>();
    for (const r of resources) {
      if (r.type !== TYPES.registeredPrefix) continue;
      const peering = text(r.props.peeringName);
      const prefix = text(r.props.prefix);
      if (peering === undefined || prefix === undefined) continue;
      prefixesOn.set(peering, (prefixesOn.get(peering) ?? new Set()).add(prefix));
      all.add(prefix);
    }
    for (const p of serving) {
      const have = (p.peeringName && prefixesOn.get(p.peeringName)) || new Set<string>();
      const missing = [...all].filter((x) => !have.has(x)).sort();
      if (missing.length > 0) {
        report(
          `metro ${p.metro} does not register ${missing.join(", ")}, which other metros register; Microsoft validates every prefix on every session, so announcements must be identical at every metro. ` +
            `Fix: register every prefix of ${files.sp} at every metro (declare the metro through the PeeringLocation component)`,
          p.urn,
        );
      }
    }
  },
};
