/**
 * Typed views of the resources the rules read, built from raw props (which are `unknown`: a policy
 * also sees stacks built by other programs). A field that is missing or of the wrong type reads as
 * `undefined`, and the rule that needs it says so. What the component puts on the resources for the
 * rules (tags, the origin ASN in a registered prefix's name) is `plan/peeringTags.ts`.
 */
import { stackPaths, type StackPaths } from "../../load/stackPaths";
import { LIFECYCLE, lifecycleState, type LifecycleState } from "../../plan/lifecycle";
import { decodePeeringTags, integer, originAsnOf, PEERING_TAGS, record, text } from "../../plan/peeringTags";
import { TYPES, type PolicyResource } from "./types";

export { integer, record, text };

export interface ConnectionView {
  /** 0-based position in `direct.connections`. */
  index: number;
  /** `leg b (fra-edge-2 Bundle-Ether100)`, or `connection 2` when the tags do not say. */
  label: string;
  legName?: string;
  /** The leg's lifecycle state (tag leg-status), else the peering's. */
  status: LifecycleState;
  /** The leg is one of the metro's connections in service (not decommissioned). */
  inService: boolean;
  router?: string;
  interface?: string;
  /** Speed of each LAG member port (tag leg-port-gbps). */
  portGbps?: number;
  bandwidthMbps?: number;
  useForPeeringService?: unknown;
  sessionAddressProvider?: string;
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
  /** Where Microsoft agreed to the MD5 key (tag md5-agreement-<leg>). */
  md5Agreement?: string;
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
  /** The metro's lifecycle state from the status tag; a peering without one is live as far as a policy can tell. */
  status: LifecycleState;
  /** The status tag as written, when it names no lifecycle state. */
  unknownStatus?: string;
  /** One of the SP's metros in service (requested to maintenance): what redundancy is counted on. */
  inService: boolean;
  latitude?: number;
  longitude?: number;
  regionCentre?: { latitude: number; longitude: number };
  servedRegions: string[];
  connections: ConnectionView[];
  /** Number of entries in each per-leg tag, to spot tags that do not match the connections. */
  tagCounts: Record<
    typeof PEERING_TAGS.legNames | typeof PEERING_TAGS.legRouters | typeof PEERING_TAGS.legInterfaces,
    number | undefined
  >;
}

export function peeringView(resource: PolicyResource): PeeringView {
  const props = resource.props;
  const tags = decodePeeringTags(props.tags);
  const direct = record(props.direct) ?? {};
  const rawConnections = Array.isArray(direct.connections) ? direct.connections : [];
  const { legNames: names, legRouters: routers, legInterfaces: interfaces } = tags;
  // A peering without a status tag is live as far as a policy can tell.
  const status = tags.status === undefined ? "active" : (lifecycleState(tags.status) ?? "active");
  const connections = rawConnections.map((raw, index): ConnectionView => {
    const c = record(raw) ?? {};
    const bgp = record(c.bgpSession) ?? {};
    const legName = names?.[index];
    const router = routers?.[index];
    const iface = interfaces?.[index];
    const where = [router, iface].filter(Boolean).join(" ");
    const label = legName
      ? `leg ${legName}${where ? ` (${where})` : ""}`
      : `connection ${index + 1}${where ? ` (${where})` : ""}`;
    const legStatus = lifecycleState(tags.legStatus?.[index]) ?? status;
    return {
      index,
      label,
      legName,
      status: legStatus,
      inService: LIFECYCLE[status].inService && legStatus !== "decommissioned",
      router,
      interface: iface,
      portGbps: tags.legPortGbps?.[index],
      bandwidthMbps: integer(c.bandwidthInMbps),
      useForPeeringService: c.useForPeeringService,
      sessionAddressProvider: text(c.sessionAddressProvider),
      sessionPrefixV4: text(bgp.sessionPrefixV4),
      sessionPrefixV6: text(bgp.sessionPrefixV6),
      microsoftV4: text(bgp.microsoftSessionIPv4Address),
      microsoftV6: text(bgp.microsoftSessionIPv6Address),
      peerV4: text(bgp.peerSessionIPv4Address),
      peerV6: text(bgp.peerSessionIPv6Address),
      maxPrefixesAdvertisedV4: integer(bgp.maxPrefixesAdvertisedV4),
      maxPrefixesAdvertisedV6: integer(bgp.maxPrefixesAdvertisedV6),
      receiveLimitV4: tags.legMaxPrefixV4?.[index],
      receiveLimitV6: tags.legMaxPrefixV6?.[index],
      hasMd5Key:
        bgp.md5AuthenticationKey !== undefined && bgp.md5AuthenticationKey !== null && bgp.md5AuthenticationKey !== "",
      md5IsSecret: resource.isSecret(["direct", "connections", index, "bgpSession", "md5AuthenticationKey"]),
      ...(legName !== undefined && tags.md5Agreements[legName] !== undefined
        ? { md5Agreement: tags.md5Agreements[legName] }
        : {}),
    };
  });
  return {
    resource,
    urn: resource.urn,
    metro: tags.metro ?? resource.name,
    peeringName: text(props.peeringName),
    peeringLocation: text(props.peeringLocation),
    kind: props.kind,
    sku: record(props.sku)?.name,
    region: tags.region,
    status,
    ...(tags.status !== undefined && lifecycleState(tags.status) === undefined ? { unknownStatus: tags.status } : {}),
    inService: LIFECYCLE[status].inService,
    latitude: tags.location?.latitude,
    longitude: tags.location?.longitude,
    regionCentre: tags.regionCentre,
    servedRegions: tags.servedRegions,
    connections,
    tagCounts: {
      [PEERING_TAGS.legNames]: names?.length,
      [PEERING_TAGS.legRouters]: routers?.length,
      [PEERING_TAGS.legInterfaces]: interfaces?.length,
    },
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

/** A RegisteredPrefix or RegisteredAsn as a policy sees it. */
export interface RegistrationView {
  resource: PolicyResource;
  kind: "prefix" | "asn";
  /** `198.51.100.0/24` or `AS64501`, as the inventory and the lock spell it. */
  key?: string;
  /** The Azure name of the peering it is registered on. */
  peeringName?: string;
  /** The origin ASN: the registered ASN, or the `-as<ASN>` suffix of a registered prefix's name. */
  asn?: number;
}

export function registrationsOf(resources: readonly PolicyResource[]): RegistrationView[] {
  return resources.flatMap((r): RegistrationView[] => {
    if (r.type === TYPES.registeredPrefix) {
      return [
        {
          resource: r,
          kind: "prefix",
          key: text(r.props.prefix),
          peeringName: text(r.props.peeringName),
          asn: originAsnOf(text(r.props.registeredPrefixName) ?? ""),
        },
      ];
    }
    if (r.type === TYPES.registeredAsn) {
      const asn = integer(r.props.asn);
      return [
        {
          resource: r,
          kind: "asn",
          key: asn === undefined ? undefined : `AS${asn}`,
          peeringName: text(r.props.peeringName),
          asn,
        },
      ];
    }
    return [];
  });
}
