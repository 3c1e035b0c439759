/**
 * Decodes one MRT record (RFC 6396) into routes: TABLE_DUMP_V2 (PEER_INDEX_TABLE, RIB_IPV4_UNICAST,
 * RIB_IPV6_UNICAST and their RFC 8050 ADD-PATH forms) and BGP4MP / BGP4MP_ET (BGP4MP_MESSAGE,
 * _MESSAGE_AS4, their _LOCAL and ADD-PATH forms, and the state changes). Pure: bytes in, routes out.
 *
 * Every read is bounds-checked against the field that contains it (an attribute cannot read past its
 * own length, nor a RIB entry past the record), so a malformed record raises an MrtError naming the
 * byte offset in the stream, never reads a neighbour's bytes, and every loop advances: no hang.
 */
import { formatAddress, formatIPv4, makePrefix } from "./address";
import {
  MrtError,
  type AddressFamily,
  type AsPathSegment,
  type AsPathSegmentType,
  type BgpAttributes,
  type CollectorPeer,
  type MrtRoute,
  type Origin,
  type Prefix,
  type SkippedRecord,
} from "./model";
import { plural } from "../cli/text";

/** MRT types (RFC 6396 §4, IANA "MRT Types"). */
export const MRT_TYPE = { TABLE_DUMP: 12, TABLE_DUMP_V2: 13, BGP4MP: 16, BGP4MP_ET: 17 } as const;

/** TABLE_DUMP_V2 subtypes (RFC 6396 §4.3, RFC 8050 §3 for ADD-PATH). */
export const TABLE_DUMP_V2 = {
  PEER_INDEX_TABLE: 1,
  RIB_IPV4_UNICAST: 2,
  RIB_IPV4_MULTICAST: 3,
  RIB_IPV6_UNICAST: 4,
  RIB_IPV6_MULTICAST: 5,
  RIB_GENERIC: 6,
  RIB_IPV4_UNICAST_ADDPATH: 8,
  RIB_IPV6_UNICAST_ADDPATH: 10,
} as const;

/** BGP4MP subtypes (RFC 6396 §4.4, RFC 8050 §3). */
export const BGP4MP = {
  STATE_CHANGE: 0,
  MESSAGE: 1,
  MESSAGE_AS4: 4,
  STATE_CHANGE_AS4: 5,
  MESSAGE_LOCAL: 6,
  MESSAGE_AS4_LOCAL: 7,
  MESSAGE_ADDPATH: 8,
  MESSAGE_AS4_ADDPATH: 9,
  MESSAGE_LOCAL_ADDPATH: 10,
  MESSAGE_AS4_LOCAL_ADDPATH: 11,
} as const;

/** BGP path attribute type codes (IANA "BGP Path Attributes"). */
const ATTR = {
  ORIGIN: 1,
  AS_PATH: 2,
  NEXT_HOP: 3,
  MED: 4,
  LOCAL_PREF: 5,
  ATOMIC_AGGREGATE: 6,
  AGGREGATOR: 7,
  COMMUNITY: 8,
  MP_REACH_NLRI: 14,
  MP_UNREACH_NLRI: 15,
  AS4_PATH: 17,
  AS4_AGGREGATOR: 18,
  LARGE_COMMUNITY: 32,
} as const;

const ORIGINS: readonly Origin[] = ["IGP", "EGP", "INCOMPLETE"];

/** `attribute 2`, made once per type code: error texts are not built on the hot path. */
const ATTRIBUTE_NAMES: string[] = Array.from({ length: 256 }, (_v, i) => `attribute ${i}`);
const attributeName = (type: number): string => ATTRIBUTE_NAMES[type] ?? `attribute ${type}`;
const SEGMENT_TYPES: Record<number, AsPathSegmentType> = {
  1: "set",
  2: "sequence",
  3: "confed-sequence",
  4: "confed-set",
};

/** The MRT common header (RFC 6396 §2): 12 bytes, plus 4 of microseconds for the _ET types. */
export const MRT_HEADER_LENGTH = 12;

/**
 * A bounds-checked reader over `buf[pos, end)`. `base` is the stream offset of `buf[0]`, so errors
 * name where in the file the bad field is.
 */
class Cursor {
  constructor(
    readonly buf: Buffer,
    public pos: number,
    readonly end: number,
    readonly base: number,
    /** What the bytes are, for errors: a text, or the offset of the record they belong to. */
    readonly within: string | number,
  ) {}

  get left(): number {
    return this.end - this.pos;
  }

  need(n: number, what: string): void {
    if (n > this.end - this.pos) {
      throw new MrtError(
        this.base + this.pos,
        `${what} needs ${plural(n, "byte")} but ${typeof this.within === "number" ? `the record at byte ${this.within}` : this.within} has only ${this.end - this.pos} left`,
      );
    }
  }

  u8(what: string): number {
    this.need(1, what);
    return this.buf[this.pos++];
  }

  u16(what: string): number {
    this.need(2, what);
    const v = this.buf.readUInt16BE(this.pos);
    this.pos += 2;
    return v;
  }

  u32(what: string): number {
    this.need(4, what);
    const v = this.buf.readUInt32BE(this.pos);
    this.pos += 4;
    return v;
  }

  /** A sub-cursor over the next `n` bytes (which this cursor skips). */
  sub(n: number, what: string, within: string): Cursor {
    this.need(n, what);
    const c = new Cursor(this.buf, this.pos, this.pos + n, this.base, within);
    this.pos += n;
    return c;
  }

  address(family: AddressFamily, what: string): string {
    const n = family === 4 ? 4 : 16;
    this.need(n, what);
    const s = formatAddress(family, this.buf, this.pos);
    this.pos += n;
    return s;
  }

  /** `bits` of prefix, encoded in ceil(bits/8) bytes (RFC 4271 §4.3): a copy, host bits cleared. */
  prefix(family: AddressFamily, bits: number, what: string): Prefix {
    const max = family === 4 ? 32 : 128;
    if (bits > max) {
      throw new MrtError(this.base + this.pos - 1, `${what} has length ${bits}, more than the ${max} of IPv${family}`);
    }
    const n = (bits + 7) >> 3;
    this.need(n, what);
    // A plain array: far cheaper to allocate than a typed array, once per prefix of a full table.
    const network: number[] = max === 32 ? [0, 0, 0, 0] : [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0];
    for (let i = 0; i < n; i++) network[i] = this.buf[this.pos + i];
    if (bits & 7) network[n - 1] &= (0xff << (8 - (bits & 7))) & 0xff;
    this.pos += n;
    return makePrefix(family, bits, network);
  }
}

/** The PEER_INDEX_TABLE a RIB dump's entries refer to (RFC 6396 §4.3.1). */
export interface PeerIndex {
  collectorId: string;
  viewName: string;
  peers: CollectorPeer[];
}

/** A record's header as the framer found it. */
export interface RecordHeader {
  timestamp: number;
  type: number;
  subtype: number;
  /** Stream offset of the record's first header byte. */
  offset: number;
}

/** What a record decodes to. */
export type Decoded =
  | { kind: "peer-index"; peerIndex: PeerIndex }
  | { kind: "routes"; routes: MrtRoute[] }
  | { kind: "state"; peer: CollectorPeer; from: number; to: number }
  | { kind: "message"; peer: CollectorPeer; bgpType: number }
  | { kind: "skipped"; skipped: SkippedRecord };

/**
 * Decodes a record's body, `buf[start, end)` (after the common header and, for _ET, the
 * microseconds), whose first byte is at stream offset `bodyOffset`. `peerIndex` is the table the dump
 * declared before its RIB records.
 */
export function decodeRecord(
  header: RecordHeader,
  buf: Buffer,
  start: number,
  end: number,
  bodyOffset: number,
  peerIndex: PeerIndex | undefined,
): Decoded {
  const c = new Cursor(buf, start, end, bodyOffset - start, header.offset);
  const skip = (reason: string): Decoded => ({
    kind: "skipped",
    skipped: { offset: header.offset, type: header.type, subtype: header.subtype, reason },
  });
  if (header.type === MRT_TYPE.TABLE_DUMP_V2) {
    switch (header.subtype) {
      case TABLE_DUMP_V2.PEER_INDEX_TABLE:
        return { kind: "peer-index", peerIndex: decodePeerIndex(c) };
      case TABLE_DUMP_V2.RIB_IPV4_UNICAST:
      case TABLE_DUMP_V2.RIB_IPV6_UNICAST:
      case TABLE_DUMP_V2.RIB_IPV4_UNICAST_ADDPATH:
      case TABLE_DUMP_V2.RIB_IPV6_UNICAST_ADDPATH: {
        if (!peerIndex) {
          throw new MrtError(header.offset, "a RIB record before any PEER_INDEX_TABLE: its peer indexes mean nothing");
        }
        return { kind: "routes", routes: decodeRib(c, header, peerIndex) };
      }
      default:
        return skip(`TABLE_DUMP_V2 subtype ${header.subtype} (multicast or RIB_GENERIC) is not unicast: not read`);
    }
  }
  if (header.type === MRT_TYPE.BGP4MP || header.type === MRT_TYPE.BGP4MP_ET) {
    switch (header.subtype) {
      case BGP4MP.STATE_CHANGE:
      case BGP4MP.STATE_CHANGE_AS4: {
        const peer = decodeBgp4mpPeers(c, header.subtype === BGP4MP.STATE_CHANGE_AS4);
        return { kind: "state", peer, from: c.u16("old state"), to: c.u16("new state") };
      }
      case BGP4MP.MESSAGE:
      case BGP4MP.MESSAGE_AS4:
      case BGP4MP.MESSAGE_LOCAL:
      case BGP4MP.MESSAGE_AS4_LOCAL:
      case BGP4MP.MESSAGE_ADDPATH:
      case BGP4MP.MESSAGE_AS4_ADDPATH:
      case BGP4MP.MESSAGE_LOCAL_ADDPATH:
      case BGP4MP.MESSAGE_AS4_LOCAL_ADDPATH:
        return decodeBgp4mpMessage(c, header);
      default:
        return skip(`BGP4MP subtype ${header.subtype} is not one this reader knows`);
    }
  }
  if (header.type === MRT_TYPE.TABLE_DUMP) {
    return skip("TABLE_DUMP (version 1, before 2008) is not read: convert with a TABLE_DUMP_V2 dump");
  }
  return skip(`MRT type ${header.type} is not a BGP dump (TABLE_DUMP_V2 is 13, BGP4MP 16, BGP4MP_ET 17)`);
}

function decodePeerIndex(c: Cursor): PeerIndex {
  c.need(4, "the collector BGP ID");
  const collectorId = formatIPv4(c.buf, c.pos);
  c.pos += 4;
  const nameLength = c.u16("the view name length");
  c.need(nameLength, "the view name");
  const viewName = c.buf.toString("utf8", c.pos, c.pos + nameLength);
  c.pos += nameLength;
  const count = c.u16("the peer count");
  const peers: CollectorPeer[] = [];
  for (let i = 0; i < count; i++) {
    const peerType = c.u8(`peer ${i}'s type`);
    c.need(4, `peer ${i}'s BGP ID`);
    const bgpId = formatIPv4(c.buf, c.pos);
    c.pos += 4;
    const address = c.address(peerType & 0x01 ? 6 : 4, `peer ${i}'s address`);
    const asn = peerType & 0x02 ? c.u32(`peer ${i}'s ASN`) : c.u16(`peer ${i}'s ASN`);
    peers.push({ address, asn, bgpId });
  }
  return { collectorId, viewName, peers };
}

function decodeRib(c: Cursor, header: RecordHeader, index: PeerIndex): MrtRoute[] {
  const family: AddressFamily =
    header.subtype === TABLE_DUMP_V2.RIB_IPV4_UNICAST || header.subtype === TABLE_DUMP_V2.RIB_IPV4_UNICAST_ADDPATH
      ? 4
      : 6;
  const addPath =
    header.subtype === TABLE_DUMP_V2.RIB_IPV4_UNICAST_ADDPATH ||
    header.subtype === TABLE_DUMP_V2.RIB_IPV6_UNICAST_ADDPATH;
  c.u32("the sequence number");
  const prefix = c.prefix(family, c.u8("the prefix length"), "the prefix");
  const count = c.u16("the entry count");
  const routes: MrtRoute[] = [];
  for (let i = 0; i < count; i++) {
    const at = c.base + c.pos;
    const peerNo = c.u16("an entry's peer index");
    const peer = index.peers[peerNo];
    if (!peer) {
      throw new MrtError(at, `entry ${i} names peer index ${peerNo}; the PEER_INDEX_TABLE has ${index.peers.length}`);
    }
    c.u32("an entry's originated time");
    const pathId = addPath ? c.u32("an entry's path identifier") : undefined;
    const attrLength = c.u16("an entry's attribute length");
    const attrs = c.sub(attrLength, "the entry's attributes", "the entry's attributes");
    const attributes = decodeAttributes(attrs, true, "rib");
    routes.push({ kind: "rib", timestamp: header.timestamp, peer, prefix, attributes, pathId, offset: header.offset });
  }
  if (c.left !== 0) throw new MrtError(c.base + c.pos, `${c.left} bytes after the last RIB entry`);
  return routes;
}

function decodeBgp4mpPeers(c: Cursor, as4: boolean): CollectorPeer {
  const asn = as4 ? c.u32("the peer ASN") : c.u16("the peer ASN");
  if (as4) c.u32("the local ASN");
  else c.u16("the local ASN");
  c.u16("the interface index");
  const afiAt = c.base + c.pos;
  const afi = c.u16("the address family");
  if (afi !== 1 && afi !== 2) throw new MrtError(afiAt, `address family ${afi} is neither IPv4 (1) nor IPv6 (2)`);
  const family: AddressFamily = afi === 1 ? 4 : 6;
  const address = c.address(family, "the peer address");
  c.address(family, "the local address");
  return { address, asn };
}

function decodeBgp4mpMessage(c: Cursor, header: RecordHeader): Decoded {
  const s = header.subtype;
  const as4 =
    s === BGP4MP.MESSAGE_AS4 ||
    s === BGP4MP.MESSAGE_AS4_LOCAL ||
    s === BGP4MP.MESSAGE_AS4_ADDPATH ||
    s === BGP4MP.MESSAGE_AS4_LOCAL_ADDPATH;
  const addPath = s >= BGP4MP.MESSAGE_ADDPATH;
  const peer = decodeBgp4mpPeers(c, as4);
  // The BGP message (RFC 4271 §4.1): 16 bytes of marker, its length, its type.
  const markerAt = c.base + c.pos;
  c.need(19, "the BGP message header");
  for (let i = 0; i < 16; i++) {
    if (c.buf[c.pos + i] !== 0xff) throw new MrtError(markerAt + i, "the BGP message marker is not 16 bytes of 0xff");
  }
  c.pos += 16;
  const lengthAt = c.base + c.pos;
  const length = c.u16("the BGP message length");
  const bgpType = c.u8("the BGP message type");
  if (length < 19 || length - 19 > c.left) {
    throw new MrtError(
      lengthAt,
      `the BGP message says it is ${length} bytes; the record holds ${c.left + 19} from its marker on`,
    );
  }
  if (bgpType !== 2) return { kind: "message", peer, bgpType };
  const msg = c.sub(length - 19, "the UPDATE", "the UPDATE message");
  const withdrawnLength = msg.u16("the withdrawn routes length");
  const withdrawnBytes = msg.sub(withdrawnLength, "the withdrawn routes", "the withdrawn routes");
  const attrLength = msg.u16("the path attributes length");
  const attrs = decodeAttributes(msg.sub(attrLength, "the path attributes", "the path attributes"), as4, "update");
  const withdrawn = decodeNlri(withdrawnBytes, 4, addPath, "a withdrawn route");
  const announced = decodeNlri(msg, 4, addPath, "an NLRI prefix");
  const routes: MrtRoute[] = [];
  const base = { timestamp: header.timestamp, peer, offset: header.offset };
  for (const w of [...withdrawn, ...(attrs.mpWithdrawn ?? []).map((prefix) => ({ prefix, pathId: undefined }))]) {
    routes.push({ ...base, kind: "withdraw", prefix: w.prefix, pathId: w.pathId });
  }
  for (const a of announced) {
    routes.push({ ...base, kind: "announce", prefix: a.prefix, attributes: attrs, pathId: a.pathId });
  }
  for (const prefix of attrs.mpAnnounced ?? []) {
    routes.push({ ...base, kind: "announce", prefix, attributes: attrs });
  }
  return { kind: "routes", routes };
}

function decodeNlri(
  c: Cursor,
  family: AddressFamily,
  addPath: boolean,
  what: string,
): Array<{ prefix: Prefix; pathId?: number }> {
  const out: Array<{ prefix: Prefix; pathId?: number }> = [];
  while (c.left > 0) {
    const pathId = addPath ? c.u32("a prefix's path identifier") : undefined;
    const bits = c.u8("a prefix's length");
    out.push({ prefix: c.prefix(family, bits, what), pathId });
  }
  return out;
}

/**
 * Path attributes (RFC 4271 §4.3). `as4`: AS numbers in AS_PATH and AGGREGATOR are four octets (always
 * in TABLE_DUMP_V2, RFC 6396 §4.3.4; in BGP4MP only for the _AS4 subtypes). `context` "rib": MP_REACH
 * is the abbreviated form RFC 6396 §4.3.4 prescribes (next hop length and next hop only).
 */
function decodeAttributes(c: Cursor, as4: boolean, context: "rib" | "update"): BgpAttributes {
  // Every field present from the start: one object shape for every route, whatever it carries.
  const attrs: BgpAttributes = {
    origin: undefined,
    asPath: [],
    nextHop: undefined,
    mpNextHops: undefined,
    med: undefined,
    localPref: undefined,
    communities: undefined,
    largeCommunities: undefined,
    atomicAggregate: undefined,
    aggregator: undefined,
    mpAnnounced: undefined,
    mpWithdrawn: undefined,
  };
  let as4Path: AsPathSegment[] | undefined;
  while (c.left > 0) {
    const flags = c.u8("an attribute's flags");
    const type = c.u8("an attribute's type");
    const extended = (flags & 0x10) !== 0;
    const length = extended ? c.u16("an attribute's extended length") : c.u8("an attribute's length");
    const name = attributeName(type);
    const v = c.sub(length, name, name);
    switch (type) {
      case ATTR.ORIGIN: {
        const o = v.u8("ORIGIN");
        const origin = ORIGINS[o];
        if (origin === undefined)
          throw new MrtError(v.base + v.pos - 1, `ORIGIN ${o} is not IGP (0), EGP (1) or INCOMPLETE (2)`);
        attrs.origin = origin;
        break;
      }
      case ATTR.AS_PATH:
        attrs.asPath = decodeAsPath(v, as4 ? 4 : 2, "AS_PATH");
        break;
      case ATTR.AS4_PATH:
        as4Path = decodeAsPath(v, 4, "AS4_PATH");
        break;
      case ATTR.NEXT_HOP:
        attrs.nextHop = v.address(4, "NEXT_HOP");
        break;
      case ATTR.MED:
        attrs.med = v.u32("MULTI_EXIT_DISC");
        break;
      case ATTR.LOCAL_PREF:
        attrs.localPref = v.u32("LOCAL_PREF");
        break;
      case ATTR.ATOMIC_AGGREGATE:
        attrs.atomicAggregate = true;
        break;
      case ATTR.AGGREGATOR: {
        const asn = as4 ? v.u32("AGGREGATOR's ASN") : v.u16("AGGREGATOR's ASN");
        attrs.aggregator = { asn, address: v.address(4, "AGGREGATOR's address") };
        break;
      }
      case ATTR.AS4_AGGREGATOR:
        attrs.aggregator = { asn: v.u32("AS4_AGGREGATOR's ASN"), address: v.address(4, "AS4_AGGREGATOR's address") };
        break;
      case ATTR.COMMUNITY: {
        const list: string[] = [];
        while (v.left > 0) list.push(`${v.u16("a community")}:${v.u16("a community")}`);
        attrs.communities = list;
        break;
      }
      case ATTR.LARGE_COMMUNITY: {
        const list: string[] = [];
        while (v.left > 0) {
          list.push(`${v.u32("a large community")}:${v.u32("a large community")}:${v.u32("a large community")}`);
        }
        attrs.largeCommunities = list;
        break;
      }
      case ATTR.MP_REACH_NLRI:
        decodeMpReach(v, attrs, context);
        break;
      case ATTR.MP_UNREACH_NLRI: {
        const family = afiFamily(v, "MP_UNREACH_NLRI");
        v.u8("MP_UNREACH_NLRI's SAFI");
        attrs.mpWithdrawn = decodeNlri(v, family, false, "a withdrawn prefix").map((p) => p.prefix);
        break;
      }
      default:
        // Any other attribute (MP_REACH aside, nothing here needs it) is skipped by its length.
        break;
    }
  }
  if (as4Path && !as4) attrs.asPath = mergeAs4Path(attrs.asPath, as4Path);
  return attrs;
}

function afiFamily(v: Cursor, what: "MP_REACH_NLRI" | "MP_UNREACH_NLRI"): AddressFamily {
  const at = v.base + v.pos;
  const afi = v.u16(what === "MP_REACH_NLRI" ? "MP_REACH_NLRI's AFI" : "MP_UNREACH_NLRI's AFI");
  if (afi !== 1 && afi !== 2) throw new MrtError(at, `${what}'s AFI ${afi} is neither IPv4 (1) nor IPv6 (2)`);
  return afi === 1 ? 4 : 6;
}

/** Next hops of a given length: 4 (IPv4), 16 (IPv6 global), 32 (global and link-local). */
function nextHops(v: Cursor, length: number, what: string): string[] {
  const at = v.base + v.pos;
  const hops = v.sub(length, what, what);
  if (length === 4) return [hops.address(4, what)];
  if (length === 16 || length === 32) {
    const out = [hops.address(6, what)];
    if (length === 32) out.push(hops.address(6, what));
    return out;
  }
  if (length === 12 || length === 24 || length === 48) {
    // RFC 4659-style next hops with an 8-byte route distinguisher: unicast dumps carry none.
    throw new MrtError(at, `${what} of ${length} bytes carries a route distinguisher: not a unicast route`);
  }
  throw new MrtError(at, `${what} is ${length} bytes; expected 4, 16 or 32`);
}

function decodeMpReach(v: Cursor, attrs: BgpAttributes, context: "rib" | "update"): void {
  // RFC 6396 §4.3.4: in a RIB entry, MP_REACH_NLRI holds only the next hop length and the next hop.
  // Some writers put the full RFC 4760 form there anyway; the first byte tells them apart.
  if (context === "rib" && v.left > 0 && v.buf[v.pos] === v.left - 1) {
    const n = v.u8("MP_REACH_NLRI's next hop length");
    attrs.mpNextHops = nextHops(v, n, "MP_REACH_NLRI's next hop");
    return;
  }
  const family = afiFamily(v, "MP_REACH_NLRI");
  v.u8("MP_REACH_NLRI's SAFI");
  const n = v.u8("MP_REACH_NLRI's next hop length");
  attrs.mpNextHops = nextHops(v, n, "MP_REACH_NLRI's next hop");
  v.u8("MP_REACH_NLRI's reserved byte");
  if (context === "update")
    attrs.mpAnnounced = decodeNlri(v, family, false, "an announced prefix").map((p) => p.prefix);
}

function decodeAsPath(v: Cursor, asnSize: 2 | 4, what: string): AsPathSegment[] {
  const segments: AsPathSegment[] = [];
  while (v.left > 0) {
    const at = v.base + v.pos;
    const code = v.u8(what === "AS_PATH" ? "an AS_PATH segment's type" : "an AS4_PATH segment's type");
    const type = SEGMENT_TYPES[code];
    if (type === undefined)
      throw new MrtError(
        at,
        `${what} segment type ${code} is not AS_SET (1), AS_SEQUENCE (2) or a confederation's (3, 4)`,
      );
    const count = v.u8(what === "AS_PATH" ? "an AS_PATH segment's length" : "an AS4_PATH segment's length");
    if (count * asnSize > v.left) v.need(count * asnSize, `an ${what} segment of ${count} ASNs of ${asnSize} bytes`);
    const asns = new Array<number>(count);
    for (let i = 0; i < count; i++) {
      asns[i] = asnSize === 4 ? v.buf.readUInt32BE(v.pos) : v.buf.readUInt16BE(v.pos);
      v.pos += asnSize;
    }
    segments.push({ type, asns });
  }
  return segments;
}

/** How many ASNs a path counts for (RFC 4271 §9.1.2.2: a set counts one, confederation segments none). */
function pathCount(segments: readonly AsPathSegment[]): number {
  let n = 0;
  for (const s of segments) {
    if (s.type === "sequence") n += s.asns.length;
    else if (s.type === "set") n += 1;
  }
  return n;
}

/**
 * RFC 6793 §4.2.3: a two-octet speaker's AS_PATH (with AS_TRANS, 23456, for every four-octet ASN)
 * merged with its AS4_PATH: keep the leading ASNs of AS_PATH that AS4_PATH does not cover, then
 * AS4_PATH. If AS4_PATH is the longer, it is ignored.
 */
export function mergeAs4Path(asPath: AsPathSegment[], as4Path: AsPathSegment[]): AsPathSegment[] {
  const total = pathCount(asPath);
  const fromAs4 = pathCount(as4Path);
  if (fromAs4 > total) return asPath;
  let keep = total - fromAs4;
  const head: AsPathSegment[] = [];
  for (const s of asPath) {
    if (keep === 0) break;
    if (s.type === "sequence") {
      const take = Math.min(keep, s.asns.length);
      head.push({ type: s.type, asns: s.asns.slice(0, take) });
      keep -= take;
    } else {
      head.push(s);
      if (s.type === "set") keep -= 1;
    }
  }
  const merged = [...head, ...as4Path];
  // Adjacent AS_SEQUENCEs from the two halves are one sequence.
  const out: AsPathSegment[] = [];
  for (const s of merged) {
    const last = out[out.length - 1];
    if (last && last.type === "sequence" && s.type === "sequence") last.asns = [...last.asns, ...s.asns];
    else out.push({ type: s.type, asns: [...s.asns] });
  }
  return out;
}
