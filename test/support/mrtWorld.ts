/**
 * The public view as the collectors would show it for the lab stack: MRT dumps written with
 * mrt/write.ts (checked byte for byte against test/mrt/fixtures.ts) from rows of
 * `[collector peer, prefix, AS path]`. Routing as intended (CLEAN) is the happy path a test changes.
 */
import type { AsPathSegment } from "../../mrt/model";
import { peerIndexTable, ribRecord, updateRecord } from "../../mrt/write";

export const T = 1700000000;
export const PEERS = [
  { bgpId: "192.0.2.10", address: "192.0.2.10", asn: 64510 },
  { bgpId: "192.0.2.11", address: "2001:db8::11", asn: 64511 },
  { bgpId: "192.0.2.12", address: "192.0.2.12", asn: 64500 },
];
/** A route learned from Microsoft somewhere on the Internet (documentation space stands in). */
export const MSFT = "192.0.2.128/25";

export type Row = [peer: number, prefix: string, path: string];

/** `64510 64500 {64501,64666}` as segments. */
export function segments(path: string): AsPathSegment[] {
  return (path.match(/\{[^}]*\}|\d+/g) ?? []).reduce<AsPathSegment[]>((out, token) => {
    if (token.startsWith("{")) out.push({ type: "set", asns: token.slice(1, -1).split(",").map(Number) });
    else if (out[out.length - 1]?.type === "sequence") out[out.length - 1].asns.push(Number(token));
    else out.push({ type: "sequence", asns: [Number(token)] });
    return out;
  }, []);
}

export function ribDump(rows: Row[]): Buffer {
  const byPrefix = new Map<string, Row[]>();
  for (const r of rows) byPrefix.set(r[1], [...(byPrefix.get(r[1]) ?? []), r]);
  return Buffer.concat([
    peerIndexTable(T, "192.0.2.255", "rrc00", PEERS),
    ...[...byPrefix].map(([prefix, entries], i) =>
      ribRecord(
        T,
        i,
        prefix,
        entries.map(([peer, , path]) => ({
          peerIndex: peer,
          originated: T - 60,
          attributes: prefix.includes(":")
            ? { origin: "IGP", asPath: segments(path), mpNextHops: ["2001:db8::11"] }
            : { origin: "IGP", asPath: segments(path), nextHop: "192.0.2.10" },
        })),
      ),
    ),
  ]);
}

export function update(peer: number, change: { announce?: [string, string]; withdraw?: string }, at = T + 60): Buffer {
  const p = PEERS[peer];
  return updateRecord({
    timestamp: at,
    asnSize: 4,
    peer: { asn: p.asn, address: p.address.includes(":") ? "192.0.2.11" : p.address },
    local: { asn: 12654, address: "192.0.2.255" },
    withdrawn: change.withdraw ? [change.withdraw] : [],
    announced: change.announce ? [change.announce[0]] : [],
    attributes: change.announce
      ? {
          origin: "IGP",
          asPath: segments(change.announce[1]),
          nextHop: p.address.includes(":") ? "192.0.2.11" : p.address,
        }
      : {},
  });
}

/** Routing as intended: both collector peers see every registered prefix with its declared path. */
export const CLEAN: Row[] = [
  [0, "198.51.100.0/24", "64510 64500"],
  [1, "198.51.100.0/24", "64511 64499 64500"],
  [0, "203.0.113.0/24", "64510 64500 64501"],
  [1, "203.0.113.0/24", "64511 64500 64501"],
  [0, "2001:db8:1000::/48", "64510 64500"],
  [1, "2001:db8:1000::/48", "64511 64500"],
  [0, MSFT, "64510 8075"],
  [2, MSFT, "64500 8075"],
  [0, "192.0.2.0/26", "64510 64496"],
];
