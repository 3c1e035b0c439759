/**
 * The contract between `components/peeringLocation.ts`, which declares the Azure resources, and the
 * policy pack (`policies/rules/views.ts`), which reads them. A policy under the engine sees only a
 * resource's properties, never the component's inputs, so what the rules need travels on the
 * resources themselves, written here once and read back here once:
 *
 * - each `Peering` carries Azure tags: the metro, its region and status, per leg (comma-separated,
 *   in connection order) its name, SP router, bundle interface and the routers' max-prefix limits on
 *   what Microsoft sends, the metro's and its region's coordinates, and every region the SP serves;
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
  legRouters: "leg-routers",
  legInterfaces: "leg-interfaces",
  legMaxPrefixV4: "leg-max-prefix-v4",
  legMaxPrefixV6: "leg-max-prefix-v6",
  latitude: "latitude",
  longitude: "longitude",
  regionLatitude: "region-latitude",
  regionLongitude: "region-longitude",
  servedRegions: "served-regions",
} as const;

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
  legs: ReadonlyArray<{ name: string; router: string; interface: string; maxPrefixV4?: number; maxPrefixV6?: number }>;
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
    [PEERING_TAGS.legRouters]: legs((l) => l.router),
    [PEERING_TAGS.legInterfaces]: legs((l) => l.interface),
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
  legRouters?: string[];
  legInterfaces?: string[];
  legMaxPrefixV4?: Array<number | undefined>;
  legMaxPrefixV6?: Array<number | undefined>;
  location?: Coordinates;
  regionCentre?: Coordinates;
  servedRegions: string[];
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
    legRouters: list(tags[PEERING_TAGS.legRouters]),
    legInterfaces: list(tags[PEERING_TAGS.legInterfaces]),
    legMaxPrefixV4: numbers(tags[PEERING_TAGS.legMaxPrefixV4]),
    legMaxPrefixV6: numbers(tags[PEERING_TAGS.legMaxPrefixV6]),
    location: coordinates(tags[PEERING_TAGS.latitude], tags[PEERING_TAGS.longitude]),
    regionCentre: coordinates(tags[PEERING_TAGS.regionLatitude], tags[PEERING_TAGS.regionLongitude]),
    servedRegions: (list(tags[PEERING_TAGS.servedRegions]) ?? []).filter((r) => r !== ""),
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
const list = (v: unknown): string[] | undefined => (typeof v === "string" ? v.split(",").map((s) => s.trim()) : undefined);
