/** ASN and prefix classification shared by the rules, on the plan's bogon lists (`plan/bogons.ts`). */
import { findOverlaps, parsePrefix, type Prefix } from "../../plan/addressing";
import {
  BOGON_ASN_RANGES,
  BOGONS_V4,
  BOGONS_V6,
  DOCUMENTATION_ASN_RANGES,
  DOCUMENTATION_V4,
  DOCUMENTATION_V6,
} from "../../plan/bogons";
import { MICROSOFT_ASN, REJECTED_TRANSIT_ASNS } from "../../plan/model";

const AS_TRANS = 23456;

/** Why `asn` cannot be an SP's (or its customer's) public origin ASN, or undefined when it can. */
export function asnProblem(asn: number, allowDocumentation: boolean): string | undefined {
  if (!Number.isInteger(asn) || asn < 1 || asn > 4294967295) return `AS${asn} is not a valid ASN (1 to 4294967295)`;
  if (asn === MICROSOFT_ASN || REJECTED_TRANSIT_ASNS.includes(asn)) return `AS${asn} is Microsoft's`;
  if (asn === AS_TRANS) return `AS${asn} is AS_TRANS (RFC 6793), never an origin`;
  const inRange = (ranges: ReadonlyArray<readonly [number, number]>) =>
    ranges.some(([lo, hi]) => asn >= lo && asn <= hi);
  if (inRange(BOGON_ASN_RANGES)) return `AS${asn} is private or reserved (RFC 6996, RFC 7300)`;
  if (!allowDocumentation && inRange(DOCUMENTATION_ASN_RANGES))
    return `AS${asn} is a documentation ASN (RFC 5398), allowed only where the policy config sets allowDocumentationRanges (lab stacks)`;
  return undefined;
}

interface Owned {
  prefix: Prefix;
  label: string;
}

/**
 * For each prefix that overlaps a bogon range: the range and whether it is a documentation range.
 * One sort and sweep over the prefixes and the bogon lists together: O((n + b) log(n + b)).
 */
export function bogonOverlaps<T extends { prefix: Prefix }>(
  items: readonly T[],
  allowDocumentation: boolean,
): Array<{ item: T; bogon: string; documentation: boolean }> {
  const bogons: Array<Owned & { documentation: boolean }> = [];
  const add = (list: readonly string[], documentation: boolean) => {
    for (const text of list) {
      const p = parsePrefix(text);
      if (!p.ok) throw new Error(`internal: bogon ${text} in plan/bogons.ts does not parse: ${p.message}`);
      bogons.push({ prefix: p.value, label: text, documentation });
    }
  };
  add(BOGONS_V4, false);
  add(BOGONS_V6, false);
  if (!allowDocumentation) {
    add(DOCUMENTATION_V4, true);
    add(DOCUMENTATION_V6, true);
  }
  type Tagged = { prefix: Prefix; bogon?: Owned & { documentation: boolean }; item?: T };
  const tagged: Tagged[] = [
    ...bogons.map((b) => ({ prefix: b.prefix, bogon: b })),
    ...items.map((item) => ({ prefix: item.prefix, item })),
  ];
  const out: Array<{ item: T; bogon: string; documentation: boolean }> = [];
  for (const [a, b] of findOverlaps(tagged)) {
    const bogon = a.bogon ?? b.bogon;
    const item = a.item ?? b.item;
    if (bogon && item) out.push({ item, bogon: bogon.label, documentation: bogon.documentation });
  }
  return out;
}
