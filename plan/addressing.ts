/**
 * Session addressing: parsing prefixes, carving /31s and /127s out of the SP's pools, and finding
 * overlaps. Pure arithmetic on bigints (IPv4 through `netmask`, IPv6 through `ip-address`), so both
 * families share one allocator and one overlap sweep.
 *
 * Stability rule: a leg that has a prefix in the allocation lock keeps it for ever; new legs take the
 * lowest free block; prefixes of removed legs stay reserved in the lock. So adding or removing a
 * metro never moves anybody else's address.
 */
import { Address6 } from "ip-address";
import { ip2long, long2ip, Netmask } from "netmask";
import type { AddressFamily } from "./model";

export interface Prefix {
  afi: AddressFamily;
  /** Canonical text, e.g. `192.0.2.0/31`, `2001:db8:100::/127`. */
  text: string;
  length: number;
  first: bigint;
  last: bigint;
}

export type Parsed<T> = { ok: true; value: T } | { ok: false; message: string; fix: string };

const BITS: Record<AddressFamily, number> = { ipv4: 32, ipv6: 128 };

/** The longest prefix of the family: 32 or 128. */
export function maxPrefixLength(afi: AddressFamily): number {
  return BITS[afi];
}

export function familyOf(text: string): AddressFamily {
  return text.includes(":") ? "ipv6" : "ipv4";
}

export function formatAddress(afi: AddressFamily, value: bigint): string {
  return afi === "ipv4" ? long2ip(Number(value)) : Address6.fromBigInt(value).correctForm();
}

function makePrefix(afi: AddressFamily, first: bigint, length: number): Prefix {
  const size = 1n << BigInt(BITS[afi] - length);
  return { afi, text: `${formatAddress(afi, first)}/${length}`, length, first, last: first + size - 1n };
}

/**
 * Parses a prefix and insists on its canonical form: host bits clear, no leading zeros, IPv6
 * compressed as RFC 5952 writes it. A non-canonical prefix is an error with the canonical one as
 * the fix, so the inventory says exactly what the routers will say.
 */
export function parsePrefix(text: string, afi: AddressFamily = familyOf(text)): Parsed<Prefix> {
  const r = parseLoosely(text, afi);
  if (!r.ok) return r;
  const { prefix, written } = r.value;
  if (written !== prefix.first) {
    return { ok: false, message: `"${text}" has host bits set`, fix: `write the network address: ${prefix.text}` };
  }
  if (prefix.text !== text) {
    return { ok: false, message: `"${text}" is not written in canonical form`, fix: `write it as ${prefix.text}` };
  }
  return { ok: true, value: prefix };
}

/** The prefix `text` names, and the address as written (host bits and all). */
function parseLoosely(text: string, afi: AddressFamily): Parsed<{ prefix: Prefix; written: bigint }> {
  const [addr, lenText, extra] = text.split("/");
  const length = Number(lenText);
  if (extra !== undefined || lenText === undefined || !/^\d{1,3}$/.test(lenText) || length > BITS[afi]) {
    return {
      ok: false,
      message: `"${text}" is not an ${afi === "ipv4" ? "IPv4" : "IPv6"} prefix`,
      fix: afi === "ipv4" ? "write it as a.b.c.d/len with len 0-32" : "write it as x:x::x/len with len 0-128",
    };
  }
  let first: bigint;
  let written: bigint;
  try {
    if (afi === "ipv4") {
      if (!/^\d{1,3}(\.\d{1,3}){3}$/.test(addr) || addr.split(".").some((o) => Number(o) > 255)) throw new Error("bad");
      written = BigInt(ip2long(addr));
      first = BigInt(ip2long(new Netmask(`${addr}/${length}`).base));
    } else {
      const a = new Address6(`${addr}/${length}`);
      written = new Address6(addr).bigInt();
      first = a.startAddress().bigInt();
    }
  } catch {
    return {
      ok: false,
      message: `"${text}" is not a valid ${afi === "ipv4" ? "IPv4" : "IPv6"} prefix`,
      fix: "correct the address part",
    };
  }
  return { ok: true, value: { prefix: makePrefix(afi, first, length), written } };
}

/**
 * A prefix as another system writes it (Azure: upper-case IPv6, host bits set), in canonical form;
 * undefined when it is no prefix. For comparing what Azure reports with the plan, never for input.
 */
export function readPrefix(text: string): Prefix | undefined {
  const r = parseLoosely(text.trim().toLowerCase(), familyOf(text));
  return r.ok ? r.value.prefix : undefined;
}

/** An address in canonical form (`2001:DB8::0001` → `2001:db8::1`); undefined when it is none. */
export function readAddress(text: string): string | undefined {
  const afi = familyOf(text);
  const r = parseLoosely(`${text.trim().toLowerCase()}/${BITS[afi]}`, afi);
  return r.ok ? r.value.prefix.text.replace(/\/\d+$/, "") : undefined;
}

/** An address in canonical form where it is one, else the text as given (to match it as it was seen). */
export function canonicalAddress(text: string): string {
  return readAddress(text) ?? text;
}

/** The prefix of `length` bits that holds `address` (`192.0.2.63`, 31 → `192.0.2.62/31`). */
export function prefixHolding(address: string, length: number): Prefix | undefined {
  return readPrefix(`${address}/${length}`);
}

/** The two ends of a session prefix: Microsoft takes the lower, we take the higher (see model.ts). */
export function sessionEnds(p: Prefix): { microsoft: string; sp: string } {
  const pointToPoint = p.length === BITS[p.afi] - 1; // /31 or /127: both addresses usable (RFC 3021, RFC 6164)
  const microsoft = pointToPoint ? p.first : p.first + 1n;
  return { microsoft: formatAddress(p.afi, microsoft), sp: formatAddress(p.afi, microsoft + 1n) };
}

export function contains(outer: Prefix, inner: Prefix): boolean {
  return outer.afi === inner.afi && outer.first <= inner.first && inner.last <= outer.last;
}

/**
 * A lookup of the most specific of `candidates` that contains a prefix (the first of them in order
 * where two are the same prefix); undefined when none does, or when the prefix is undefined. Each
 * candidate is parsed once (`readPrefix` of `prefixOf`; one that is no prefix never matches) and
 * indexed by its network and length, so a lookup probes only the lengths the candidates have, from
 * the prefix's own down, instead of parsing and testing every candidate.
 */
export function mostSpecificCovering<T>(
  candidates: Iterable<T>,
  prefixOf: (candidate: T) => string,
): (prefix: Prefix | undefined) => T | undefined {
  const byNetwork = new Map<string, T>();
  const lengths: Record<AddressFamily, Set<number>> = { ipv4: new Set(), ipv6: new Set() };
  const key = (afi: AddressFamily, first: bigint, length: number) => `${afi} ${first} ${length}`;
  for (const candidate of candidates) {
    const p = readPrefix(prefixOf(candidate));
    if (p === undefined) continue;
    const k = key(p.afi, p.first, p.length);
    if (!byNetwork.has(k)) byNetwork.set(k, candidate);
    lengths[p.afi].add(p.length);
  }
  const longestFirst: Record<AddressFamily, number[]> = {
    ipv4: [...lengths.ipv4].sort((a, b) => b - a),
    ipv6: [...lengths.ipv6].sort((a, b) => b - a),
  };
  return (prefix) => {
    if (prefix === undefined) return undefined;
    const bits = BITS[prefix.afi];
    for (const length of longestFirst[prefix.afi]) {
      if (length > prefix.length) continue;
      const hostBits = BigInt(bits - length);
      const found = byNetwork.get(key(prefix.afi, (prefix.first >> hostBits) << hostBits, length));
      if (found !== undefined) return found;
    }
    return undefined;
  };
}

export function overlaps(a: Prefix, b: Prefix): boolean {
  return a.afi === b.afi && a.first <= b.last && b.first <= a.last;
}

/**
 * Finds every pair of overlapping prefixes among owned prefixes, by sorting and sweeping:
 * O(n log n + k) for n prefixes and k overlapping pairs, never all pairs.
 */
export function findOverlaps<T extends { prefix: Prefix }>(items: readonly T[]): Array<[T, T]> {
  const sorted = [...items].sort((a, b) =>
    a.prefix.afi !== b.prefix.afi
      ? a.prefix.afi.localeCompare(b.prefix.afi)
      : a.prefix.first < b.prefix.first
        ? -1
        : a.prefix.first > b.prefix.first
          ? 1
          : a.prefix.length - b.prefix.length,
  );
  const pairs: Array<[T, T]> = [];
  // Prefixes still "open" at the sweep position; CIDR blocks nest or are disjoint, so this is a stack.
  const open: T[] = [];
  for (const item of sorted) {
    while (open.length > 0 && !overlaps(open[open.length - 1].prefix, item.prefix)) open.pop();
    for (const o of open) pairs.push([o, item]);
    open.push(item);
  }
  return pairs;
}

export interface AllocationRequest {
  afi: AddressFamily;
  pool: Prefix;
  length: number;
  /** Keys (`metro/leg`) needing a prefix, in the order they get one. */
  wanted: readonly string[];
  /** Prefixes already taken anywhere in the stack (lock entries, pins): never handed out. */
  taken: readonly Prefix[];
}

export type AllocationResult = { ok: true; allocated: Map<string, Prefix> } | { ok: false; exhausted: string[] };

/**
 * Gives each wanted key the lowest free block of `length` bits in the pool. Taken blocks are sorted
 * once and walked with a cursor, so n allocations cost O(n log n), not a scan per block.
 */
export function allocate(req: AllocationRequest): AllocationResult {
  const size = 1n << BigInt(BITS[req.afi] - req.length);
  const blocked = req.taken
    .filter((t) => overlaps(t, req.pool))
    .map((t) => ({ first: t.first, last: t.last }))
    .sort((a, b) => (a.first < b.first ? -1 : a.first > b.first ? 1 : 0));
  const allocated = new Map<string, Prefix>();
  let candidate = req.pool.first;
  let i = 0;
  for (let w = 0; w < req.wanted.length; w++) {
    for (;;) {
      // Skip blocked ranges that end before the candidate block.
      while (i < blocked.length && blocked[i].last < candidate) i++;
      if (i < blocked.length && blocked[i].first <= candidate + size - 1n) {
        // Jump past this blocked range, realigned to the block size.
        const next = blocked[i].last + 1n;
        candidate = ((next + size - 1n) / size) * size;
        continue;
      }
      break;
    }
    if (candidate + size - 1n > req.pool.last) {
      return { ok: false, exhausted: req.wanted.slice(w) };
    }
    allocated.set(req.wanted[w], makePrefix(req.afi, candidate, req.length));
    candidate += size;
  }
  return { ok: true, allocated };
}
