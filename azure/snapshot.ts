/**
 * What Azure reports of the SP's Microsoft.Peering resources, in our own words: the PeerAsn, each
 * peering of the resource group with its connections and BGP sessions, and what is registered on
 * it. Read from the SDK's answers by `readPeerAsn`, `readPeering` and friends, which check every
 * field they take: the SDK deserialises what the server sends without checking types, so a field of
 * the wrong type is a `MalformedAnswerError` naming the resource and the field, never a wrong
 * comparison later. Fields the spec defines as read-only states stay strings (the spec models them
 * as extensible enums: a state Microsoft adds tomorrow is shown, not refused).
 *
 * Shapes: azure-rest-api-specs `Microsoft.Peering/stable/2022-10-01/peering.json` (`PeerAsn`,
 * `Peering`, `DirectConnection`, `BgpSession`, `PeeringRegisteredPrefix`, `PeeringRegisteredAsn`).
 * MD5 keys are never read into the snapshot: a connection only says whether Azure holds one.
 *
 * Pure: no SDK, no I/O.
 */

export interface AzurePeerAsn {
  name: string;
  asn?: number;
  peerName?: string;
  /** None, Pending, Approved, Failed */
  validationState?: string;
  errorMessage?: string;
  contacts: Array<{ role?: string; email?: string; phone?: string }>;
}

/** One address family of a connection's BGP session. */
export interface AzureSession {
  prefix?: string;
  microsoft?: string;
  peer?: string;
  /** Idle, Connect, Active, OpenSent, OpenConfirm, OpenReceived, Established, PendingAdd, PendingUpdate, PendingRemove, None */
  state?: string;
  maxPrefixesAdvertised?: number;
}

export interface AzureConnection {
  /** Position in the peering's `connections`: the legs' order (components/peeringLocation.ts). */
  position: number;
  identifier?: string;
  /** None, PendingApproval, Approved, ProvisioningStarted, ProvisioningFailed, ProvisioningCompleted, Validating, Active, TypeChangeRequested, TypeChangeInProgress */
  state?: string;
  errorMessage?: string;
  bandwidthMbps?: number;
  provisionedBandwidthMbps?: number;
  sessionAddressProvider?: string;
  useForPeeringService?: boolean;
  microsoftTrackingId?: string;
  peeringDbFacilityId?: number;
  ipv4: AzureSession;
  ipv6: AzureSession;
  /** Azure holds an MD5 key for the session (the key itself is never read). */
  hasMd5Key: boolean;
}

export interface AzureRegisteredPrefix {
  name: string;
  prefix?: string;
  /** None, Invalid, Verified, Failed, Pending, Warning, Unknown */
  validationState?: string;
  /** A secret: handed to customers; redacted in every report unless asked for. */
  prefixKey?: string;
  errorMessage?: string;
  provisioningState?: string;
}

export interface AzureRegisteredAsn {
  name: string;
  asn?: number;
  prefixKey?: string;
  provisioningState?: string;
}

export interface AzurePeering {
  name: string;
  kind?: string;
  sku?: string;
  peeringLocation?: string;
  /** Succeeded, Updating, Deleting, Failed */
  provisioningState?: string;
  tags: Record<string, string>;
  connections: AzureConnection[];
  registeredPrefixes: AzureRegisteredPrefix[];
  registeredAsns: AzureRegisteredAsn[];
}

export interface AzureSnapshot {
  /** Where it was read: `https://management.azure.com`, or a fake endpoint. */
  endpoint: string;
  subscription: string;
  resourceGroup: string;
  apiVersion: string;
  /** Every PeerAsn of the subscription. */
  peerAsns: AzurePeerAsn[];
  /** Every peering of the resource group, with what is registered on it. */
  peerings: AzurePeering[];
}

/** Azure answered something that is not what the REST spec says: the field, and what it held. */
export class MalformedAnswerError extends Error {
  constructor(
    readonly where: string,
    readonly what: string,
  ) {
    super(`${where}: ${what}`);
    this.name = "MalformedAnswerError";
  }
}

type Json = Record<string, unknown>;

function object(v: unknown, where: string): Json {
  if (typeof v !== "object" || v === null || Array.isArray(v))
    throw new MalformedAnswerError(where, `expected an object, got ${describe(v)}`);
  return v as Json;
}

function describe(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "an array";
  const text = JSON.stringify(v) ?? typeof v;
  return `${typeof v} ${text.length > 40 ? `${text.slice(0, 40)}…` : text}`;
}

/** Typed readers of one object's fields: absent (or null) reads as undefined, a wrong type throws. */
function fields(o: Json, where: string) {
  const at = (key: string) => `${where}.${key}`;
  const present = (key: string) => o[key] !== undefined && o[key] !== null;
  return {
    string(key: string): string | undefined {
      if (!present(key)) return undefined;
      if (typeof o[key] !== "string")
        throw new MalformedAnswerError(at(key), `expected a string, got ${describe(o[key])}`);
      return o[key];
    },
    integer(key: string): number | undefined {
      if (!present(key)) return undefined;
      if (typeof o[key] !== "number" || !Number.isInteger(o[key]))
        throw new MalformedAnswerError(at(key), `expected an integer, got ${describe(o[key])}`);
      return o[key];
    },
    boolean(key: string): boolean | undefined {
      if (!present(key)) return undefined;
      if (typeof o[key] !== "boolean")
        throw new MalformedAnswerError(at(key), `expected true or false, got ${describe(o[key])}`);
      return o[key];
    },
    name(): string {
      const v = o.name;
      if (typeof v !== "string" || v === "")
        throw new MalformedAnswerError(at("name"), `expected the resource name, got ${describe(v)}`);
      return v;
    },
    object(key: string): Json | undefined {
      return present(key) ? object(o[key], at(key)) : undefined;
    },
    array(key: string): unknown[] {
      if (!present(key)) return [];
      if (!Array.isArray(o[key])) throw new MalformedAnswerError(at(key), `expected a list, got ${describe(o[key])}`);
      return o[key];
    },
  };
}

/** A resource of a list: its name (which every later message gives), and readers of its fields. */
function resource(raw: unknown, list: string, label: (name: string) => string) {
  const o = object(raw, list);
  const name = fields(o, list).name();
  return { name, f: fields(o, label(name)), at: label(name) };
}

const defined = <T extends object>(o: T): T =>
  Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;

/** A PeerAsn as the SDK returns it (its `properties` flattened). */
export function readPeerAsn(raw: unknown, where = "peerAsns"): AzurePeerAsn {
  const { name, f, at } = resource(raw, where, (n) => `peerAsn ${n}`);
  return defined({
    name,
    asn: f.integer("peerAsn"),
    peerName: f.string("peerName"),
    validationState: f.string("validationState"),
    errorMessage: f.string("errorMessage"),
    contacts: f.array("peerContactDetail").map((c, i) => {
      const h = fields(object(c, `${at}.peerContactDetail[${i}]`), `${at}.peerContactDetail[${i}]`);
      return defined({ role: h.string("role"), email: h.string("email"), phone: h.string("phone") });
    }),
  });
}

function readSession(b: ReturnType<typeof fields>, v: "V4" | "V6", family: "IPv4" | "IPv6"): AzureSession {
  return defined({
    prefix: b.string(`sessionPrefix${v}`),
    microsoft: b.string(`microsoftSession${family}Address`),
    peer: b.string(`peerSession${family}Address`),
    state: b.string(`sessionState${v}`),
    maxPrefixesAdvertised: b.integer(`maxPrefixesAdvertised${v}`),
  });
}

function readConnection(raw: unknown, position: number, where: string): AzureConnection {
  const at = `${where}.direct.connections[${position}]`;
  const f = fields(object(raw, at), at);
  const session = f.object("bgpSession");
  const b = fields(session ?? {}, `${at}.bgpSession`);
  return defined({
    position,
    identifier: f.string("connectionIdentifier"),
    state: f.string("connectionState"),
    errorMessage: f.string("errorMessage"),
    bandwidthMbps: f.integer("bandwidthInMbps"),
    provisionedBandwidthMbps: f.integer("provisionedBandwidthInMbps"),
    sessionAddressProvider: f.string("sessionAddressProvider"),
    useForPeeringService: f.boolean("useForPeeringService"),
    microsoftTrackingId: f.string("microsoftTrackingId"),
    peeringDbFacilityId: f.integer("peeringDBFacilityId"),
    ipv4: readSession(b, "V4", "IPv4"),
    ipv6: readSession(b, "V6", "IPv6"),
    hasMd5Key: (b.string("md5AuthenticationKey") ?? "") !== "",
  });
}

/** A peering as the SDK returns it, without its registrations (read separately). */
export function readPeering(raw: unknown, where = "peerings"): AzurePeering {
  const { name, f, at } = resource(raw, where, (n) => `peering ${n}`);
  const sku = f.object("sku");
  const direct = f.object("direct");
  const tags = f.object("tags") ?? {};
  return defined({
    name,
    kind: f.string("kind"),
    sku: sku && fields(sku, `${at}.sku`).string("name"),
    peeringLocation: f.string("peeringLocation"),
    provisioningState: f.string("provisioningState"),
    tags: Object.fromEntries(
      Object.keys(tags).map((k) => [k, fields(tags, `${at}.tags`).string(k) ?? ""] as [string, string]),
    ),
    connections: direct
      ? fields(direct, `${at}.direct`)
          .array("connections")
          .map((c, i) => readConnection(c, i, at))
      : [],
    registeredPrefixes: [],
    registeredAsns: [],
  });
}

export function readRegisteredPrefix(raw: unknown, peering: string): AzureRegisteredPrefix {
  const where = `peering ${peering} registeredPrefixes`;
  const { name, f } = resource(raw, where, (n) => `${where} ${n}`);
  return defined({
    name,
    prefix: f.string("prefix"),
    validationState: f.string("prefixValidationState"),
    prefixKey: f.string("peeringServicePrefixKey"),
    errorMessage: f.string("errorMessage"),
    provisioningState: f.string("provisioningState"),
  });
}

export function readRegisteredAsn(raw: unknown, peering: string): AzureRegisteredAsn {
  const where = `peering ${peering} registeredAsns`;
  const { name, f } = resource(raw, where, (n) => `${where} ${n}`);
  return defined({
    name,
    asn: f.integer("asn"),
    prefixKey: f.string("peeringServicePrefixKey"),
    provisioningState: f.string("provisioningState"),
  });
}
