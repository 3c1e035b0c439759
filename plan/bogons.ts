/**
 * Bogons: what must never be accepted from (or announced to) the Microsoft edge. Documentation
 * ranges are listed apart so that a lab stack (`allowDocumentationRanges: true`) can use them end to
 * end while production stacks reject them like any other bogon.
 *
 * Checked against IANA's special-purpose registries (every entry whose "Globally Reachable" is
 * False, plus space outside them that is not global unicast), each entry with its source:
 *  - IPv4: IANA IPv4 Special-Purpose Address Registry,
 *    https://www.iana.org/assignments/iana-ipv4-special-registry/ (RFC 6890 and its updates);
 *    multicast from the IPv4 Multicast Address Space Registry.
 *  - IPv6: IANA IPv6 Special-Purpose Address Registry,
 *    https://www.iana.org/assignments/iana-ipv6-special-registry/ ; multicast and the deprecated
 *    site-local and 6bone space from the IPv6 Address Space registry.
 *  - ASNs: IANA Special-Purpose AS Numbers, https://www.iana.org/assignments/iana-as-numbers-special-registry/
 *    and the 16-bit and 32-bit AS Numbers registries (65552-131071 "Reserved").
 * Registry entries that are globally reachable (AS112 192.31.196.0/24 and 192.175.48.0/24, AMT
 * 192.52.193.0/24, 64:ff9b::/96 NAT64, 2001:4:112::/48, 2620:4f:8000::/48, AS 112) are not bogons.
 */

/** IPv4 space that is special-purpose and not globally reachable, minus the documentation ranges. */
export const BOGONS_V4: readonly string[] = [
  "0.0.0.0/8", // "this network", RFC 791
  "10.0.0.0/8", // private-use, RFC 1918
  "100.64.0.0/10", // shared address space (CGN), RFC 6598
  "127.0.0.0/8", // loopback, RFC 1122
  "169.254.0.0/16", // link local, RFC 3927
  "172.16.0.0/12", // private-use, RFC 1918
  "192.0.0.0/24", // IETF protocol assignments, RFC 6890
  "192.88.99.0/24", // deprecated 6to4 relay anycast, RFC 7526
  "192.168.0.0/16", // private-use, RFC 1918
  "198.18.0.0/15", // benchmarking, RFC 2544
  "224.0.0.0/4", // multicast, RFC 5771
  "240.0.0.0/4", // reserved, RFC 1112 (and 255.255.255.255/32 limited broadcast, RFC 919)
];
/** RFC 5737 TEST-NET-1, -2, -3. */
export const DOCUMENTATION_V4: readonly string[] = ["192.0.2.0/24", "198.51.100.0/24", "203.0.113.0/24"];

/** IPv6 space that is not global unicast or is special-purpose and not globally reachable. */
export const BOGONS_V6: readonly string[] = [
  "::/8", // ::/128 unspecified, ::1/128 loopback, ::ffff:0:0/96 IPv4-mapped (RFC 4291), 64:ff9b:1::/48 local NAT64 (RFC 8215)
  "100::/64", // discard-only, RFC 6666
  "100:0:0:1::/64", // dummy IPv6 prefix, RFC 9780
  "2001:2::/48", // benchmarking, RFC 5180
  "2001:10::/28", // deprecated ORCHID, RFC 4843
  "2002::/16", // 6to4, RFC 3056 (deprecated for anycast relays, RFC 7526)
  "3ffe::/16", // the former 6bone, RFC 3701
  "5f00::/16", // SRv6 SIDs, RFC 9602
  "fc00::/7", // unique local, RFC 4193
  "fe80::/10", // link local, RFC 4291
  "fec0::/10", // site local (deprecated), RFC 3879
  "ff00::/8", // multicast, RFC 4291
];
/** RFC 3849 and RFC 9637. */
export const DOCUMENTATION_V6: readonly string[] = ["2001:db8::/32", "3fff::/20"];

/** ASNs that must not appear in a path from the Internet. */
export const BOGON_ASN_RANGES: ReadonlyArray<[number, number]> = [
  [0, 0], // RFC 7607
  [23456, 23456], // AS_TRANS, RFC 6793
  [64512, 65534], // private use, RFC 6996
  [65535, 65535], // reserved, RFC 7300
  [65552, 131071], // reserved, IANA 32-bit AS Numbers registry
  [4200000000, 4294967294], // private use, RFC 6996
  [4294967295, 4294967295], // reserved, RFC 7300
];
/** RFC 5398. */
export const DOCUMENTATION_ASN_RANGES: ReadonlyArray<[number, number]> = [
  [64496, 64511],
  [65536, 65551],
];

export function bogonLists(allowDocumentation: boolean): {
  v4: string[];
  v6: string[];
  asnRanges: Array<[number, number]>;
} {
  return {
    v4: [...BOGONS_V4, ...(allowDocumentation ? [] : DOCUMENTATION_V4)],
    v6: [...BOGONS_V6, ...(allowDocumentation ? [] : DOCUMENTATION_V6)],
    asnRanges: [...BOGON_ASN_RANGES, ...(allowDocumentation ? [] : DOCUMENTATION_ASN_RANGES)].map(
      ([a, b]) => [a, b] as [number, number],
    ),
  };
}

/** Whether an ASN is a bogon (private, reserved, AS_TRANS; documentation unless allowed). */
export function isBogonAsn(asn: number, allowDocumentation: boolean): boolean {
  return bogonLists(allowDocumentation).asnRanges.some(([a, b]) => asn >= a && asn <= b);
}
