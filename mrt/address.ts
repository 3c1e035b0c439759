/**
 * Addresses and prefixes as text, written the way glibc's `inet_ntop` writes them (bgpdump prints
 * through it): IPv6 lower-case, the first longest run of two or more zero groups as `::`, and the
 * IPv4-mapped and -compatible forms with a dotted quad.
 */
import type { AddressFamily, Prefix } from "./model";

export function formatIPv4(b: ArrayLike<number>, at = 0): string {
  return `${b[at]}.${b[at + 1]}.${b[at + 2]}.${b[at + 3]}`;
}

export function formatIPv6(b: ArrayLike<number>, at = 0): string {
  const groups: number[] = [];
  for (let i = 0; i < 8; i++) groups.push((b[at + 2 * i] << 8) | b[at + 2 * i + 1]);
  let bestBase = -1;
  let bestLen = 0;
  for (let i = 0; i < 8;) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen) {
      bestBase = i;
      bestLen = j - i;
    }
    i = j;
  }
  if (bestLen < 2) bestBase = -1;
  let out = "";
  for (let i = 0; i < 8; i++) {
    if (bestBase !== -1 && i >= bestBase && i < bestBase + bestLen) {
      if (i === bestBase) out += ":";
      continue;
    }
    if (i !== 0) out += ":";
    // glibc: an IPv4-compatible (::a.b.c.d) or IPv4-mapped (::ffff:a.b.c.d) address ends dotted.
    if (i === 6 && bestBase === 0 && (bestLen === 6 || (bestLen === 5 && groups[5] === 0xffff))) {
      out += formatIPv4(b, at + 12);
      break;
    }
    out += groups[i].toString(16);
  }
  if (bestBase !== -1 && bestBase + bestLen === 8) out += ":";
  return out;
}

export function formatAddress(family: AddressFamily, b: ArrayLike<number>, at = 0): string {
  return family === 4 ? formatIPv4(b, at) : formatIPv6(b, at);
}

/** A prefix from its family, length and network bytes (`network` is kept, not copied). */
export function makePrefix(family: AddressFamily, length: number, network: ArrayLike<number>): Prefix {
  return { family, length, network, text: `${formatAddress(family, network)}/${length}` };
}

/**
 * Parses `198.51.100.0/24` or `2001:db8::/32`; undefined if it is not a prefix with its host bits
 * zero. For inventory prefixes (already validated) and tests, not for the hot path.
 */
export function parsePrefix(text: string): Prefix | undefined {
  const m = /^([0-9a-fA-F:.]+)\/(\d{1,3})$/.exec(text.trim());
  if (!m) return undefined;
  const length = Number(m[2]);
  const bytes = m[1].includes(":") ? parseIPv6(m[1]) : parseIPv4(m[1]);
  if (!bytes) return undefined;
  const family: AddressFamily = bytes.length === 4 ? 4 : 6;
  if (length > bytes.length * 8) return undefined;
  for (let bit = length; bit < bytes.length * 8; bit++) {
    if (bytes[bit >> 3] & (0x80 >> (bit & 7))) return undefined;
  }
  return makePrefix(family, length, bytes);
}

function parseIPv4(s: string): Uint8Array | undefined {
  const parts = s.split(".");
  if (parts.length !== 4 || !parts.every((p) => /^\d{1,3}$/.test(p) && Number(p) <= 255)) return undefined;
  return Uint8Array.from(parts.map(Number));
}

function parseIPv6(s: string): Uint8Array | undefined {
  const halves = s.split("::");
  if (halves.length > 2) return undefined;
  const groupsOf = (h: string): number[] | undefined => {
    if (h === "") return [];
    const out: number[] = [];
    for (const g of h.split(":")) {
      if (!/^[0-9a-fA-F]{1,4}$/.test(g)) return undefined;
      out.push(parseInt(g, 16));
    }
    return out;
  };
  const head = groupsOf(halves[0]);
  const tail = halves.length === 2 ? groupsOf(halves[1]) : [];
  if (!head || !tail) return undefined;
  const fill = 8 - head.length - tail.length;
  if ((halves.length === 1 && fill !== 0) || fill < 0 || (halves.length === 2 && fill < 1)) return undefined;
  const groups = [...head, ...new Array<number>(halves.length === 2 ? fill : 0).fill(0), ...tail];
  const out = new Uint8Array(16);
  groups.forEach((g, i) => {
    out[2 * i] = g >> 8;
    out[2 * i + 1] = g & 0xff;
  });
  return out;
}

/** Whether `inner` equals `outer` or is a more-specific of it. */
export function covers(outer: Prefix, inner: Prefix): boolean {
  if (outer.family !== inner.family || inner.length < outer.length) return false;
  const full = outer.length >> 3;
  for (let i = 0; i < full; i++) if (outer.network[i] !== inner.network[i]) return false;
  const rest = outer.length & 7;
  if (rest === 0) return true;
  const mask = (0xff << (8 - rest)) & 0xff;
  return (outer.network[full] & mask) === (inner.network[full] & mask);
}
