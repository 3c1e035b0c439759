/**
 * What an MRT dump (RFC 6396) holds, as far as the public view needs it: the collector's peers, and
 * for each peer the routes it had (TABLE_DUMP_V2 RIB dumps) or announced and withdrew (BGP4MP update
 * dumps). Attribute values follow RFC 4271, RFC 4760 (multiprotocol reach/unreach) and RFC 6793
 * (four-octet ASNs: every AS path here is in four-octet form, AS4_PATH already merged).
 */

export type AddressFamily = 4 | 6;

/** An IP prefix: its text (as `inet_ntop` writes it, so it matches bgpdump) and its network bytes. */
export interface Prefix {
  family: AddressFamily;
  length: number;
  /** `198.51.100.0/24`, `2001:db8::/32`. */
  text: string;
  /** The network address, 4 or 16 bytes, host bits zero (a copy: safe to keep). */
  network: ArrayLike<number>;
}

export type AsPathSegmentType = "sequence" | "set" | "confed-sequence" | "confed-set";

export interface AsPathSegment {
  type: AsPathSegmentType;
  asns: number[];
}

export type Origin = "IGP" | "EGP" | "INCOMPLETE";

/** The path attributes of a route (RFC 4271 §5), decoded. */
export interface BgpAttributes {
  origin?: Origin;
  /** Four-octet AS path (RFC 6793): AS_PATH, merged with AS4_PATH where a two-octet speaker sent one. */
  asPath: AsPathSegment[];
  /** NEXT_HOP (IPv4 routes). */
  nextHop?: string;
  /** MP_REACH_NLRI's next hops (RFC 4760): the global address, then the link-local one if present. */
  mpNextHops?: string[];
  med?: number;
  localPref?: number;
  /** RFC 1997 communities, `asn:value`. */
  communities?: string[];
  /** RFC 8092 large communities, `global:local1:local2`. */
  largeCommunities?: string[];
  atomicAggregate?: boolean;
  aggregator?: { asn: number; address: string };
  /** Prefixes announced in MP_REACH_NLRI (BGP4MP updates). */
  mpAnnounced?: Prefix[];
  /** Prefixes withdrawn in MP_UNREACH_NLRI (BGP4MP updates). */
  mpWithdrawn?: Prefix[];
}

/** A collector's BGP neighbour, as the PEER_INDEX_TABLE or a BGP4MP record names it. */
export interface CollectorPeer {
  address: string;
  asn: number;
  bgpId?: string;
}

/** One route in a RIB dump or an update: what bgpdump -m prints on one line. */
export interface MrtRoute {
  kind: "rib" | "announce" | "withdraw";
  /** Seconds since the epoch: the dump's time (RIB) or the message's (update). */
  timestamp: number;
  peer: CollectorPeer;
  prefix: Prefix;
  /** Absent on a withdrawal. */
  attributes?: BgpAttributes;
  /** RFC 7911 path identifier, for ADD-PATH records. */
  pathId?: number;
  /** Byte offset of the MRT record in the (decompressed) stream. */
  offset: number;
}

/** Offset, type and subtype of a record this reader skipped, and why. */
export interface SkippedRecord {
  offset: number;
  type: number;
  subtype: number;
  reason: string;
}

/** Raised for anything malformed; the message names the byte offset it found it at. */
export class MrtError extends Error {
  constructor(
    readonly offset: number,
    readonly reason: string,
  ) {
    super(`byte ${offset}: ${reason}`);
    this.name = "MrtError";
  }
}

/** The route's next hop: NEXT_HOP for IPv4, MP_REACH_NLRI's global address for IPv6 (and where NEXT_HOP is absent). */
export function nextHopOf(route: MrtRoute): string | undefined {
  const a = route.attributes;
  if (!a) return undefined;
  if (route.prefix.family === 4 && a.nextHop !== undefined) return a.nextHop;
  return a.mpNextHops?.[0] ?? a.nextHop;
}
