/**
 * Routing as the plan intends it, in the sources' own shapes: what Microsoft's receivedRoutes API
 * would list for each metro's peering, and what FRR on each leg's Microsoft edge would print
 * (`show bgp ipv4|ipv6 unicast json`, `show bgp summary json`). A test starts from "routing as
 * planned" and changes one thing, as the policy tests change one field of a happy path.
 */
import type { Intent, LegIntent } from "../../analytics/intent";
import type { AddressFamily } from "../../plan/model";
import type { ArmReceivedRoute } from "./armResources";

export const RECEIVED_AT = "2026-11-28T12:00:00Z";
/** A third network that peers with a Microsoft edge (the lab's rogue AS). */
export const ROGUE = { asn: 64666, address: "10.80.99.1", addressV6: "fd00:8075:99::1" } as const;

export function receivedRoutesAsPlanned(intent: Intent, metro: string): ArmReceivedRoute[] {
  const m = intent.metros.find((x) => x.id === metro);
  if (!m) throw new Error(`no metro ${metro}`);
  return m.legs.flatMap((leg) =>
    intent.prefixes.map((p) => ({
      prefix: p.prefix,
      nextHop: leg.sp[p.afi],
      asPath: p.path.join(" "),
      originAsValidationState: "Valid",
      rpkiValidationState: "Valid",
      trustAnchor: "ARIN",
      receivedTimestamp: RECEIVED_AT,
    })),
  );
}

export interface FrrPath {
  valid: boolean;
  bestpath?: boolean;
  pathFrom: "external" | "internal";
  prefix: string;
  prefixLen: number;
  network: string;
  peerId: string;
  path: string;
  origin: string;
  nexthops: Array<{ ip: string; afi: string; used: boolean }>;
}

export interface FrrTable {
  vrfId: number;
  vrfName: string;
  routerId: string;
  localAS: number;
  routes: Record<string, FrrPath[]>;
}

export function frrPath(network: string, peerId: string, path: string, from: "external" | "internal"): FrrPath {
  const [prefix, len] = network.split("/");
  return {
    valid: true,
    bestpath: from === "external",
    pathFrom: from,
    prefix,
    prefixLen: Number(len),
    network,
    peerId,
    path,
    origin: "IGP",
    nexthops: [{ ip: peerId, afi: network.includes(":") ? "ipv6" : "ipv4", used: true }],
  };
}

/** `show bgp <afi> unicast json` on the Microsoft edge of a leg: every registered prefix from the SP. */
export function msftEdgeTable(intent: Intent, leg: LegIntent, afi: AddressFamily): FrrTable {
  const routes: Record<string, FrrPath[]> = {
    // Microsoft's own service prefix: a local route (empty path).
    [afi === "ipv4" ? "192.0.2.0/24" : "2001:db8:8075::/48"]: [
      {
        ...frrPath(
          afi === "ipv4" ? "192.0.2.0/24" : "2001:db8:8075::/48",
          afi === "ipv4" ? "0.0.0.0" : "::",
          "",
          "external",
        ),
      },
    ],
  };
  for (const p of intent.prefixes.filter((x) => x.afi === afi))
    routes[p.prefix] = [frrPath(p.prefix, leg.sp[afi], p.path.join(" "), "external")];
  return { vrfId: 0, vrfName: "default", routerId: "10.80.0.1", localAS: 8075, routes };
}

export interface FrrPeer {
  remoteAs: number;
  localAs?: number;
  pfxRcd: number;
  pfxSnt?: number;
  state: string;
  peerState?: string;
}

export type FrrSummary = Record<
  "ipv4Unicast" | "ipv6Unicast",
  { routerId: string; as: number; peers: Record<string, FrrPeer> }
>;

/** `show bgp summary json` on the Microsoft edge of a leg: both sessions to the SP Established. */
export function msftEdgeSummary(intent: Intent, leg: LegIntent): FrrSummary {
  const family = (afi: AddressFamily) => ({
    routerId: "10.80.0.1",
    as: 8075,
    peers: {
      [leg.sp[afi]]: {
        remoteAs: intent.spAsn,
        localAs: 8075,
        pfxRcd: intent.prefixes.filter((p) => p.afi === afi).length,
        pfxSnt: 1,
        state: "Established",
        peerState: "OK",
      },
    },
  });
  return { ipv4Unicast: family("ipv4"), ipv6Unicast: family("ipv6") };
}
