/**
 * Spellings that FRR, IOS-XR and EOS share with the industry-standard (Cisco-style) CLI: prefix-list
 * entries with `ge`/`le`, `ip`/`ipv6` keywords, `maximum-prefix` arguments and AS-path regular
 * expressions. Each of those profiles picks what its dialect uses.
 */
import type { AddressFamily, MaxPrefixLimit } from "../plan/model";
import { maxPrefixLength } from "../plan/addressing";
import { checkAsnRange, type AsnRange, type PrefixEntry } from "../render/policyModel";

/** Prefix-list / prefix-set entry: `10.0.0.0/8 le 32`, `0.0.0.0/0 ge 25`, `192.0.2.0/24`. */
export function ciscoPrefixEntry(e: PrefixEntry): string {
  if (e.minLength === e.length) return e.maxLength === e.length ? e.prefix : `${e.prefix} le ${e.maxLength}`;
  const le = e.maxLength < maxPrefixLength(e.afi) ? ` le ${e.maxLength}` : "";
  return `${e.prefix} ge ${e.minLength}${le}`;
}

/** The keyword of an address family: `ip prefix-list`, `match ip address`, `ip route` vs `ipv6 …`. */
export function ipKeyword(afi: AddressFamily): string {
  return afi === "ipv4" ? "ip" : "ipv6";
}

/** Arguments of `maximum-prefix` (FRR and IOS-XR): `1000 80`, `… restart 5`, `… warning-only`. */
export function maxPrefixArgs(m: MaxPrefixLimit): string {
  const base = `${m.limit} ${m.warningPercent}`;
  switch (m.action) {
    case "shutdown":
      return base;
    case "restart":
      return `${base} restart ${m.restartMinutes}`;
    case "warning-only":
      return `${base} warning-only`;
    default: {
      const unknown: never = m.action;
      throw new Error(`maxPrefixArgs: unknown action ${JSON.stringify(unknown)}`);
    }
  }
}

/** AS-path access-list regex for any path through an ASN in the range: `_12076_`, `_(6451[2-9]|…)_`. */
export function asPathRegex(range: AsnRange): string {
  const body = numberRangeRegex(range[0], range[1]);
  return body.includes("|") ? `_(${body})_` : `_${body}_`;
}

/**
 * Cisco-style regular expression for exactly this whole AS path: `^$` (a route we originate),
 * `^64501$`, `^64502_64501$` (`_` matches the space between ASNs).
 */
export function exactAsPathRegex(asns: readonly number[]): string {
  for (const a of asns) checkAsnRange([a, a]);
  return `^${asns.join("_")}$`;
}

/**
 * A regular expression matching exactly the decimal integers in [from, to], without anchors:
 * `64512..65534` → `6451[2-9]|645[2-9][0-9]|64[6-9][0-9]{2}|65[0-4][0-9]{2}|655[0-2][0-9]|6553[0-4]`.
 */
export function numberRangeRegex(from: number, to: number): string {
  checkAsnRange([from, to]);
  const parts: string[] = [];
  let start = from;
  for (const stop of rangeStops(from, to)) {
    parts.push(digitPattern(String(start), String(stop)));
    start = stop + 1;
  }
  return parts.join("|");
}

function rangeStops(min: number, max: number): number[] {
  const stops = new Set<number>([max]);
  for (let nines = 1; ; nines++) {
    const stop = Number(String(min).slice(0, -nines) + "9".repeat(nines));
    if (!(min <= stop && stop <= max)) break;
    // A stop inside min's own digit length is redundant when min ends in that many zeros.
    if (nines >= String(min).length || min % 10 ** nines !== 0) stops.add(stop);
  }
  for (let zeros = 1; ; zeros++) {
    const stop = Math.floor((max + 1) / 10 ** zeros) * 10 ** zeros - 1;
    if (!(min < stop && stop <= max)) break;
    stops.add(stop);
  }
  return [...stops].sort((a, b) => a - b);
}

function digitPattern(start: string, stop: string): string {
  if (start.length !== stop.length) throw new Error(`numberRangeRegex: internal error ${start}..${stop}`);
  let pattern = "";
  let anyDigits = 0;
  for (let i = 0; i < start.length; i++) {
    const a = start[i];
    const b = stop[i];
    if (a === b) pattern += a;
    else if (a !== "0" || b !== "9") pattern += `[${a}-${b}]`;
    else anyDigits++;
  }
  if (anyDigits === 1) pattern += "[0-9]";
  else if (anyDigits > 1) pattern += `[0-9]{${anyDigits}}`;
  return pattern;
}
