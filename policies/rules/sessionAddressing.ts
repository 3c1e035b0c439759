/**
 * session-addressing: point-to-point session prefixes (/31 and /127 unless configured to allow /30
 * and /126), both ends inside the prefix and different, and no session prefix used twice or
 * overlapping another anywhere in the stack (one sort and sweep: O(n log n) in the sessions).
 */
import { findOverlaps, parsePrefix, type Prefix } from "../../plan/addressing";
import type { AddressFamily } from "../../plan/model";
import type { StackRule } from "./types";
import { peeringsOf, type ConnectionView, type PeeringView } from "./views";

export interface SessionAddressingConfig {
  ipv4PrefixLengths: number[];
  ipv6PrefixLengths: number[];
}

const FAMILY = {
  ipv4: {
    name: "IPv4",
    bits: 32,
    prefix: "sessionPrefixV4",
    microsoft: "microsoftSessionIPv4Address",
    peer: "peerSessionIPv4Address",
  },
  ipv6: {
    name: "IPv6",
    bits: 128,
    prefix: "sessionPrefixV6",
    microsoft: "microsoftSessionIPv6Address",
    peer: "peerSessionIPv6Address",
  },
} as const;

function sessionOf(c: ConnectionView, afi: AddressFamily) {
  return afi === "ipv4"
    ? { prefix: c.sessionPrefixV4, microsoft: c.microsoftV4, peer: c.peerV4 }
    : { prefix: c.sessionPrefixV6, microsoft: c.microsoftV6, peer: c.peerV6 };
}

export const sessionAddressing: StackRule<SessionAddressingConfig> = {
  kind: "stack",
  name: "session-addressing",
  description:
    "Session prefixes are /31 and /127 (or /30 and /126 where configured), both ends inside the prefix and different, and no session prefix is used twice or overlaps another in the stack.",
  enforcementLevel: "mandatory",
  config: {
    ipv4PrefixLengths: {
      type: "array",
      items: { type: "integer", enum: [30, 31] },
      minItems: 1,
      uniqueItems: true,
      default: [31],
      description: "Allowed IPv4 session prefix lengths: [31], or [30, 31] to also accept /30.",
    },
    ipv6PrefixLengths: {
      type: "array",
      items: { type: "integer", enum: [126, 127] },
      minItems: 1,
      uniqueItems: true,
      default: [127],
      description: "Allowed IPv6 session prefix lengths: [127], or [126, 127] to also accept /126.",
    },
  },
  validate(resources, config, report) {
    const owned: Array<{ prefix: Prefix; owner: string; peering: PeeringView }> = [];
    for (const peering of peeringsOf(resources)) {
      for (const c of peering.connections) {
        for (const afi of ["ipv4", "ipv6"] as const) {
          const f = FAMILY[afi];
          const s = sessionOf(c, afi);
          const where = `metro ${peering.metro} ${c.label} ${f.prefix}`;
          if (s.prefix === undefined) continue; // a missing session is local-redundancy's finding
          const parsed = parsePrefix(s.prefix, afi);
          if (!parsed.ok) {
            report(`${where}: ${parsed.message}. Fix: ${parsed.fix}`, peering.urn);
            continue;
          }
          const prefix = parsed.value;
          const allowed = afi === "ipv4" ? config.ipv4PrefixLengths : config.ipv6PrefixLengths;
          if (!allowed.includes(prefix.length)) {
            report(
              `${where}: ${prefix.text} is a /${prefix.length}; session prefixes must be ${allowed.map((l) => `/${l}`).join(" or ")}. ` +
                `Fix: use a /${f.bits - 1} (remove the pin to allocate one from the pool), or allow /${f.bits - 2} in the policy config (${afi}PrefixLengths)`,
              peering.urn,
            );
          }
          owned.push({ prefix, owner: `metro ${peering.metro} ${c.label}`, peering });
          const ends: Array<[string, string | undefined]> = [
            [f.microsoft, s.microsoft],
            [f.peer, s.peer],
          ];
          const values: bigint[] = [];
          for (const [field, address] of ends) {
            if (address === undefined) continue;
            const a = parsePrefix(`${address}/${f.bits}`, afi);
            if (!a.ok) {
              report(
                `metro ${peering.metro} ${c.label} ${field}: "${address}" is not a canonical ${f.name} address. Fix: write it as the plan does, e.g. the address within ${prefix.text}`,
                peering.urn,
              );
              continue;
            }
            const v = a.value.first;
            const pointToPoint = prefix.length === f.bits - 1;
            if (v < prefix.first || v > prefix.last) {
              report(
                `metro ${peering.metro} ${c.label} ${field}: ${address} is outside the session prefix ${prefix.text}. Fix: use an address inside ${prefix.text}`,
                peering.urn,
              );
            } else if (!pointToPoint && (v === prefix.first || (afi === "ipv4" && v === prefix.last))) {
              report(
                `metro ${peering.metro} ${c.label} ${field}: ${address} is the ${v === prefix.first ? (afi === "ipv4" ? "network" : "subnet-router anycast") : "broadcast"} address of ${prefix.text}. Fix: use the prefix's first and second usable addresses`,
                peering.urn,
              );
            }
            values.push(v);
          }
          if (values.length === 2 && values[0] === values[1]) {
            report(
              `metro ${peering.metro} ${c.label}: Microsoft and SP ${f.name} session addresses are both ${s.microsoft}. Fix: give each end its own address within ${prefix.text}`,
              peering.urn,
            );
          }
        }
      }
    }
    for (const [a, b] of findOverlaps(owned)) {
      const same = a.prefix.text === b.prefix.text;
      report(
        `${b.owner}: session prefix ${b.prefix.text} ${same ? "is also used by" : "overlaps"} ${same ? a.owner : `${a.prefix.text} of ${a.owner}`}. ` +
          `Fix: give every leg its own session prefix (remove the pin to allocate a free one)`,
        b.peering.urn,
      );
    }
  },
};
