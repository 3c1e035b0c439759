/**
 * Writes MRT records (RFC 6396): the PEER_INDEX_TABLE, RIB_IPV4/IPV6_UNICAST and BGP4MP(_ET) UPDATE
 * messages, with the path attributes the reader decodes. For tests (whose byte-by-byte fixtures this
 * writer must reproduce exactly) and the benchmark's synthetic full table; never for collectors.
 */
import { parsePrefix } from "./address";
import { BGP4MP, MRT_TYPE, TABLE_DUMP_V2 } from "./decode";
import type { AsPathSegment, Origin, Prefix } from "./model";

export interface PeerSpec {
  bgpId: string;
  address: string;
  asn: number;
  /** A two-octet ASN in the table (peer type bit 1 clear); four octets otherwise. */
  asnSize?: 2 | 4;
}

export interface AttributeSpec {
  origin?: Origin;
  asPath?: AsPathSegment[];
  /** For a two-octet speaker's UPDATE (BGP4MP_MESSAGE): its AS4_PATH. */
  as4Path?: AsPathSegment[];
  nextHop?: string;
  med?: number;
  localPref?: number;
  communities?: string[];
  /** RIB entries: abbreviated MP_REACH_NLRI (RFC 6396 §4.3.4) with these next hops. */
  mpNextHops?: string[];
}

const SEGMENT_CODES: Record<AsPathSegment["type"], number> = {
  set: 1,
  sequence: 2,
  "confed-sequence": 3,
  "confed-set": 4,
};
const ORIGIN_CODES: Record<Origin, number> = { IGP: 0, EGP: 1, INCOMPLETE: 2 };

function u16(n: number): number[] {
  return [(n >>> 8) & 0xff, n & 0xff];
}
function u32(n: number): number[] {
  return [(n >>> 24) & 0xff, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff];
}

function addressBytes(text: string): number[] {
  const p = parsePrefix(`${text}/${text.includes(":") ? 128 : 32}`);
  if (!p) throw new Error(`mrt/write: ${text} is not an address`);
  return Array.from(p.network);
}

function prefixOf(text: string): Prefix {
  const p = parsePrefix(text);
  if (!p) throw new Error(`mrt/write: ${text} is not a prefix`);
  return p;
}

/** RFC 4271 §4.3: the length in bits, then just the bytes that hold them. */
export function encodePrefix(text: string): number[] {
  const p = prefixOf(text);
  return [p.length, ...Array.from(p.network).slice(0, (p.length + 7) >> 3)];
}

function attribute(flags: number, type: number, value: number[]): number[] {
  // Extended length (flag 0x10) only when the value needs it, as routers write it.
  if (value.length > 255) return [flags | 0x10, type, ...u16(value.length), ...value];
  return [flags, type, value.length, ...value];
}

function asPathValue(segments: readonly AsPathSegment[], asnSize: 2 | 4): number[] {
  return segments.flatMap((s) => [
    SEGMENT_CODES[s.type],
    s.asns.length,
    ...s.asns.flatMap((a) => (asnSize === 4 ? u32(a) : u16(a))),
  ]);
}

/** Path attributes in type-code order; `asnSize` 2 for a two-octet speaker's UPDATE. */
export function encodeAttributes(a: AttributeSpec, asnSize: 2 | 4 = 4, mp?: number[]): number[] {
  const out: number[] = [];
  if (a.origin) out.push(...attribute(0x40, 1, [ORIGIN_CODES[a.origin]]));
  if (a.asPath) out.push(...attribute(0x40, 2, asPathValue(a.asPath, asnSize)));
  if (a.nextHop) out.push(...attribute(0x40, 3, addressBytes(a.nextHop)));
  if (a.med !== undefined) out.push(...attribute(0x80, 4, u32(a.med)));
  if (a.localPref !== undefined) out.push(...attribute(0x40, 5, u32(a.localPref)));
  if (a.communities) {
    out.push(
      ...attribute(
        0xc0,
        8,
        a.communities.flatMap((c) => {
          const [hi, lo] = c.split(":").map(Number);
          return [...u16(hi), ...u16(lo)];
        }),
      ),
    );
  }
  if (mp) out.push(...mp);
  else if (a.mpNextHops) {
    const hops = a.mpNextHops.flatMap(addressBytes);
    out.push(...attribute(0x80, 14, [hops.length, ...hops]));
  }
  if (a.as4Path) out.push(...attribute(0xc0, 17, asPathValue(a.as4Path, 4)));
  return out;
}

/** The common header (RFC 6396 §2) and the body. */
export function mrtRecord(timestamp: number, type: number, subtype: number, body: readonly number[]): Buffer {
  return Buffer.from([...u32(timestamp), ...u16(type), ...u16(subtype), ...u32(body.length), ...body]);
}

export function peerIndexTable(timestamp: number, collectorId: string, viewName: string, peers: PeerSpec[]): Buffer {
  const name = [...Buffer.from(viewName, "utf8")];
  const body = [...addressBytes(collectorId), ...u16(name.length), ...name, ...u16(peers.length)];
  for (const p of peers) {
    const v6 = p.address.includes(":");
    // Peer type: bit 0 an IPv6 address, bit 1 a four-octet ASN.
    const as2 = p.asnSize === 2;
    body.push((v6 ? 1 : 0) | (as2 ? 0 : 2), ...addressBytes(p.bgpId), ...addressBytes(p.address));
    body.push(...(as2 ? u16(p.asn) : u32(p.asn)));
  }
  return mrtRecord(timestamp, MRT_TYPE.TABLE_DUMP_V2, TABLE_DUMP_V2.PEER_INDEX_TABLE, body);
}

export interface RibEntrySpec {
  peerIndex: number;
  originated: number;
  attributes: AttributeSpec;
}

export function ribRecord(timestamp: number, sequence: number, prefix: string, entries: RibEntrySpec[]): Buffer {
  const subtype = prefix.includes(":") ? TABLE_DUMP_V2.RIB_IPV6_UNICAST : TABLE_DUMP_V2.RIB_IPV4_UNICAST;
  const body = [...u32(sequence), ...encodePrefix(prefix), ...u16(entries.length)];
  for (const e of entries) {
    const attrs = encodeAttributes(e.attributes);
    body.push(...u16(e.peerIndex), ...u32(e.originated), ...u16(attrs.length), ...attrs);
  }
  return mrtRecord(timestamp, MRT_TYPE.TABLE_DUMP_V2, subtype, body);
}

export interface UpdateSpec {
  timestamp: number;
  /** BGP4MP_ET with these microseconds. */
  microseconds?: number;
  /** 4: BGP4MP_MESSAGE_AS4; 2: BGP4MP_MESSAGE (a two-octet speaker). */
  asnSize: 2 | 4;
  peer: { asn: number; address: string };
  local: { asn: number; address: string };
  withdrawn?: string[];
  announced?: string[];
  attributes?: AttributeSpec;
  /** MP_REACH_NLRI (IPv6): next hops and prefixes. */
  mpReach?: { nextHops: string[]; prefixes: string[] };
  /** MP_UNREACH_NLRI (IPv6) prefixes. */
  mpUnreach?: string[];
}

export function updateRecord(u: UpdateSpec): Buffer {
  const v6 = u.peer.address.includes(":");
  const asn = (n: number) => (u.asnSize === 4 ? u32(n) : u16(n));
  const mp: number[] = [];
  if (u.mpReach) {
    const hops = u.mpReach.nextHops.flatMap(addressBytes);
    mp.push(
      ...attribute(0x80, 14, [...u16(2), 1, hops.length, ...hops, 0, ...u.mpReach.prefixes.flatMap(encodePrefix)]),
    );
  }
  if (u.mpUnreach) mp.push(...attribute(0x80, 15, [...u16(2), 1, ...u.mpUnreach.flatMap(encodePrefix)]));
  const attrs = encodeAttributes(u.attributes ?? {}, u.asnSize, mp);
  const withdrawn = (u.withdrawn ?? []).flatMap(encodePrefix);
  const nlri = (u.announced ?? []).flatMap(encodePrefix);
  const update = [...u16(withdrawn.length), ...withdrawn, ...u16(attrs.length), ...attrs, ...nlri];
  const message = [...new Array<number>(16).fill(0xff), ...u16(19 + update.length), 2, ...update];
  const body = [
    ...(u.microseconds !== undefined ? u32(u.microseconds) : []),
    ...asn(u.peer.asn),
    ...asn(u.local.asn),
    ...u16(0),
    ...u16(v6 ? 2 : 1),
    ...addressBytes(u.peer.address),
    ...addressBytes(u.local.address),
    ...message,
  ];
  const type = u.microseconds !== undefined ? MRT_TYPE.BGP4MP_ET : MRT_TYPE.BGP4MP;
  return mrtRecord(u.timestamp, type, u.asnSize === 4 ? BGP4MP.MESSAGE_AS4 : BGP4MP.MESSAGE, body);
}
