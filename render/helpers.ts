/**
 * The one registry of Handlebars helpers used by every vendor template. Each helper is a plain,
 * exported function (unit-tested directly); `HELPERS` adapts them to Handlebars, checking the types
 * of what a template passes in, so a template mistake fails loudly instead of rendering garbage.
 *
 * Policy structure (which import filters exist, in which order) lives here, once, so FRR and IOS-XR
 * configs always filter the same things under the same names.
 */
import type { HelperDelegate, HelperOptions } from "handlebars";
import type { AnnouncedPrefix } from "../load/inventory";
import type { AddressFamily, BgpSession, MaxPrefixLimit, RouterPlan } from "../plan/model";

export const ADDRESS_FAMILIES: readonly AddressFamily[] = ["ipv4", "ipv6"];

/** Names of every prefix-list, as-path list, community set, route-map and policy we render. */
export type PolicyKind =
  | "in"
  | "out"
  | "bogons"
  | "default"
  | "sp-own"
  | "too-long"
  | "announce"
  | "as-path-reject"
  | "as-path-bogons"
  | "community"
  | "graceful-shutdown"
  | "in-drain"
  | "out-drain"
  | "bfd";

const AFI_KINDS: ReadonlySet<PolicyKind> = new Set<PolicyKind>([
  "in",
  "out",
  "bogons",
  "default",
  "sp-own",
  "too-long",
  "announce",
  "in-drain",
  "out-drain",
]);

const FIXED_NAMES: Partial<Record<PolicyKind, string>> = {
  "as-path-reject": "MAPS-AS-PATH-REJECT",
  "as-path-bogons": "MAPS-AS-PATH-BOGONS",
  community: "MAPS-PEERING-SERVICE",
  "graceful-shutdown": "MAPS-GRACEFUL-SHUTDOWN",
  bfd: "MAPS-BFD",
};

function isPolicyKind(kind: string): kind is PolicyKind {
  return AFI_KINDS.has(kind as PolicyKind) || kind in FIXED_NAMES;
}

/** `policyName("in", "ipv4")` → `MAPS-IN-V4`; `policyName("as-path-reject")` → `MAPS-AS-PATH-REJECT`. */
export function policyName(kind: string, afi?: AddressFamily): string {
  if (!isPolicyKind(kind)) throw new Error(`policyName: unknown policy kind "${kind}"`);
  const fixed = FIXED_NAMES[kind];
  if (fixed !== undefined) {
    if (afi !== undefined) throw new Error(`policyName: "${kind}" is the same for both address families`);
    return fixed;
  }
  if (afi === undefined) throw new Error(`policyName: "${kind}" needs an address family`);
  return `MAPS-${kind.toUpperCase()}-${afiSuffix(afi)}`;
}

/** `ipv4` → `V4`, `ipv6` → `V6`. */
export function afiSuffix(afi: AddressFamily): string {
  return afi === "ipv4" ? "V4" : "V6";
}

/** FRR keyword for an address family: `ip prefix-list`, `match ip address`, `ip route` vs `ipv6 …`. */
export function ipKeyword(afi: AddressFamily): string {
  return afi === "ipv4" ? "ip" : "ipv6";
}

export function maxPrefixLength(afi: AddressFamily): number {
  return afi === "ipv4" ? 32 : 128;
}

/** The whole address space of an address family: `0.0.0.0/0` or `::/0`. */
export function defaultRoute(afi: AddressFamily): string {
  return afi === "ipv4" ? "0.0.0.0/0" : "::/0";
}

/** IPv4 dotted netmask from a prefix length: `31` → `255.255.255.254` (IOS-XR `ipv4 address A M`). */
export function netmask(prefixLength: number): string {
  if (!Number.isInteger(prefixLength) || prefixLength < 0 || prefixLength > 32) {
    throw new Error(`netmask: IPv4 prefix length must be 0..32, got ${prefixLength}`);
  }
  const bits = prefixLength === 0 ? 0 : (0xffffffff << (32 - prefixLength)) >>> 0;
  return [24, 16, 8, 0].map((shift) => (bits >>> shift) & 0xff).join(".");
}

/** `cidr("192.0.2.1", 31)` → `192.0.2.1/31`. */
export function cidr(address: string, prefixLength: number): string {
  if (address.includes("/")) throw new Error(`cidr: "${address}" already has a prefix length`);
  return `${address}/${prefixLength}`;
}

/** Prefix length of `198.51.100.0/24` → 24. */
export function prefixLengthOf(prefix: string): number {
  const m = /^[^/]+\/(\d{1,3})$/.exec(prefix);
  if (!m) throw new Error(`prefixLengthOf: "${prefix}" is not a prefix`);
  return Number(m[1]);
}

export function afiOf(prefix: string): AddressFamily {
  return prefix.includes(":") ? "ipv6" : "ipv4";
}

/** A prefix and everything more specific: `10.0.0.0/8` → `10.0.0.0/8 le 32` (a host route stays exact). */
export function orLonger(prefix: string): string {
  const max = maxPrefixLength(afiOf(prefix));
  return prefixLengthOf(prefix) >= max ? prefix : `${prefix} le ${max}`;
}

/** Every prefix longer than `maxLength` in the family: `ipv4`, 24 → `0.0.0.0/0 ge 25`; none at /32. */
export function longerThan(afi: AddressFamily, maxLength: number): string | undefined {
  const max = maxPrefixLength(afi);
  if (!Number.isInteger(maxLength) || maxLength < 0 || maxLength > max) {
    throw new Error(`longerThan: ${afi} maximum length must be 0..${max}, got ${maxLength}`);
  }
  return maxLength === max ? undefined : `${defaultRoute(afi)} ge ${maxLength + 1}`;
}

/** `200000` Mbit/s → `200 Gbit/s`; `1000` → `1 Gbit/s`; `100` → `100 Mbit/s`. */
export function bandwidthLabel(mbps: number): string {
  if (!Number.isFinite(mbps) || mbps < 0) throw new Error(`bandwidthLabel: invalid bandwidth ${mbps}`);
  return mbps >= 1000 && mbps % 1000 === 0 ? `${mbps / 1000} Gbit/s` : `${mbps} Mbit/s`;
}

/** `AS64500`. */
export function asnLabel(asn: number): string {
  if (!Number.isInteger(asn) || asn < 0 || asn > 4294967295) throw new Error(`asnLabel: invalid ASN ${asn}`);
  return `AS${asn}`;
}

/** Sequence number of the n-th (0-based) entry: 10, 20, 30… */
export function seq(index: number, step = 10): number {
  if (!Number.isInteger(index) || index < 0) throw new Error(`seq: index must be a non-negative integer, got ${index}`);
  return (index + 1) * step;
}

export function join(items: readonly unknown[], separator = ", "): string {
  return items.map((i) => String(i)).join(separator);
}

export function eq(a: unknown, b: unknown): boolean {
  return a === b;
}

/** `Bundle-Ether100` → 100 (IOS-XR `bundle id N mode active` on every member). */
export function bundleId(interfaceName: string): number {
  const m = /^Bundle-Ether(\d+)$/.exec(interfaceName);
  if (!m) throw new Error(`bundleId: "${interfaceName}" is not an IOS-XR Bundle-Ether<N> interface`);
  return Number(m[1]);
}

/** Arguments of `maximum-prefix` (same on FRR and IOS-XR): `1000 80`, `… restart 5`, `… warning-only`. */
export function maxPrefixArgs(m: MaxPrefixLimit): string {
  const base = `${m.limit} ${m.warningPercent}`;
  switch (m.action) {
    case "shutdown":
      return base;
    case "restart":
      return `${base} restart ${m.restartMinutes}`;
    case "warning-only":
      return `${base} warning-only`;
  }
}

/** IOS-XR as-path-set range: `[64512..65534]`, or the bare ASN when the range is one ASN. */
export function asnRange([from, to]: readonly [number, number]): string {
  checkAsnRange(from, to);
  return from === to ? String(from) : `[${from}..${to}]`;
}

function checkAsnRange(from: number, to: number): void {
  for (const n of [from, to]) {
    if (!Number.isInteger(n) || n < 0 || n > 4294967295) throw new Error(`ASN range: invalid ASN ${n}`);
  }
  if (from > to) throw new Error(`ASN range: ${from} is above ${to}`);
}

/**
 * A regular expression matching exactly the decimal integers in [from, to], without anchors:
 * `64512..65534` → `6451[2-9]|645[2-9][0-9]|64[6-9][0-9]{2}|65[0-4][0-9]{2}|655[0-2][0-9]|6553[0-4]`.
 */
export function numberRangeRegex(from: number, to: number): string {
  checkAsnRange(from, to);
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

/** FRR `bgp as-path access-list` regex for any path through an ASN in the range: `_(…)_`. */
export function asPathRegex([from, to]: readonly [number, number]): string {
  const body = numberRangeRegex(from, to);
  return body.includes("|") ? `_(${body})_` : `_${body}_`;
}

/** One deny clause of the import policy, rendered by every vendor in this order. */
export interface ImportRule {
  /** Route-map sequence (FRR); IOS-XR keeps the same order. */
  sequence: number;
  afi: AddressFamily;
  kind: "prefix" | "as-path";
  /** The prefix-list / prefix-set or as-path list / as-path-set to match. */
  name: string;
  comment: string;
}

export interface PrefixFilter {
  name: string;
  afi: AddressFamily;
  comment: string;
  /** `10.0.0.0/8 le 32`, `0.0.0.0/0`, `0.0.0.0/0 ge 25`: the same syntax in FRR and IOS-XR. */
  entries: string[];
}

export interface AsPathFilter {
  name: string;
  comment: string;
  ranges: Array<[number, number]>;
}

/** Prefix filters of the import policy for one family; empty ones are left out entirely. */
export function importPrefixFilters(router: RouterPlan, afi: AddressFamily): PrefixFilter[] {
  const v4 = afi === "ipv4";
  const bogons = v4 ? router.imports.bogonsV4 : router.imports.bogonsV6;
  const maxLength = v4 ? router.imports.maxLengthV4 : router.imports.maxLengthV6;
  const tooLong = longerThan(afi, maxLength);
  const filters: PrefixFilter[] = [
    { name: policyName("bogons", afi), afi, comment: "bogons, any length within", entries: bogons.map(orLonger) },
    { name: policyName("default", afi), afi, comment: "the default route", entries: [defaultRoute(afi)] },
    {
      name: policyName("sp-own", afi),
      afi,
      comment: "the prefixes we announce (ours and our customers') and anything more specific",
      entries: exportsFor(router, afi).map((p) => orLonger(p.prefix)),
    },
    {
      name: policyName("too-long", afi),
      afi,
      comment: `anything longer than /${maxLength}`,
      entries: tooLong === undefined ? [] : [tooLong],
    },
  ];
  return filters.filter((f) => f.entries.length > 0);
}

/** AS-path filters of the import policy (the same for both families); empty ones are left out. */
export function asPathFilters(router: RouterPlan): AsPathFilter[] {
  const filters: AsPathFilter[] = [
    {
      name: policyName("as-path-reject"),
      comment: `paths through ${router.imports.rejectAsns.map(asnLabel).join(", ")}`,
      ranges: router.imports.rejectAsns.map((a): [number, number] => [a, a]),
    },
    {
      name: policyName("as-path-bogons"),
      comment: "paths through a bogon ASN",
      ranges: router.imports.bogonAsnRanges.map(([a, b]): [number, number] => [a, b]),
    },
  ];
  return filters.filter((f) => f.ranges.length > 0);
}

/** The deny clauses of `MAPS-IN-V4/V6`, in order; every name refers to a filter that is rendered. */
export function importRules(router: RouterPlan, afi: AddressFamily): ImportRule[] {
  const rules: Array<Omit<ImportRule, "sequence">> = [
    ...importPrefixFilters(router, afi).map((f) => ({ afi, kind: "prefix" as const, name: f.name, comment: f.comment })),
    ...asPathFilters(router).map((f) => ({ afi, kind: "as-path" as const, name: f.name, comment: f.comment })),
  ];
  return rules.map((r, i) => ({ ...r, sequence: seq(i) }));
}

export function exportsFor(router: RouterPlan, afi: AddressFamily): AnnouncedPrefix[] {
  return afi === "ipv4" ? router.exports.ipv4 : router.exports.ipv6;
}

export function originatedFor(router: RouterPlan, afi: AddressFamily): string[] {
  return afi === "ipv4" ? router.originated.ipv4 : router.originated.ipv6;
}

export function sessionsFor(router: RouterPlan, afi: AddressFamily): BgpSession[] {
  return router.sessions.filter((s) => s.afi === afi);
}

/** Comment for an announced prefix: who originates it and how it reaches this router. */
export function originNote(p: AnnouncedPrefix, router: RouterPlan): string {
  const desc = p.description ? ` (${p.description})` : "";
  if (p.originAsn === router.asn) {
    const here = originatedFor(router, afiOf(p.prefix)).includes(p.prefix);
    return `${p.prefix}${desc}: origin ${asnLabel(p.originAsn)}, ${here ? "originated here" : "originated elsewhere in our network, learned via iBGP"}`;
  }
  return `${p.prefix}${desc}: origin customer ${asnLabel(p.originAsn)}, learned via iBGP, only permitted by this filter`;
}

export function hasOriginated(router: RouterPlan): boolean {
  return router.originated.ipv4.length + router.originated.ipv6.length > 0;
}

/**
 * The import or export policy of a session: a drained leg (RFC 8326) uses its own complete copy of
 * the policy (`MAPS-IN-DRAIN-V4`, `MAPS-OUT-DRAIN-V4`), rendered only when some session needs it.
 */
export function sessionPolicy(direction: "in" | "out", session: Pick<BgpSession, "afi" | "drain">): string {
  return policyName(session.drain ? `${direction}-drain` : direction, session.afi);
}

/** Whether any session of the family is drained, i.e. whether the drain policies must be rendered. */
export function drainedIn(router: RouterPlan, afi: AddressFamily): boolean {
  return sessionsFor(router, afi).some((s) => s.drain);
}

/** A prefix filter entry (`10.0.0.0/8 le 32`, `0.0.0.0/0 ge 25`, `192.0.2.0/24`) as numbers. */
export interface PrefixRange {
  prefix: string;
  length: number;
  /** Shortest and longest prefix length matched. */
  min: number;
  max: number;
}

export function prefixRange(entry: string): PrefixRange {
  const m = /^(\S+\/(\d{1,3}))(?: (le|ge) (\d{1,3}))?$/.exec(entry);
  if (!m) throw new Error(`prefixRange: "${entry}" is not "<prefix>[ le|ge <len>]"`);
  const length = Number(m[2]);
  const familyMax = maxPrefixLength(afiOf(m[1]));
  const bound = m[4] === undefined ? length : Number(m[4]);
  if (length > familyMax || bound < length || bound > familyMax) throw new Error(`prefixRange: "${entry}" has an impossible length range`);
  if (m[3] === "le") return { prefix: m[1], length, min: length, max: bound };
  if (m[3] === "ge") return { prefix: m[1], length, min: bound, max: familyMax };
  return { prefix: m[1], length, min: length, max: length };
}

/** Junos route-filter(-list) entry: `10.0.0.0/8 orlonger`, `0.0.0.0/0 exact`, `0.0.0.0/0 prefix-length-range /25-/32`. */
export function junosRouteFilter(entry: string): string {
  const r = prefixRange(entry);
  if (r.min === r.length && r.max === r.length) return `${r.prefix} exact`;
  if (r.min === r.length && r.max === maxPrefixLength(afiOf(r.prefix))) return `${r.prefix} orlonger`;
  if (r.min === r.length) return `${r.prefix} upto /${r.max}`;
  return `${r.prefix} prefix-length-range /${r.min}-/${r.max}`;
}

/** BIRD prefix pattern: `10.0.0.0/8+`, `0.0.0.0/0`, `0.0.0.0/0{25,32}`. */
export function birdPrefixPattern(entry: string): string {
  const r = prefixRange(entry);
  if (r.min === r.length && r.max === r.length) return r.prefix;
  if (r.min === r.length && r.max === maxPrefixLength(afiOf(r.prefix))) return `${r.prefix}+`;
  return `${r.prefix}{${r.min},${r.max}}`;
}

/** BIRD symbols are identifiers: `MAPS-IN-V4` → `MAPS_IN_V4`; `("maps", "amsterdam/a/ipv4")` → `maps_amsterdam_a_ipv4`. */
export function birdSymbol(...parts: string[]): string {
  const name = parts.join("_");
  const symbol = name.replace(/[-/.]/g, "_");
  if (!/^[A-Za-z][A-Za-z0-9_]{0,63}$/.test(symbol)) throw new Error(`birdSymbol: "${name}" cannot be a BIRD symbol`);
  return symbol;
}

/** BIRD ASN set entry: `12076`, `64512..65534`. */
export function birdAsnRange([from, to]: readonly [number, number]): string {
  checkAsnRange(from, to);
  return from === to ? String(from) : `${from}..${to}`;
}

/** BIRD community pair: `8075:8007` → `(8075, 8007)`. */
export function birdCommunity(community: string): string {
  const m = /^(\d{1,5}):(\d{1,5})$/.exec(community);
  if (!m || Number(m[1]) > 65535 || Number(m[2]) > 65535) throw new Error(`birdCommunity: "${community}" is not a standard community`);
  return `(${m[1]}, ${m[2]})`;
}

/**
 * BIRD channel limit on what Microsoft sends (`import limit`, counted after the import filter like
 * max-prefix elsewhere). BIRD has no warning threshold; `restart` restarts at once (no timer).
 */
export function birdImportLimit(m: MaxPrefixLimit): string {
  const action = { shutdown: "disable", restart: "restart", "warning-only": "warn" }[m.action];
  return `import limit ${m.limit} action ${action}`;
}

/** Junos aggregated Ethernet index: `ae12` → 12. */
export function aeIndex(interfaceName: string): number {
  const m = /^ae(\d+)$/.exec(interfaceName);
  if (!m) throw new Error(`aeIndex: "${interfaceName}" is not a Junos ae<N> interface`);
  return Number(m[1]);
}

/** Junos `chassis aggregated-devices ethernet device-count`: enough for the highest `ae` index. */
export function aeDeviceCount(router: RouterPlan): number {
  return Math.max(...router.legs.map((l) => aeIndex(l.interface))) + 1;
}

/** Junos BGP `prefix-limit` statements: `maximum 1000;` and, unless warning-only, `teardown 90 idle-timeout 30;`. */
export function junosPrefixLimit(m: MaxPrefixLimit): string[] {
  const maximum = `maximum ${m.limit};`;
  switch (m.action) {
    case "shutdown":
      return [maximum, `teardown ${m.warningPercent} idle-timeout forever;`];
    case "restart":
      return [maximum, `teardown ${m.warningPercent} idle-timeout ${m.restartMinutes};`];
    case "warning-only":
      // Without `teardown`, Junos only logs when the maximum is exceeded.
      return [maximum];
  }
}

/** Junos AS-path regular expression for a path through any ASN of the range: `.* 64512-65534 .*`. */
export function junosAsPathRegex([from, to]: readonly [number, number]): string {
  checkAsnRange(from, to);
  return from === to ? `.* ${from} .*` : `.* ${from}-${to} .*`;
}

/** EOS port-channel number: `Port-Channel10` → 10 (`channel-group 10 mode active` on the members). */
export function portChannelId(interfaceName: string): number {
  const m = /^Port-Channel(\d+)$/.exec(interfaceName);
  if (!m) throw new Error(`portChannelId: "${interfaceName}" is not an EOS Port-Channel<N> interface`);
  return Number(m[1]);
}

/** `30` minutes → `1800` seconds (EOS `idle-restart-timer`). */
export function minutesToSeconds(minutes: number): number {
  if (!Number.isInteger(minutes) || minutes < 0) throw new Error(`minutesToSeconds: invalid minutes ${minutes}`);
  return minutes * 60;
}

/** EOS `neighbor … maximum-routes` arguments: `1000 warning-limit 90 percent [warning-only]`. */
export function eosMaximumRoutes(m: MaxPrefixLimit): string {
  const base = `${m.limit} warning-limit ${m.warningPercent} percent`;
  return m.action === "warning-only" ? `${base} warning-only` : base;
}

// ---------------------------------------------------------------------------------------------
// Handlebars boundary: templates pass `unknown`; check it before calling the typed functions.

function isOptions(x: unknown): x is HelperOptions {
  return typeof x === "object" && x !== null && "data" in x && "hash" in x;
}

function splitArgs(name: string, args: unknown[]): { params: unknown[]; options: HelperOptions } {
  const options = args[args.length - 1];
  if (!isOptions(options)) throw new Error(`helper ${name}: called without Handlebars options`);
  return { params: args.slice(0, -1), options };
}

function num(helper: string, x: unknown): number {
  if (typeof x !== "number" || !Number.isFinite(x)) throw new Error(`helper ${helper}: expected a number, got ${JSON.stringify(x)}`);
  return x;
}

function str(helper: string, x: unknown): string {
  if (typeof x !== "string") throw new Error(`helper ${helper}: expected a string, got ${JSON.stringify(x)}`);
  return x;
}

function afi(helper: string, x: unknown): AddressFamily {
  if (x !== "ipv4" && x !== "ipv6") throw new Error(`helper ${helper}: expected "ipv4" or "ipv6", got ${JSON.stringify(x)}`);
  return x;
}

function range(helper: string, x: unknown): [number, number] {
  if (!Array.isArray(x) || x.length !== 2) throw new Error(`helper ${helper}: expected an [from, to] ASN range`);
  return [num(helper, x[0]), num(helper, x[1])];
}

function maxPrefix(helper: string, x: unknown): MaxPrefixLimit {
  if (typeof x !== "object" || x === null || !("limit" in x) || !("action" in x) || !("warningPercent" in x)) {
    throw new Error(`helper ${helper}: expected a maxPrefix object`);
  }
  return x as MaxPrefixLimit;
}

function session(helper: string, x: unknown): Pick<BgpSession, "afi" | "drain"> {
  if (typeof x !== "object" || x === null || !("afi" in x) || !("drain" in x)) throw new Error(`helper ${helper}: expected a BGP session`);
  const s = x as { afi: unknown; drain: unknown };
  if (typeof s.drain !== "boolean") throw new Error(`helper ${helper}: session.drain must be true or false`);
  return { afi: afi(helper, s.afi), drain: s.drain };
}

function arity(helper: string, params: unknown[], min: number, max = min): void {
  if (params.length < min || params.length > max) {
    throw new Error(`helper ${helper}: expected ${min === max ? min : `${min}..${max}`} argument(s), got ${params.length}`);
  }
}

/** The RouterPlan being rendered: `@root` of the template. */
function router(options: HelperOptions): RouterPlan {
  const data: unknown = options.data;
  const root = typeof data === "object" && data !== null ? (data as { root?: unknown }).root : undefined;
  if (typeof root !== "object" || root === null || !("hostname" in root) || !("imports" in root)) {
    throw new Error("helper: template root is not a RouterPlan");
  }
  return root as RouterPlan;
}

/** Secrets resolved for this render, passed as `data.secrets` by the renderer. */
function secrets(options: HelperOptions): ReadonlyMap<string, string> {
  const data: unknown = options.data;
  const s = typeof data === "object" && data !== null ? (data as { secrets?: unknown }).secrets : undefined;
  if (!(s instanceof Map)) throw new Error("helper secret: no secrets were passed to the template");
  return s as ReadonlyMap<string, string>;
}

function helper(name: string, body: (params: unknown[], options: HelperOptions) => unknown): HelperDelegate {
  return (...args: unknown[]) => {
    const { params, options } = splitArgs(name, args);
    return body(params, options);
  };
}

/** Every helper a template may use. Helpers reading the RouterPlan take it from `@root`. */
export const HELPERS: Readonly<Record<string, HelperDelegate>> = {
  netmask: helper("netmask", (p) => (arity("netmask", p, 1), netmask(num("netmask", p[0])))),
  cidr: helper("cidr", (p) => (arity("cidr", p, 2), cidr(str("cidr", p[0]), num("cidr", p[1])))),
  orLonger: helper("orLonger", (p) => (arity("orLonger", p, 1), orLonger(str("orLonger", p[0])))),
  bandwidthLabel: helper("bandwidthLabel", (p) => (arity("bandwidthLabel", p, 1), bandwidthLabel(num("bandwidthLabel", p[0])))),
  asnLabel: helper("asnLabel", (p) => (arity("asnLabel", p, 1), asnLabel(num("asnLabel", p[0])))),
  asnRange: helper("asnRange", (p) => (arity("asnRange", p, 1), asnRange(range("asnRange", p[0])))),
  asPathRegex: helper("asPathRegex", (p) => (arity("asPathRegex", p, 1), asPathRegex(range("asPathRegex", p[0])))),
  seq: helper("seq", (p) => (arity("seq", p, 1, 2), seq(num("seq", p[0]), p.length > 1 ? num("seq", p[1]) : undefined))),
  join: helper("join", (p) => {
    arity("join", p, 1, 2);
    if (!Array.isArray(p[0])) throw new Error("helper join: expected a list");
    return join(p[0] as unknown[], p.length > 1 ? str("join", p[1]) : undefined);
  }),
  eq: helper("eq", (p) => (arity("eq", p, 2), eq(p[0], p[1]))),
  or: helper("or", (p) => (arity("or", p, 2), p[0] === true || p[1] === true)),
  bundleId: helper("bundleId", (p) => (arity("bundleId", p, 1), bundleId(str("bundleId", p[0])))),
  maxPrefixArgs: helper("maxPrefixArgs", (p) => {
    arity("maxPrefixArgs", p, 1);
    const m = p[0];
    if (typeof m !== "object" || m === null || !("limit" in m) || !("action" in m)) {
      throw new Error("helper maxPrefixArgs: expected a maxPrefix object");
    }
    return maxPrefixArgs(m as MaxPrefixLimit);
  }),
  policyName: helper("policyName", (p) => {
    arity("policyName", p, 1, 2);
    return policyName(str("policyName", p[0]), p.length > 1 ? afi("policyName", p[1]) : undefined);
  }),
  afiSuffix: helper("afiSuffix", (p) => (arity("afiSuffix", p, 1), afiSuffix(afi("afiSuffix", p[0])))),
  ipKeyword: helper("ipKeyword", (p) => (arity("ipKeyword", p, 1), ipKeyword(afi("ipKeyword", p[0])))),
  addressFamilies: helper("addressFamilies", (p) => (arity("addressFamilies", p, 0), ADDRESS_FAMILIES)),
  importPrefixFilters: helper("importPrefixFilters", (p, o) => (arity("importPrefixFilters", p, 1), importPrefixFilters(router(o), afi("importPrefixFilters", p[0])))),
  asPathFilters: helper("asPathFilters", (p, o) => (arity("asPathFilters", p, 0), asPathFilters(router(o)))),
  importRules: helper("importRules", (p, o) => (arity("importRules", p, 1), importRules(router(o), afi("importRules", p[0])))),
  exportsFor: helper("exportsFor", (p, o) => (arity("exportsFor", p, 1), exportsFor(router(o), afi("exportsFor", p[0])))),
  originatedFor: helper("originatedFor", (p, o) => (arity("originatedFor", p, 1), originatedFor(router(o), afi("originatedFor", p[0])))),
  sessionsFor: helper("sessionsFor", (p, o) => (arity("sessionsFor", p, 1), sessionsFor(router(o), afi("sessionsFor", p[0])))),
  hasOriginated: helper("hasOriginated", (p, o) => (arity("hasOriginated", p, 0), hasOriginated(router(o)))),
  originNote: helper("originNote", (p, o) => {
    arity("originNote", p, 1);
    const a = p[0];
    if (typeof a !== "object" || a === null || !("prefix" in a) || !("originAsn" in a)) {
      throw new Error("helper originNote: expected an announced prefix");
    }
    return originNote(a as AnnouncedPrefix, router(o));
  }),
  sessionPolicy: helper("sessionPolicy", (p) => {
    arity("sessionPolicy", p, 2);
    const direction = p[0];
    if (direction !== "in" && direction !== "out") throw new Error(`helper sessionPolicy: expected "in" or "out", got ${JSON.stringify(direction)}`);
    return sessionPolicy(direction, session("sessionPolicy", p[1]));
  }),
  drainedIn: helper("drainedIn", (p, o) => (arity("drainedIn", p, 1), drainedIn(router(o), afi("drainedIn", p[0])))),
  junosRouteFilter: helper("junosRouteFilter", (p) => (arity("junosRouteFilter", p, 1), junosRouteFilter(str("junosRouteFilter", p[0])))),
  birdPrefixPattern: helper("birdPrefixPattern", (p) => (arity("birdPrefixPattern", p, 1), birdPrefixPattern(str("birdPrefixPattern", p[0])))),
  birdSymbol: helper("birdSymbol", (p) => (arity("birdSymbol", p, 1, 3), birdSymbol(...p.map((x) => str("birdSymbol", x))))),
  birdAsnRange: helper("birdAsnRange", (p) => (arity("birdAsnRange", p, 1), birdAsnRange(range("birdAsnRange", p[0])))),
  birdCommunity: helper("birdCommunity", (p) => (arity("birdCommunity", p, 1), birdCommunity(str("birdCommunity", p[0])))),
  birdImportLimit: helper("birdImportLimit", (p) => (arity("birdImportLimit", p, 1), birdImportLimit(maxPrefix("birdImportLimit", p[0])))),
  aeIndex: helper("aeIndex", (p) => (arity("aeIndex", p, 1), aeIndex(str("aeIndex", p[0])))),
  aeDeviceCount: helper("aeDeviceCount", (p, o) => (arity("aeDeviceCount", p, 0), aeDeviceCount(router(o)))),
  junosPrefixLimit: helper("junosPrefixLimit", (p) => (arity("junosPrefixLimit", p, 1), junosPrefixLimit(maxPrefix("junosPrefixLimit", p[0])))),
  junosAsPathRegex: helper("junosAsPathRegex", (p) => (arity("junosAsPathRegex", p, 1), junosAsPathRegex(range("junosAsPathRegex", p[0])))),
  minutesToSeconds: helper("minutesToSeconds", (p) => (arity("minutesToSeconds", p, 1), minutesToSeconds(num("minutesToSeconds", p[0])))),
  portChannelId: helper("portChannelId", (p) => (arity("portChannelId", p, 1), portChannelId(str("portChannelId", p[0])))),
  eosMaximumRoutes: helper("eosMaximumRoutes", (p) => (arity("eosMaximumRoutes", p, 1), eosMaximumRoutes(maxPrefix("eosMaximumRoutes", p[0])))),
  secret: helper("secret", (p, o) => {
    arity("secret", p, 1);
    const name = str("secret", p[0]);
    const value = secrets(o).get(name);
    if (value === undefined) throw new Error(`helper secret: secret "${name}" was not resolved before rendering`);
    return value;
  }),
};
