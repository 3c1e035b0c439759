/**
 * MRT records written out byte by byte, every field commented with what it is and its value, so a
 * reader can check each against RFC 6396 (MRT), RFC 4271 (BGP UPDATE and path attributes), RFC 4760
 * (MP_REACH_NLRI, MP_UNREACH_NLRI) and RFC 6793 (four-octet ASNs, AS4_PATH). mrt/write.ts must
 * reproduce each exactly (test/mrt/decode.test.ts), so the writer the other tests use is checked too.
 *
 * The ASNs are RFC 5398 documentation ASNs (64496-64511, 65536-65551), 23456 is AS_TRANS; the
 * addresses RFC 5737 and RFC 3849 documentation space.
 */

/** PEER_INDEX_TABLE (RFC 6396 §4.3.1): collector 192.0.2.255, view "rrc0", two peers. */
// prettier-ignore
export const PEER_INDEX_TABLE = Buffer.from([
  // -- MRT common header (RFC 6396 §2), 12 bytes
  0x65, 0x53, 0xf1, 0x00, // timestamp 1700000000 (2023-11-14T22:13:20Z)
  0x00, 0x0d, //             type 13 TABLE_DUMP_V2
  0x00, 0x01, //             subtype 1 PEER_INDEX_TABLE
  0x00, 0x00, 0x00, 0x30, // length 48 (the body below)
  // -- body
  0xc0, 0x00, 0x02, 0xff, // collector BGP ID 192.0.2.255
  0x00, 0x04, //             view name length 4
  0x72, 0x72, 0x63, 0x30, // view name "rrc0"
  0x00, 0x02, //             peer count 2
  // peer 0: 13 bytes
  0x02, //                   peer type: bit 1 set (four-octet ASN), bit 0 clear (IPv4 address)
  0xc0, 0x00, 0x02, 0x0a, // peer BGP ID 192.0.2.10
  0xc0, 0x00, 0x02, 0x0a, // peer address 192.0.2.10
  0x00, 0x00, 0xfb, 0xfe, // peer ASN 64510 (four octets)
  // peer 1: 23 bytes
  0x01, //                   peer type: bit 0 set (IPv6 address), bit 1 clear (two-octet ASN)
  0xc0, 0x00, 0x02, 0x0b, // peer BGP ID 192.0.2.11
  0x20, 0x01, 0x0d, 0xb8, // peer address 2001:db8::11 (bytes 1-4)
  0x00, 0x00, 0x00, 0x00, //   (bytes 5-8)
  0x00, 0x00, 0x00, 0x00, //   (bytes 9-12)
  0x00, 0x00, 0x00, 0x11, //   (bytes 13-16)
  0xfb, 0xff, //             peer ASN 64511 (two octets)
]);

/**
 * RIB_IPV4_UNICAST (RFC 6396 §4.3.2): 198.51.100.0/24 from peer 0, path `64510 64500 {64501,64502}`
 * (an aggregate whose AS_SET holds two ASNs), origin IGP, next hop 192.0.2.1.
 */
// prettier-ignore
export const RIB_IPV4 = Buffer.from([
  // -- MRT common header
  0x65, 0x53, 0xf1, 0x00, // timestamp 1700000000
  0x00, 0x0d, //             type 13 TABLE_DUMP_V2
  0x00, 0x02, //             subtype 2 RIB_IPV4_UNICAST
  0x00, 0x00, 0x00, 0x34, // length 52
  // -- body
  0x00, 0x00, 0x00, 0x01, // sequence number 1
  0x18, //                   prefix length 24
  0xc6, 0x33, 0x64, //       prefix 198.51.100 (24 bits: 3 bytes)
  0x00, 0x01, //             entry count 1
  // entry 0
  0x00, 0x00, //             peer index 0 (192.0.2.10, AS64510)
  0x65, 0x53, 0xf0, 0x00, // originated time 1699999744
  0x00, 0x22, //             attribute length 34
  0x40, 0x01, 0x01, //       ORIGIN: flags 0x40 (well-known transitive), type 1, length 1
  0x00, //                     IGP
  0x40, 0x02, 0x14, //       AS_PATH: flags 0x40, type 2, length 20
  0x02, 0x02, //               AS_SEQUENCE of 2 ASNs (four octets each: RFC 6396 §4.3.4)
  0x00, 0x00, 0xfb, 0xfe, //     64510
  0x00, 0x00, 0xfb, 0xf4, //     64500
  0x01, 0x02, //               AS_SET of 2 ASNs
  0x00, 0x00, 0xfb, 0xf5, //     64501
  0x00, 0x00, 0xfb, 0xf6, //     64502
  0x40, 0x03, 0x04, //       NEXT_HOP: flags 0x40, type 3, length 4
  0xc0, 0x00, 0x02, 0x01, //   192.0.2.1
]);

/**
 * RIB_IPV6_UNICAST (RFC 6396 §4.3.2): 2001:db8:1000::/48 from peer 1, path `64511`, origin
 * INCOMPLETE, next hops 2001:db8::11 and fe80::11 in the abbreviated MP_REACH_NLRI of §4.3.4.
 */
// prettier-ignore
export const RIB_IPV6 = Buffer.from([
  // -- MRT common header
  0x65, 0x53, 0xf1, 0x00, // timestamp 1700000000
  0x00, 0x0d, //             type 13 TABLE_DUMP_V2
  0x00, 0x04, //             subtype 4 RIB_IPV6_UNICAST
  0x00, 0x00, 0x00, 0x46, // length 70
  // -- body
  0x00, 0x00, 0x00, 0x02, // sequence number 2
  0x30, //                   prefix length 48
  0x20, 0x01, 0x0d, 0xb8, 0x10, 0x00, // prefix 2001:db8:1000 (48 bits: 6 bytes)
  0x00, 0x01, //             entry count 1
  // entry 0
  0x00, 0x01, //             peer index 1 (2001:db8::11, AS64511)
  0x65, 0x53, 0xf0, 0x00, // originated time 1699999744
  0x00, 0x31, //             attribute length 49
  0x40, 0x01, 0x01, //       ORIGIN: flags 0x40, type 1, length 1
  0x02, //                     INCOMPLETE
  0x40, 0x02, 0x06, //       AS_PATH: flags 0x40, type 2, length 6
  0x02, 0x01, //               AS_SEQUENCE of 1 ASN
  0x00, 0x00, 0xfb, 0xff, //     64511
  0x80, 0x0e, 0x21, //       MP_REACH_NLRI: flags 0x80 (optional), type 14, length 33
  0x20, //                     next hop length 32 (global and link-local), and nothing else (§4.3.4)
  0x20, 0x01, 0x0d, 0xb8, 0x00, 0x00, 0x00, 0x00, // global 2001:db8::11 (bytes 1-8)
  0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x11, //   (bytes 9-16)
  0xfe, 0x80, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, // link-local fe80::11 (bytes 1-8)
  0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x11, //   (bytes 9-16)
]);

/**
 * BGP4MP_MESSAGE_AS4 (RFC 6396 §4.4.3): AS64510 at 192.0.2.10 to the collector (AS12654 at
 * 192.0.2.255) withdraws 203.0.113.0/24 and announces 198.51.100.0/25 with path `64510 64666`.
 */
// prettier-ignore
export const UPDATE_AS4 = Buffer.from([
  // -- MRT common header
  0x65, 0x53, 0xf1, 0x3c, // timestamp 1700000060
  0x00, 0x10, //             type 16 BGP4MP
  0x00, 0x04, //             subtype 4 BGP4MP_MESSAGE_AS4
  0x00, 0x00, 0x00, 0x4c, // length 76
  // -- BGP4MP_MESSAGE_AS4 fields, 20 bytes
  0x00, 0x00, 0xfb, 0xfe, // peer ASN 64510
  0x00, 0x00, 0x31, 0x6e, // local ASN 12654
  0x00, 0x00, //             interface index 0
  0x00, 0x01, //             address family 1 (IPv4)
  0xc0, 0x00, 0x02, 0x0a, // peer address 192.0.2.10
  0xc0, 0x00, 0x02, 0xff, // local address 192.0.2.255
  // -- BGP message (RFC 4271 §4.1), 56 bytes
  0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, // marker (bytes 1-8)
  0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, // marker (bytes 9-16)
  0x00, 0x38, //             message length 56
  0x02, //                   type 2 UPDATE
  0x00, 0x04, //             withdrawn routes length 4
  0x18, 0xcb, 0x00, 0x71, // withdrawn 203.0.113.0/24 (length 24, 3 bytes)
  0x00, 0x18, //             total path attribute length 24
  0x40, 0x01, 0x01, 0x00, // ORIGIN IGP
  0x40, 0x02, 0x0a, //       AS_PATH, length 10
  0x02, 0x02, //               AS_SEQUENCE of 2 ASNs (four octets: an _AS4 subtype)
  0x00, 0x00, 0xfb, 0xfe, //     64510
  0x00, 0x00, 0xfc, 0x9a, //     64666
  0x40, 0x03, 0x04, //       NEXT_HOP, length 4
  0xc0, 0x00, 0x02, 0x0a, //   192.0.2.10
  0x19, 0xc6, 0x33, 0x64, 0x00, // NLRI 198.51.100.0/25 (length 25, 4 bytes)
]);

/**
 * BGP4MP_ET / BGP4MP_MESSAGE (RFC 6396 §3, §4.4.2) from a two-octet speaker over IPv6: AS_PATH
 * `64511 23456 64500` with AS_TRANS, its AS4_PATH `65536 64500` (RFC 6793 §4.2.3 merges them to
 * `64511 65536 64500`), MP_REACH_NLRI announcing 2001:db8:1000::/48 and MP_UNREACH_NLRI withdrawing
 * 2001:db8:0:99::/64.
 */
// prettier-ignore
export const UPDATE_AS2_ET = Buffer.from([
  // -- MRT common header
  0x65, 0x53, 0xf1, 0x78, // timestamp 1700000120
  0x00, 0x11, //             type 17 BGP4MP_ET
  0x00, 0x01, //             subtype 1 BGP4MP_MESSAGE (two-octet ASNs)
  0x00, 0x00, 0x00, 0x8d, // length 141 (microseconds included)
  0x00, 0x07, 0xa1, 0x20, // microseconds 500000
  // -- BGP4MP_MESSAGE fields, 40 bytes
  0xfb, 0xff, //             peer ASN 64511
  0x31, 0x6e, //             local ASN 12654
  0x00, 0x00, //             interface index 0
  0x00, 0x02, //             address family 2 (IPv6)
  0x20, 0x01, 0x0d, 0xb8, 0x00, 0x00, 0x00, 0x00, // peer address 2001:db8::11 (bytes 1-8)
  0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x11, //   (bytes 9-16)
  0x20, 0x01, 0x0d, 0xb8, 0x00, 0x00, 0x00, 0x00, // local address 2001:db8::ff (bytes 1-8)
  0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xff, //   (bytes 9-16)
  // -- BGP message, 97 bytes
  0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, // marker (bytes 1-8)
  0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, // marker (bytes 9-16)
  0x00, 0x61, //             message length 97
  0x02, //                   type 2 UPDATE
  0x00, 0x00, //             withdrawn routes length 0
  0x00, 0x4a, //             total path attribute length 74
  0x40, 0x01, 0x01, 0x00, // ORIGIN IGP
  0x40, 0x02, 0x08, //       AS_PATH, length 8
  0x02, 0x03, //               AS_SEQUENCE of 3 ASNs (two octets: not an _AS4 subtype)
  0xfb, 0xff, //                 64511
  0x5b, 0xa0, //                 23456 AS_TRANS (a four-octet ASN stands here)
  0xfb, 0xf4, //                 64500
  0x80, 0x0e, 0x1c, //       MP_REACH_NLRI, length 28
  0x00, 0x02, //               AFI 2 (IPv6)
  0x01, //                     SAFI 1 (unicast)
  0x10, //                     next hop length 16
  0x20, 0x01, 0x0d, 0xb8, 0x00, 0x00, 0x00, 0x00, // next hop 2001:db8::11 (bytes 1-8)
  0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x11, //   (bytes 9-16)
  0x00, //                     reserved
  0x30, 0x20, 0x01, 0x0d, 0xb8, 0x10, 0x00, // NLRI 2001:db8:1000::/48 (length 48, 6 bytes)
  0x80, 0x0f, 0x0c, //       MP_UNREACH_NLRI, length 12
  0x00, 0x02, //               AFI 2 (IPv6)
  0x01, //                     SAFI 1
  0x40, 0x20, 0x01, 0x0d, 0xb8, 0x00, 0x00, 0x00, 0x99, // withdrawn 2001:db8:0:99::/64 (8 bytes)
  0xc0, 0x11, 0x0a, //       AS4_PATH: flags 0xc0 (optional transitive), type 17, length 10
  0x02, 0x02, //               AS_SEQUENCE of 2 ASNs (always four octets)
  0x00, 0x01, 0x00, 0x00, //     65536
  0x00, 0x00, 0xfb, 0xf4, //     64500
]);
