/** Test helpers: parse bytes held in memory, and put routes in bgpdump -m's terms. */
import type { PeerIndex } from "../../mrt/decode";
import { MrtError, nextHopOf, type MrtRoute, type SkippedRecord } from "../../mrt/model";
import { formatAsPath } from "../../mrt/path";
import { MrtStreamParser, type MrtStats } from "../../mrt/stream";

export interface Parsed {
  routes: MrtRoute[];
  peerIndexes: PeerIndex[];
  skipped: SkippedRecord[];
  malformed: MrtError[];
  stats: MrtStats;
}

/** Feeds `buf` in chunks of `chunk` bytes (every record boundary, and every split of one, is a case). */
export function parseBytes(buf: Buffer, chunk = buf.length || 1): Parsed {
  const out: Omit<Parsed, "stats"> = { routes: [], peerIndexes: [], skipped: [], malformed: [] };
  const parser = new MrtStreamParser({
    route: (r) => out.routes.push(r),
    peerIndex: (p) => out.peerIndexes.push(p),
    skipped: (s) => out.skipped.push(s),
    malformed: (e) => out.malformed.push(e),
  });
  for (let i = 0; i < buf.length; i += chunk) parser.push(buf.subarray(i, i + chunk));
  return { ...out, stats: parser.end() };
}

/**
 * A route as the fields of its bgpdump -m line that the cross-check compares: the kind (B, A, W),
 * peer address, peer ASN, prefix, AS path, origin, next hop.
 */
export function bgpdumpFields(r: MrtRoute): string {
  const kind = r.kind === "rib" ? "B" : r.kind === "announce" ? "A" : "W";
  const head = `${kind}|${r.peer.address}|${r.peer.asn}|${r.prefix.text}`;
  if (!r.attributes) return head;
  return `${head}|${formatAsPath(r.attributes.asPath)}|${r.attributes.origin ?? ""}|${nextHopOf(r) ?? ""}`;
}

/** The same fields from a bgpdump -m line (`TABLE_DUMP2|ts|B|peer|asn|prefix|path|origin|nexthop|...`). */
export function fieldsOfBgpdumpLine(line: string): string | undefined {
  const f = line.split("|");
  if (f[2] === "W") return f.slice(2, 6).join("|");
  if (f[2] === "A" || f[2] === "B") return f.slice(2, 9).join("|");
  return undefined;
}
