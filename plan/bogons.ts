/**
 * Bogons: what must never be accepted from (or announced to) the Microsoft edge. Documentation
 * ranges are listed apart so that a lab stack (`allowDocumentationRanges: true`) can use them end to
 * end while production stacks reject them like any other bogon.
 */

/** RFC 6890 special-purpose IPv4 space, minus the documentation ranges. */
export const BOGONS_V4: readonly string[] = [
  "0.0.0.0/8", // "this network"
  "10.0.0.0/8", // RFC 1918
  "100.64.0.0/10", // RFC 6598 shared address space (CGN)
  "127.0.0.0/8", // loopback
  "169.254.0.0/16", // link local
  "172.16.0.0/12", // RFC 1918
  "192.0.0.0/24", // IETF protocol assignments
  "192.168.0.0/16", // RFC 1918
  "198.18.0.0/15", // RFC 2544 benchmarking
  "224.0.0.0/4", // multicast
  "240.0.0.0/4", // reserved, and 255.255.255.255
];
export const DOCUMENTATION_V4: readonly string[] = ["192.0.2.0/24", "198.51.100.0/24", "203.0.113.0/24"]; // RFC 5737

/** IPv6 space that is not global unicast or is reserved for special use (RFC 6890, IANA registry). */
export const BOGONS_V6: readonly string[] = [
  "::/8", // loopback, unspecified, IPv4-compatible and -mapped
  "100::/64", // RFC 6666 discard-only
  "2001:2::/48", // RFC 5180 benchmarking
  "2001:10::/28", // ORCHID
  "2002::/16", // 6to4
  "3ffe::/16", // old 6bone
  "fc00::/7", // unique local
  "fe80::/10", // link local
  "fec0::/10", // site local (deprecated)
  "ff00::/8", // multicast
];
export const DOCUMENTATION_V6: readonly string[] = ["2001:db8::/32"]; // RFC 3849

/** ASNs that must not appear in a path from the Internet (RFC 7607, 6996, 5398, 7300, AS_TRANS). */
export const BOGON_ASN_RANGES: ReadonlyArray<[number, number]> = [
  [0, 0],
  [23456, 23456], // AS_TRANS
  [64512, 65534], // private 16-bit
  [65535, 65535],
  [4200000000, 4294967295], // private 32-bit and last
];
export const DOCUMENTATION_ASN_RANGES: ReadonlyArray<[number, number]> = [
  [64496, 64511], // RFC 5398 documentation
  [65536, 65551], // RFC 5398 documentation (32-bit)
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
