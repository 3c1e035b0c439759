/**
 * The contract between `components/peeringLocation.ts`, which declares the Azure resources, and the
 * policy pack (`policies/rules/views.ts`), which reads them. A policy under the engine sees only a
 * resource's properties, never the component's inputs, so what the rules need travels on the
 * resources themselves, written here once and read back here once:
 *
 * - each `Peering` carries Azure tags: the metro, its region and lifecycle state, per leg
 *   (comma-separated, in connection order) its name, lifecycle state, SP router, bundle interface,
 *   port speed and the routers' max-prefix limits on what Microsoft sends, per keyed leg the
 *   reference of Microsoft's agreement to its MD5 key (`md5-agreement-<leg>`), the metro's and its
 *   region's coordinates, and every region the SP serves;
 * - each `RegisteredPrefix` names its origin ASN as the `-as<ASN>` suffix of `registeredPrefixName`
 *   (Azure has no origin field).
 *
 * Pure: no Pulumi here.
 */

/** Azure tag names on a `Peering`. */
export const PEERING_TAGS = {
  managedBy: "managed-by",
  metro: "metro",
  region: "region",
  status: "status",
  legNames: "leg-names",
  legStatus: "leg-status",
  legRouters: "leg-routers",
  legInterfaces: "leg-interfaces",
  legPortGbps: "leg-port-gbps",
  legMaxPrefixV4: "leg-max-prefix-v4",
  legMaxPrefixV6: "leg-max-prefix-v6",
  latitude: "latitude",
  longitude: "longitude",
  regionLatitude: "region-latitude",
  regionLongitude: "region-longitude",
  servedRegions: "served-regions",
} as const;

/** Tag name prefix of a leg's MD5 agreement: `md5-agreement-b` (a reference may hold commas no list could). */
export const MD5_AGREEMENT_TAG_PREFIX = "md5-agreement-";

/** The value of the `managed-by` tag. */
export const MANAGED_BY = "peering-as-code";

export interface Coordinates {
  latitude: number;
  longitude: number;
}

/** What a `Peering`'s tags say, as the component knows it. */
export interface PeeringTagValues {
  metro: string;
  region: string;
  status: string;
  /** In connection order. */
  legs: ReadonlyArray<{
    name: string;
    status?: string;
    router: string;
    interface: string;
    portGbps?: number;
    maxPrefixV4?: number;
    maxPrefixV6?: number;
    /** Where Microsoft agreed to the leg's MD5 key. */
    md5Agreement?: string;
  }>;
  location: Coordinates;
  /** Centre of the metro's region, where the SP lists the region. */
  regionCentre?: Coordinates;
  servedRegions: readonly string[];
}

/** The tags of a `Peering`. */
export function encodePeeringTags(v: PeeringTagValues): Record<string, string> {
  const legs = (value: (leg: PeeringTagValues["legs"][number]) => string | number | undefined) =>
    v.legs.map((l) => String(value(l) ?? "")).join(",");
  return {
    [PEERING_TAGS.managedBy]: MANAGED_BY,
    [PEERING_TAGS.metro]: v.metro,
    [PEERING_TAGS.region]: v.region,
    [PEERING_TAGS.status]: v.status,
    [PEERING_TAGS.legNames]: legs((l) => l.name),
    [PEERING_TAGS.legStatus]: legs((l) => l.status),
    [PEERING_TAGS.legRouters]: legs((l) => l.router),
    [PEERING_TAGS.legInterfaces]: legs((l) => l.interface),
    [PEERING_TAGS.legPortGbps]: legs((l) => l.portGbps),
    [PEERING_TAGS.legMaxPrefixV4]: legs((l) => l.maxPrefixV4),
    [PEERING_TAGS.legMaxPrefixV6]: legs((l) => l.maxPrefixV6),
    [PEERING_TAGS.latitude]: String(v.location.latitude),
    [PEERING_TAGS.longitude]: String(v.location.longitude),
    ...(v.regionCentre
      ? {
          [PEERING_TAGS.regionLatitude]: String(v.regionCentre.latitude),
          [PEERING_TAGS.regionLongitude]: String(v.regionCentre.longitude),
        }
      : {}),
    [PEERING_TAGS.servedRegions]: v.servedRegions.join(","),
    ...Object.fromEntries(
      v.legs.flatMap((l) => (l.md5Agreement ? [[`${MD5_AGREEMENT_TAG_PREFIX}${l.name}`, l.md5Agreement]] : [])),
    ),
  };
}

/**
 * What a `Peering`'s tags say, read back leniently: a policy also sees peerings declared by other
 * programs, so a missing or malformed tag reads as `undefined` and the rule that needs it says so.
 */
export interface PeeringTags {
  metro?: string;
  region?: string;
  status?: string;
  legNames?: string[];
  legStatus?: string[];
  legRouters?: string[];
  legInterfaces?: string[];
  legPortGbps?: Array<number | undefined>;
  legMaxPrefixV4?: Array<number | undefined>;
  legMaxPrefixV6?: Array<number | undefined>;
  location?: Coordinates;
  regionCentre?: Coordinates;
  servedRegions: string[];
  /** Per leg name, the reference of Microsoft's agreement to its MD5 key. */
  md5Agreements: Record<string, string>;
}

export function decodePeeringTags(raw: unknown): PeeringTags {
  const tags = record(raw) ?? {};
  const numbers = (v: unknown) => list(v)?.map(integer);
  const coordinates = (lat: unknown, lon: unknown): Coordinates | undefined => {
    const latitude = decimal(lat);
    const longitude = decimal(lon);
    return latitude !== undefined && longitude !== undefined ? { latitude, longitude } : undefined;
  };
  return {
    metro: text(tags[PEERING_TAGS.metro]),
    region: text(tags[PEERING_TAGS.region]),
    status: text(tags[PEERING_TAGS.status]),
    legNames: list(tags[PEERING_TAGS.legNames]),
    legStatus: list(tags[PEERING_TAGS.legStatus]),
    legRouters: list(tags[PEERING_TAGS.legRouters]),
    legInterfaces: list(tags[PEERING_TAGS.legInterfaces]),
    legPortGbps: numbers(tags[PEERING_TAGS.legPortGbps]),
    legMaxPrefixV4: numbers(tags[PEERING_TAGS.legMaxPrefixV4]),
    legMaxPrefixV6: numbers(tags[PEERING_TAGS.legMaxPrefixV6]),
    location: coordinates(tags[PEERING_TAGS.latitude], tags[PEERING_TAGS.longitude]),
    regionCentre: coordinates(tags[PEERING_TAGS.regionLatitude], tags[PEERING_TAGS.regionLongitude]),
    servedRegions: (list(tags[PEERING_TAGS.servedRegions]) ?? []).filter((r) => r !== ""),
    md5Agreements: Object.fromEntries(
      Object.entries(tags).flatMap(([k, v]) =>
        k.startsWith(MD5_AGREEMENT_TAG_PREFIX) && text(v) !== undefined
          ? [[k.slice(MD5_AGREEMENT_TAG_PREFIX.length), v as string]]
          : [],
      ),
    ),
  };
}

/** Azure resource names: letters, digits, dashes and underscores (`198.51.100.0/24` → `198-51-100-0-24`). */
export function azureName(text: string): string {
  return text.replace(/[^A-Za-z0-9_-]+/g, "-").replace(/-+$/, "");
}

/** The Azure name of a metro's `Peering`: `maps-as64500-amsterdam`. */
export function peeringName(asn: number, metro: string): string {
  return azureName(`maps-as${asn}-${metro}`);
}

/**
 * The Pulumi name of a registration: the prefix (`sp-prefix-198-51-100-0-24`) or the origin ASN
 * (`sp-origin-as64501`), never its home metro, so that another metro becoming active, or the home
 * changing, never renames it (a move replaces it in place).
 */
export function registrationResourceName(
  parent: string,
  r: { kind: "prefix" | "asn"; key: string; asn: number },
): string {
  return r.kind === "prefix" ? `${parent}-prefix-${azureName(r.key)}` : `${parent}-origin-as${r.asn}`;
}

/** `registeredAsnName` of a `RegisteredAsn`: `as64501`. */
export function registeredAsnName(asn: number): string {
  return `as${asn}`;
}

/** `registeredPrefixName` of a `RegisteredPrefix`: the prefix and its origin, `198-51-100-0-24-as64500`. */
export function registeredPrefixName(prefix: string, originAsn: number): string {
  return azureName(`${prefix}-as${originAsn}`);
}

/** The origin ASN a `registeredPrefixName` names, or undefined when it names none. */
export function originAsnOf(registeredPrefixName: string): number | undefined {
  const asn = /-as(\d+)$/.exec(registeredPrefixName)?.[1];
  return asn === undefined ? undefined : Number(asn);
}

// Lenient readers of what a policy sees (`unknown`): a value of the wrong type reads as undefined.

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
const list = (v: unknown): string[] | undefined =>
  typeof v === "string" ? v.split(",").map((s) => s.trim()) : undefined;
