/**
 * local-redundancy: Microsoft requires two sessions at every peering location, on two SP routers
 * and two separate connections, so that one router, port or cross-connect can fail without an
 * outage. Each leg carries IPv4 and IPv6 (Peering Service is dual stack). Counted on the legs in
 * service (a decommissioned leg is leaving); a leg still waiting for Microsoft's session addresses
 * (requested, sessionAddressProvider: Microsoft) is not missing them yet.
 */
import { LIFECYCLE } from "../../plan/lifecycle";
import { TYPES, type ResourceRule } from "./types";
import { inventoryFiles, peeringView, type PeeringView } from "./views";

export interface LocalRedundancyConfig {
  minLegs: number;
  minRouters: number;
}

export const localRedundancy: ResourceRule<LocalRedundancyConfig> = {
  kind: "resource",
  name: "local-redundancy",
  description:
    "Every peering location has at least two sessions, on two distinct SP routers and two distinct connections, each carrying IPv4 and IPv6.",
  enforcementLevel: "mandatory",
  config: {
    minLegs: {
      type: "integer",
      minimum: 2,
      default: 2,
      description: "Fewest legs (connections to Microsoft) per peering location.",
    },
    minRouters: {
      type: "integer",
      minimum: 2,
      default: 2,
      description: "Fewest distinct SP routers the legs of a peering location land on.",
    },
  },
  validate(resource, config, report) {
    if (resource.type !== TYPES.peering) return;
    for (const message of localRedundancyProblems(peeringView(resource), config)) report(message);
  },
};

export function localRedundancyProblems(peering: PeeringView, config: LocalRedundancyConfig): string[] {
  const problems: string[] = [];
  if (!peering.inService) return problems; // a metro being decommissioned is leaving
  const { metro } = peering;
  const connections = peering.connections.filter((c) => c.inService);
  const leaving = peering.connections.length - connections.length;
  const file = inventoryFiles(peering.urn).metro(metro);
  if (connections.length < config.minLegs) {
    problems.push(
      `metro ${metro} has ${connections.length} leg(s)${leaving > 0 ? ` in service` : ""} (${connections.map((c) => c.label).join(", ") || "none"}); Microsoft requires at least ${config.minLegs}. ` +
        `Fix: add a leg on a second router to legs: in ${file}, with its own cross-connect to Microsoft`,
    );
  }
  for (const [tag, count] of Object.entries(peering.tagCounts)) {
    if (count !== peering.connections.length) {
      problems.push(
        `metro ${metro}: tag ${tag} names ${count ?? 0} leg(s) for ${peering.connections.length} connection(s), so the SP router of each leg is unknown. ` +
          `Fix: declare the peering through the PeeringLocation component, which tags every connection with its leg, router and interface`,
      );
    }
  }
  const routers = new Map<string, string[]>();
  const ports = new Map<string, string[]>();
  for (const c of connections) {
    if (c.router === undefined) continue;
    routers.set(c.router, [...(routers.get(c.router) ?? []), c.legName ?? String(c.index + 1)]);
    if (c.interface !== undefined) {
      const port = `${c.router} ${c.interface}`;
      ports.set(port, [...(ports.get(port) ?? []), c.label]);
    }
  }
  if (connections.length >= config.minLegs && routers.size > 0 && routers.size < config.minRouters) {
    const shared = [...routers]
      .map(([router, legs]) => `${legs.map((l) => `leg ${l}`).join(" and ")} on ${router}`)
      .join("; ");
    problems.push(
      `metro ${metro}: ${shared}; the legs must land on at least ${config.minRouters} distinct SP routers (two connections on one router are not locally redundant). ` +
        `Fix: move one leg to a second router (legs[].router.hostname in ${file})`,
    );
  }
  for (const [port, labels] of ports) {
    if (labels.length > 1) {
      problems.push(
        `metro ${metro}: ${labels.join(" and ")} share the interface ${port}, so they are one connection to Microsoft. Fix: give each leg its own bundle and cross-connect in ${file}`,
      );
    }
  }
  for (const c of connections) {
    if (c.sessionAddressProvider === "Microsoft" && LIFECYCLE[c.status].addressesOptional) continue; // Microsoft assigns them after the request
    const missing = [
      ...(c.sessionPrefixV4 && c.microsoftV4 && c.peerV4 ? [] : ["IPv4"]),
      ...(c.sessionPrefixV6 && c.microsoftV6 && c.peerV6 ? [] : ["IPv6"]),
    ];
    if (missing.length > 0) {
      problems.push(
        `metro ${metro} ${c.label}: has no ${missing.join(" and ")} session (session prefix and both session addresses); every leg carries IPv4 and IPv6. ` +
          `Fix: give the leg both session prefixes (sessionPrefixes in ${file}, or the SP's sessionAddressPools)`,
      );
    }
  }
  return problems;
}
