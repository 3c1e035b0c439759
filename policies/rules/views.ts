/**
 * Typed views of the resources the rules read, built from raw props (which are `unknown`: a policy
 * also sees stacks built by other programs). A field that is missing or of the wrong type reads as
 * `undefined`, and the rule that needs it says so.
 *
 * What `components/peeringLocation.ts` puts on each `Peering` for the policies (Azure tags, so the
 * engine shows them to a policy): `metro`, `region`, `status`, `leg-names`, `leg-routers`,
 * `leg-interfaces` (comma-separated, in connection order), `leg-max-prefix-v4`/`-v6` (the routers'
 * max-prefix limits on what Microsoft sends), `latitude`/`longitude` (the metro), `region-latitude`/
 * `region-longitude` (the centre of the metro's region) and `served-regions` (every region the SP
 * serves). A `RegisteredPrefix`'s origin ASN is the `-as<N>` suffix of its `registeredPrefixName`.
 */
import { stackPaths, type StackPaths } from "../../load/stackPaths";
import { TYPES, type PolicyResource } from "./types";

export interface ConnectionView {
  /** 0-based position in `direct.connections`. */
  index: number;
  /** `leg b (fra-edge-2 Bundle-Ether100)`, or `connection 2` when the tags do not say. */
  label: string;
  legName?: string;
  router?: string;
  interface?: string;
  bandwidthMbps?: number;
  useForPeeringService?: unknown;
  sessionPrefixV4?: string;
  sessionPrefixV6?: string;
  microsoftV4?: string;
  microsoftV6?: string;
  peerV4?: string;
  peerV6?: string;
  maxPrefixesAdvertisedV4?: number;
  maxPrefixesAdvertisedV6?: number;
  /** Router-side max-prefix limits on what Microsoft sends (tags). */
  receiveLimitV4?: number;
  receiveLimitV6?: number;
  hasMd5Key: boolean;
  md5IsSecret: boolean;
}

export interface PeeringView {
  resource: PolicyResource;
  urn: string;
  /** Metro id from the tags, else the resource name. */
  metro: string;
  peeringName?: string;
  peeringLocation?: string;
  kind?: unknown;
  sku?: unknown;
  region?: string;
  active: boolean;
  latitude?: number;
  longitude?: number;
  regionCentre?: { latitude: number; longitude: number };
  servedRegions: string[];
  connections: ConnectionView[];
  /** Number of entries in each per-leg tag, to spot tags that do not match the connections. */
  tagCounts: Record<"leg-names" | "leg-routers" | "leg-interfaces", number | undefined>;
}

export const record = (v: unknown): Record<string, unknown> | undefined =>
  typeof v === "object" && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
export const text = (v: unknown): string | undefined => (typeof v === "string" && v !== "" ? v : undefined);
export const integer = (v: unknown): number | undefined => {
  const n = typeof v === "string" && /^-?\d+$/.test(v) ? Number(v) : v;
  return typeof n === "number" && Number.isInteger(n) ? n : undefined;
};
const decimal = (v: unknown): number | undefined => {
  const n = typeof v === "string" && v.trim() !== "" ? Number(v) : v;
  return typeof n === "number" && Number.isFinite(n) ? n : undefined;
};
const list = (v: unknown): string[] | undefined => (typeof v === "string" ? v.split(",").map((s) => s.trim()) : undefined);

export function peeringView(resource: PolicyResource): PeeringView {
  const props = resource.props;
  const tags = record(props.tags) ?? {};
  const direct = record(props.direct) ?? {};
  const rawConnections = Array.isArray(direct.connections) ? direct.connections : [];
  const names = list(tags["leg-names"]);
  const routers = list(tags["leg-routers"]);
  const interfaces = list(tags["leg-interfaces"]);
  const limitsV4 = list(tags["leg-max-prefix-v4"]);
  const limitsV6 = list(tags["leg-max-prefix-v6"]);
  const connections = rawConnections.map((raw, index): ConnectionView => {
    const c = record(raw) ?? {};
    const bgp = record(c.bgpSession) ?? {};
    const legName = names?.[index];
    const router = routers?.[index];
    const iface = interfaces?.[index];
    const where = [router, iface].filter(Boolean).join(" ");
    const label = legName ? `leg ${legName}${where ? ` (${where})` : ""}` : `connection ${index + 1}${where ? ` (${where})` : ""}`;
    return {
      index,
      label,
      legName,
      router,
      interface: iface,
      bandwidthMbps: integer(c.bandwidthInMbps),
      useForPeeringService: c.useForPeeringService,
      sessionPrefixV4: text(bgp.sessionPrefixV4),
      sessionPrefixV6: text(bgp.sessionPrefixV6),
      microsoftV4: text(bgp.microsoftSessionIPv4Address),
      microsoftV6: text(bgp.microsoftSessionIPv6Address),
      peerV4: text(bgp.peerSessionIPv4Address),
      peerV6: text(bgp.peerSessionIPv6Address),
      maxPrefixesAdvertisedV4: integer(bgp.maxPrefixesAdvertisedV4),
      maxPrefixesAdvertisedV6: integer(bgp.maxPrefixesAdvertisedV6),
      receiveLimitV4: integer(limitsV4?.[index]),
      receiveLimitV6: integer(limitsV6?.[index]),
      hasMd5Key: bgp.md5AuthenticationKey !== undefined && bgp.md5AuthenticationKey !== null && bgp.md5AuthenticationKey !== "",
      md5IsSecret: resource.isSecret(["direct", "connections", index, "bgpSession", "md5AuthenticationKey"]),
    };
  });
  const regionLat = decimal(tags["region-latitude"]);
  const regionLon = decimal(tags["region-longitude"]);
  return {
    resource,
    urn: resource.urn,
    metro: text(tags.metro) ?? resource.name,
    peeringName: text(props.peeringName),
    peeringLocation: text(props.peeringLocation),
    kind: props.kind,
    sku: record(props.sku)?.name,
    region: text(tags.region),
    // A peering without a status tag is live as far as a policy can tell.
    active: tags.status !== "decommissioned",
    latitude: decimal(tags.latitude),
    longitude: decimal(tags.longitude),
    regionCentre: regionLat !== undefined && regionLon !== undefined ? { latitude: regionLat, longitude: regionLon } : undefined,
    servedRegions: (list(tags["served-regions"]) ?? []).filter((r) => r !== ""),
    connections,
    tagCounts: { "leg-names": names?.length, "leg-routers": routers?.length, "leg-interfaces": interfaces?.length },
  };
}

export function peeringsOf(resources: readonly PolicyResource[]): PeeringView[] {
  return resources.filter((r) => r.type === TYPES.peering).map(peeringView);
}

/**
 * The inventory files behind a resource, from the stack name in its URN
 * (`urn:pulumi:<stack>::...`), so that a violation names the file to fix.
 */
export function inventoryFiles(urn: string | undefined): StackPaths {
  return stackPaths(/^urn:pulumi:([^:]+)::/.exec(urn ?? "")?.[1] ?? "<stack>");
}
