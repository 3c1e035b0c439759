/**
 * The routing policy of one router, vendor-neutral, built once per render from its RouterPlan: which
 * filters exist, their entries as structured prefix ranges, the deny rules of the import policy in
 * order, the announce list, and the policies each session uses, drain variants (RFC 8326) included.
 * Every dialect renders this same model under the same names (`MAPS-IN-V4`, …), so every platform
 * filters the same things; a dialect only formats it (`prefixEntry`, `asPathEntry` of its profile in
 * `vendors/`), it never decides what to filter and never parses another dialect's syntax.
 */
import type { AnnouncedPrefix } from "../load/inventory";
import { familyOf, maxPrefixLength } from "../plan/addressing";
import type { AddressFamily, BgpSession, RouterPlan } from "../plan/model";

export const ADDRESS_FAMILIES: readonly AddressFamily[] = ["ipv4", "ipv6"];

/** Every prefix-list, as-path list, community set, route-map and policy we render, by kind. */
export type PolicyKind =
  | "in"
  | "out"
  | "bogons"
  | "default"
  | "sp-own"
  | "too-long"
  | "as-path-reject"
  | "as-path-bogons"
  | "community"
  | "graceful-shutdown"
  | "in-drain"
  | "out-drain"
  | "bfd";

const PER_FAMILY: ReadonlySet<PolicyKind> = new Set<PolicyKind>([
  "in",
  "out",
  "bogons",
  "default",
  "sp-own",
  "too-long",
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

export function isPolicyKind(kind: string): kind is PolicyKind {
  return PER_FAMILY.has(kind as PolicyKind) || kind in FIXED_NAMES;
}

/** `policyName("in", "ipv4")` → `MAPS-IN-V4`; `policyName("as-path-reject")` → `MAPS-AS-PATH-REJECT`. */
export function policyName(kind: PolicyKind, afi?: AddressFamily): string {
  const fixed = FIXED_NAMES[kind];
  if (fixed !== undefined) {
    if (afi !== undefined) throw new Error(`policyName: "${kind}" is the same for both address families`);
    return fixed;
  }
  if (afi === undefined) throw new Error(`policyName: "${kind}" needs an address family`);
  return `MAPS-${kind.toUpperCase()}-${afiSuffix(afi)}`;
}

/** `ipv4` → `V4`, `ipv6` → `V6`. */
export function afiSuffix(afi: AddressFamily): "V4" | "V6" {
  return afi === "ipv4" ? "V4" : "V6";
}

/**
 * The policy a session uses: a drained leg (RFC 8326) uses its own complete copy of the policy
 * (`MAPS-IN-DRAIN-V4`, `MAPS-OUT-DRAIN-V4`).
 */
export function sessionPolicy(direction: "in" | "out", session: Pick<BgpSession, "afi" | "drain">): string {
  return policyName(session.drain ? `${direction}-drain` : direction, session.afi);
}

/**
 * One entry of a prefix filter: the prefix and the range of prefix lengths it matches. A dialect
 * formats it (`10.0.0.0/8 le 32`, `10.0.0.0/8 orlonger`, `10.0.0.0/8+`).
 */
export interface PrefixEntry {
  /** `10.0.0.0/8` */
  prefix: string;
  afi: AddressFamily;
  /** The prefix's own length: 8. */
  length: number;
  /** Shortest and longest prefix length matched: 8 and 32 for "10.0.0.0/8 and anything more specific". */
  minLength: number;
  maxLength: number;
}

function entry(prefix: string, range: (length: number, familyMax: number) => [number, number]): PrefixEntry {
  const m = /^[^/\s]+\/(\d{1,3})$/.exec(prefix);
  if (!m) throw new Error(`prefix filter: "${prefix}" is not a prefix`);
  const afi = familyOf(prefix);
  const length = Number(m[1]);
  const familyMax = maxPrefixLength(afi);
  const [minLength, maxLength] = range(length, familyMax);
  if (length > familyMax || minLength < length || minLength > maxLength || maxLength > familyMax) {
    throw new Error(`prefix filter: ${prefix} cannot match lengths /${minLength} to /${maxLength}`);
  }
  return { prefix, afi, length, minLength, maxLength };
}

/** The prefix itself: `192.0.2.0/24`. */
export function exactly(prefix: string): PrefixEntry {
  return entry(prefix, (length) => [length, length]);
}

/** The prefix and everything more specific. */
export function orLonger(prefix: string): PrefixEntry {
  return entry(prefix, (length, familyMax) => [length, familyMax]);
}

/** Every prefix of the family longer than `maxLength` (none at the family's full length). */
export function longerThan(afi: AddressFamily, maxLength: number): PrefixEntry | undefined {
  const familyMax = maxPrefixLength(afi);
  if (!Number.isInteger(maxLength) || maxLength < 0 || maxLength > familyMax) {
    throw new Error(`longerThan: ${afi} maximum length must be 0..${familyMax}, got ${maxLength}`);
  }
  return maxLength === familyMax ? undefined : entry(defaultRoute(afi), () => [maxLength + 1, familyMax]);
}

/** The whole address space of an address family: `0.0.0.0/0` or `::/0`. */
export function defaultRoute(afi: AddressFamily): string {
  return afi === "ipv4" ? "0.0.0.0/0" : "::/0";
}

/** An ASN range `[from, to]` (one ASN when from = to); a dialect formats it for its AS-path filters. */
export type AsnRange = readonly [number, number];

export interface PrefixFilter {
  name: string;
  afi: AddressFamily;
  /** `PolicyDialect.prefixListKeyword` of the family, where the dialect has one: `ip`, `ipv6`. */
  keyword?: string;
  comment: string;
  entries: FilterEntry[];
}

/**
 * How a router's dialect writes the model's prefix entries: the `prefixEntry` of its profile
 * (`vendors/<vendor>.ts`), which a VendorProfile is. The model applies it once per entry as it is
 * built, so that a template reads a plain field per prefix-list line instead of calling a helper.
 */
export interface PolicyDialect {
  /**
   * `10.0.0.0/8 le 32`, `10.0.0.0/8 orlonger`, `10.0.0.0/8+`. A plain function (no `this`): the
   * renderer shares one model among the platforms that spell entries with the same function.
   */
  readonly prefixEntry: (entry: PrefixEntry) => string;
  /**
   * The keyword of the family's prefix lists where the dialect repeats it on every entry's line
   * (FRR: `ip prefix-list … seq 10 permit …`, `ipv6 prefix-list …`); the model's filters then carry
   * it as `keyword`. Dialects that name a list once (IOS-XR, Junos, BIRD) have none.
   */
  readonly prefixListKeyword?: (afi: AddressFamily) => string;
}

/**
 * An entry as it stands in one filter of a router's model: the structured entry, its place in the
 * filter and how the router's dialect writes it. Every line of a prefix list is one of these, so a
 * template reads it as plain fields (`seq {{sequence}} permit {{match}}`): at thousands of prefixes,
 * a helper call per line is most of what a template engine spends.
 */
export interface FilterEntry extends PrefixEntry {
  /** Sequence number in its filter (FRR and EOS prefix-lists): 10, 20, 30… */
  sequence: number;
  /** The dialect's spelling of what it matches (`PolicyDialect.prefixEntry`): `10.0.0.0/8 le 32`. */
  match: string;
}

/** A prefix announced to Microsoft, with a comment on who originates it and how it gets here. */
export interface AnnouncedEntry extends FilterEntry {
  note: string;
}

export interface AnnounceFilter {
  name: string;
  afi: AddressFamily;
  /** As PrefixFilter's. */
  keyword?: string;
  entries: AnnouncedEntry[];
}

/**
 * An exact AS path a route must have, in our network, before our ASN is prepended on the way to
 * Microsoft: `[]` for a prefix we originate ourselves, `[64501]` for a customer's, `[64502, 64501]`
 * for a longer path the inventory declares. A dialect writes it as an anchored match of the whole
 * path (`^$`, `^64501$`; Junos `()`, `64501`; BIRD `[= =]`, `[= 64501 =]`).
 */
export interface AsPathMatch {
  /** `MAPS-PATH-LOCAL`, `MAPS-PATH-AS64501`, `MAPS-PATH-AS64502-AS64501` */
  name: string;
  asns: number[];
  comment: string;
}

/**
 * One clause of the export policy: the prefixes that must arrive with exactly this AS path, and
 * the communities they leave with. The communities are SET: whatever the route carried before is
 * replaced by exactly this list, so no internal tag or stray 65535:0 reaches Microsoft.
 */
export interface ExportClause {
  /** Route-map sequence (FRR, EOS); the other dialects keep the same order. */
  sequence: number;
  /** The prefix filter of the clause: `MAPS-ANNOUNCE-LOCAL-V4`, `MAPS-ANNOUNCE-AS64501-V4`. */
  announce: AnnounceFilter;
  asPath: AsPathMatch;
  /** Exactly the communities the routes leave with (8075:8007 first): set, replacing all others. */
  communitySet: CommunitySet;
}

/**
 * The exact communities an export clause sets, as one named set for the dialects that set a named
 * set (IOS-XR `set community <set>`, Junos `community set <name>`): `MAPS-PEERING-SERVICE`,
 * `MAPS-PEERING-SERVICE-64500-100`, `MAPS-PEERING-SERVICE-DRAIN`.
 */
export interface CommunitySet {
  name: string;
  communities: Community[];
}

export interface AsPathFilter {
  name: string;
  comment: string;
  ranges: AsnRange[];
}

/** One deny clause of the import policy; every dialect renders them in this order. */
export interface ImportRule {
  /** Route-map sequence (FRR, EOS); the other dialects keep the same order. */
  sequence: number;
  afi: AddressFamily;
  kind: "prefix" | "as-path";
  /** The prefix filter or AS-path filter to match. */
  name: string;
  comment: string;
}

/** A community the export policy adds, and the set it is defined in where a dialect names sets. */
export interface Community {
  name: string;
  value: string;
  /** Why it is added, for a comment; null for the Peering Service community every export adds. */
  note: string | null;
}

/** An import policy (`MAPS-IN-V4`) or its drain variant (`MAPS-IN-DRAIN-V4`). */
export interface ImportPolicyVariant {
  name: string;
  afi: AddressFamily;
  drain: boolean;
  /** Deny clauses, then accept everything else. */
  rules: ImportRule[];
  /** Set on what is accepted (RFC 8326: 0 on a drained leg); null leaves it alone. */
  localPreference: number | null;
}

/**
 * An export policy (`MAPS-OUT-V4`) or its drain variant: each clause announces its prefixes when
 * they arrive with exactly its AS path, with exactly its communities; nothing else is announced.
 */
export interface ExportPolicyVariant {
  name: string;
  afi: AddressFamily;
  drain: boolean;
  /** Empty when the family has nothing to announce: the policy then only denies. */
  clauses: ExportClause[];
}

export interface FamilyPolicy {
  afi: AddressFamily;
  /** `IPv4` */
  label: string;
  /** `V4`, the suffix of every per-family name. */
  suffix: "V4" | "V6";
  /** Prefix filters of the import policy; empty ones are left out, so no rule refers to an empty list. */
  importFilters: PrefixFilter[];
  importRules: ImportRule[];
  /** The import policy, then its drain variant when a session of the family is drained. */
  imports: ImportPolicyVariant[];
  /** The export policy, then its drain variant when a session of the family is drained. */
  exports: ExportPolicyVariant[];
  /** The export clauses' prefix filters (the drain variant uses the same ones). */
  announce: AnnounceFilter[];
  sessions: BgpSession[];
  /**
   * Sessions of the other family, deactivated in this one: a router-wide `bgp default
   * ipv4-unicast` must not activate an IPv6 session for IPv4 (FRR, EOS).
   */
  otherFamilySessions: BgpSession[];
  /** Prefixes this router originates (discard anchor and `network` statement). */
  originated: string[];
  drained: boolean;
}

export interface PolicyModel {
  families: FamilyPolicy[];
  /** AS-path filters of the import policy, the same for both families; empty ones left out. */
  asPathFilters: AsPathFilter[];
  /** The exact AS paths the export clauses match, the same for both families. */
  exportAsPaths: AsPathMatch[];
  /** Every community set an export clause sets, once (drained ones only when a leg is drained). */
  communitySets: CommunitySet[];
  drained: boolean;
}

/** Sequence number of the n-th (0-based) entry: 10, 20, 30… */
export function seq(index: number, step = 10): number {
  if (!Number.isInteger(index) || index < 0) throw new Error(`seq: index must be a non-negative integer, got ${index}`);
  return (index + 1) * step;
}

/** `AS64500`. */
export function asnLabel(asn: number): string {
  if (!Number.isInteger(asn) || asn < 0 || asn > 4294967295) throw new Error(`asnLabel: invalid ASN ${asn}`);
  return `AS${asn}`;
}

/**
 * The part of a router's policy model that every router of a stack shares: it depends only on the
 * stack's import and export policy, its ASN and the prefixes it originates (the same for every
 * router: Microsoft wants the prefixes announced identically at every metro), not on the router's
 * sessions. The renderer builds it once per stack and spelling of entries (`Renderer.renderAll`;
 * its unspelled part once per stack), so that the filters and export clauses of thousands of
 * prefixes are built, and rendered, once per platform rather than once per router. Both the normal
 * and the drained variants are built; a router picks by its sessions' drain state.
 */
export interface SharedPolicy {
  asPathFilters: AsPathFilter[];
  exportAsPaths: AsPathMatch[];
  families: Record<AddressFamily, SharedFamilyPolicy>;
}

export interface SharedFamilyPolicy {
  importFilters: PrefixFilter[];
  importRules: ImportRule[];
  imports: { normal: ImportPolicyVariant; drained: ImportPolicyVariant };
  exports: { normal: ExportPolicyVariant; drained: ExportPolicyVariant };
  announce: AnnounceFilter[];
  originated: string[];
}

/** What the shared part is built from: a router's import and export policy, ASN and originated prefixes. */
export type SharedPolicyInputs = Pick<RouterPlan, "imports" | "exports" | "asn" | "originated">;

/** A filter before its entries are numbered and spelled in a dialect (`PolicyDialect`). */
export type Unspelled<F extends PrefixFilter | AnnounceFilter> = Omit<F, "entries" | "keyword"> & {
  entries: Array<Omit<F["entries"][number], "sequence" | "match">>;
};

/**
 * The shared part before its entries are spelled: what costs (an entry, a note and a path for each
 * of thousands of prefixes), the same for every platform, so the renderer builds it once per stack
 * and spells it once per dialect (`sharedPolicy`).
 */
export interface UnspelledPolicy {
  asPathFilters: AsPathFilter[];
  exportAsPaths: AsPathMatch[];
  families: Record<
    AddressFamily,
    {
      importFilters: Array<Unspelled<PrefixFilter>>;
      /** The export clauses' prefixes, grouped by exact path and communities. */
      groups: Array<{ announce: Unspelled<AnnounceFilter>; asPath: AsPathMatch; communities: string[] }>;
    }
  >;
}

export function unspelledPolicy(router: SharedPolicyInputs): UnspelledPolicy {
  const allExports = [...router.exports.ipv4, ...router.exports.ipv6];
  const originatedHere = new Set([...router.originated.ipv4, ...router.originated.ipv6]);
  const family = (afi: AddressFamily): UnspelledPolicy["families"][AddressFamily] => ({
    importFilters: importPrefixFilters(router, afi),
    groups: exportGroups(router, afi, originatedHere),
  });
  return {
    asPathFilters: importAsPathFilters(router),
    exportAsPaths: uniqueBy(
      allExports.map((p) => asPathMatch(p, router.asn)),
      (m) => m.name,
    ),
    families: { ipv4: family("ipv4"), ipv6: family("ipv6") },
  };
}

/** A filter's entries as the model holds them: numbered 10, 20, … and spelled in the dialect. */
function spelledEntries<E extends PrefixEntry>(
  entries: readonly E[],
  dialect: PolicyDialect,
): Array<E & Pick<FilterEntry, "sequence" | "match">> {
  return entries.map((e, i) => ({ ...e, sequence: seq(i), match: dialect.prefixEntry(e) }));
}

/** A filter's `keyword`, where the dialect has one. */
function keywordOf(afi: AddressFamily, dialect: PolicyDialect): { keyword?: string } {
  return dialect.prefixListKeyword === undefined ? {} : { keyword: dialect.prefixListKeyword(afi) };
}

/**
 * The shared part spelled in a dialect, from its unspelled part (built here unless given, from the
 * same inputs).
 */
export function sharedPolicy(
  router: SharedPolicyInputs,
  dialect: PolicyDialect,
  unspelled: UnspelledPolicy = unspelledPolicy(router),
): SharedPolicy {
  const { asPathFilters, exportAsPaths } = unspelled;
  const peeringService: Community = { name: policyName("community"), value: router.exports.community, note: null };
  const gracefulShutdown: Community = {
    name: policyName("graceful-shutdown"),
    value: router.exports.gracefulShutdownCommunity,
    note: "this leg is drained (RFC 8326)",
  };

  const family = (afi: AddressFamily): SharedFamilyPolicy => {
    const importFilters = unspelled.families[afi].importFilters.map((f): PrefixFilter => ({
      ...f,
      ...keywordOf(afi, dialect),
      entries: spelledEntries(f.entries, dialect),
    }));
    const importRules = [
      ...importFilters.map((f) => ({ afi, kind: "prefix" as const, name: f.name, comment: f.comment })),
      ...asPathFilters.map((f) => ({ afi, kind: "as-path" as const, name: f.name, comment: f.comment })),
    ].map((r, i): ImportRule => ({ sequence: seq(i), ...r }));
    const groups = unspelled.families[afi].groups.map((g) => {
      const announce: AnnounceFilter = {
        ...g.announce,
        ...keywordOf(afi, dialect),
        entries: spelledEntries(g.announce.entries, dialect),
      };
      return { ...g, announce };
    });
    const importVariant = (drain: boolean): ImportPolicyVariant => ({
      name: sessionPolicy("in", { afi, drain }),
      afi,
      drain,
      rules: importRules,
      localPreference: drain ? router.exports.gracefulShutdownLocalPref : null,
    });
    const exportVariant = (drain: boolean): ExportPolicyVariant => ({
      name: sessionPolicy("out", { afi, drain }),
      afi,
      drain,
      clauses: groups.map((g, i) => ({
        sequence: seq(i),
        announce: g.announce,
        asPath: g.asPath,
        communitySet: communitySet([
          peeringService,
          ...g.communities.map(originCommunity),
          ...(drain ? [gracefulShutdown] : []),
        ]),
      })),
    });
    return {
      importFilters,
      importRules,
      imports: { normal: importVariant(false), drained: importVariant(true) },
      exports: { normal: exportVariant(false), drained: exportVariant(true) },
      announce: groups.map((g) => g.announce),
      originated: afi === "ipv4" ? router.originated.ipv4 : router.originated.ipv6,
    };
  };
  return { asPathFilters, exportAsPaths, families: { ipv4: family("ipv4"), ipv6: family("ipv6") } };
}

/**
 * A router's policy model, its entries spelled in its dialect (`VENDOR_PROFILES[router.vendor]`):
 * the stack's shared part (built here unless given; built with the same dialect) and its own sessions.
 */
export function policyModel(
  router: RouterPlan,
  dialect: PolicyDialect,
  shared: SharedPolicy = sharedPolicy(router, dialect),
): PolicyModel {
  const families = ADDRESS_FAMILIES.map((afi): FamilyPolicy => {
    const own = shared.families[afi];
    const sessions = router.sessions.filter((s) => s.afi === afi);
    const drained = sessions.some((s) => s.drain);
    return {
      afi,
      label: afi === "ipv4" ? "IPv4" : "IPv6",
      suffix: afiSuffix(afi),
      importFilters: own.importFilters,
      importRules: own.importRules,
      imports: drained ? [own.imports.normal, own.imports.drained] : [own.imports.normal],
      exports: drained ? [own.exports.normal, own.exports.drained] : [own.exports.normal],
      announce: own.announce,
      sessions,
      otherFamilySessions: router.sessions.filter((s) => s.afi !== afi),
      originated: own.originated,
      drained,
    };
  });
  const drained = families.some((f) => f.drained);
  return {
    families,
    asPathFilters: shared.asPathFilters,
    exportAsPaths: shared.exportAsPaths,
    // A handful of sets (one per distinct path and communities): cheap per router, and the order
    // follows which families are drained here.
    communitySets: uniqueBy(
      families.flatMap((f) => f.exports.flatMap((e) => e.clauses.map((c) => c.communitySet))),
      (c) => c.name,
    ),
    drained,
  };
}

function uniqueBy<T>(items: readonly T[], key: (t: T) => string): T[] {
  const seen = new Map<string, T>();
  for (const item of items) if (!seen.has(key(item))) seen.set(key(item), item);
  return [...seen.values()];
}

/**
 * The AS path a registered prefix must have in our network before our ASN is prepended: empty for
 * our own, `[origin]` for a customer's, or the exact longer path the inventory declares.
 */
export function intendedPath(p: Pick<AnnouncedPrefix, "originAsn" | "asPath">, ownAsn: number): number[] {
  if (p.asPath !== undefined) return [...p.asPath];
  return p.originAsn === ownAsn ? [] : [p.originAsn];
}

/** `[]` → `MAPS-PATH-LOCAL`; `[64502, 64501]` → `MAPS-PATH-AS64502-AS64501`. */
export function asPathMatchName(asns: readonly number[]): string {
  return `MAPS-PATH-${pathLabel(asns)}`;
}

function pathLabel(asns: readonly number[]): string {
  return asns.length === 0 ? "LOCAL" : asns.map(asnLabel).join("-");
}

function asPathMatch(p: AnnouncedPrefix, ownAsn: number): AsPathMatch {
  const asns = intendedPath(p, ownAsn);
  return {
    name: asPathMatchName(asns),
    asns,
    comment:
      asns.length === 0
        ? "originated in our network: an empty path before our ASN is prepended"
        : `exactly ${asns.map(asnLabel).join(" ")} before our ASN is prepended`,
  };
}

/** The named set of exactly these communities: 8075:8007, the origin ones, then 65535:0 when drained. */
function communitySet(communities: Community[]): CommunitySet {
  const origin = communities.filter((c) => c.name.startsWith("MAPS-ORIGIN-")).map((c) => c.value.replace(":", "-"));
  const drain = communities.some((c) => c.name === policyName("graceful-shutdown"));
  return { name: [policyName("community"), ...origin, ...(drain ? ["DRAIN"] : [])].join("-"), communities };
}

/** An origin community the SP declares for a prefix: `64500:100` → `MAPS-ORIGIN-64500-100`. */
function originCommunity(value: string): Community {
  return { name: `MAPS-ORIGIN-${value.replace(":", "-")}`, value, note: "origin community the SP declares" };
}

/**
 * The export clauses of one family: the registered prefixes grouped by the exact path they must
 * have and the communities they carry, in the order of their first prefix. Groups with the same
 * path and other communities are told apart by `-2`, `-3` after the path.
 */
function exportGroups(
  router: SharedPolicyInputs,
  afi: AddressFamily,
  originatedHere: ReadonlySet<string>,
): UnspelledPolicy["families"][AddressFamily]["groups"] {
  const groups = new Map<string, { prefixes: AnnouncedPrefix[]; asPath: AsPathMatch; communities: string[] }>();
  for (const p of exportsFor(router, afi)) {
    const asPath = asPathMatch(p, router.asn);
    const communities = p.communities ?? [];
    const key = `${asPath.name} ${communities.join(" ")}`;
    const group = groups.get(key) ?? { prefixes: [], asPath, communities };
    group.prefixes.push(p);
    groups.set(key, group);
  }
  const seenPaths = new Map<string, number>();
  return [...groups.values()].map((g) => {
    const n = (seenPaths.get(g.asPath.name) ?? 0) + 1;
    seenPaths.set(g.asPath.name, n);
    const label = `${pathLabel(g.asPath.asns)}${n > 1 ? `-${n}` : ""}`;
    return {
      announce: {
        name: `MAPS-ANNOUNCE-${label}-${afiSuffix(afi)}`,
        afi,
        entries: g.prefixes.map((p) => ({ ...exactly(p.prefix), note: originNote(p, router.asn, originatedHere) })),
      },
      asPath: g.asPath,
      communities: g.communities,
    };
  });
}

function exportsFor(router: SharedPolicyInputs, afi: AddressFamily): AnnouncedPrefix[] {
  return afi === "ipv4" ? router.exports.ipv4 : router.exports.ipv6;
}

/** Prefix filters of the import policy for one family; empty ones are left out entirely. */
function importPrefixFilters(router: SharedPolicyInputs, afi: AddressFamily): Array<Unspelled<PrefixFilter>> {
  const v4 = afi === "ipv4";
  const bogons = v4 ? router.imports.bogonsV4 : router.imports.bogonsV6;
  const maxLength = v4 ? router.imports.maxLengthV4 : router.imports.maxLengthV6;
  const tooLong = longerThan(afi, maxLength);
  const filters: Array<Unspelled<PrefixFilter>> = [
    { name: policyName("bogons", afi), afi, comment: "bogons, any length within", entries: bogons.map(orLonger) },
    { name: policyName("default", afi), afi, comment: "the default route", entries: [exactly(defaultRoute(afi))] },
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
function importAsPathFilters(router: SharedPolicyInputs): AsPathFilter[] {
  const filters: AsPathFilter[] = [
    {
      name: policyName("as-path-reject"),
      comment: `paths through ${router.imports.rejectAsns.map(asnLabel).join(", ")}`,
      ranges: router.imports.rejectAsns.map((a): AsnRange => [a, a]),
    },
    {
      name: policyName("as-path-bogons"),
      comment: "paths through a bogon ASN",
      ranges: [...router.imports.bogonAsnRanges],
    },
  ];
  return filters.filter((f) => f.ranges.length > 0);
}

/** Comment for an announced prefix: who originates it and how it reaches this router. */
function originNote(p: AnnouncedPrefix, asn: number, originatedHere: ReadonlySet<string>): string {
  const desc = p.description ? ` (${p.description})` : "";
  if (p.originAsn === asn) {
    const here = originatedHere.has(p.prefix);
    return `${p.prefix}${desc}: origin ${asnLabel(p.originAsn)}, ${here ? "originated here" : "originated elsewhere in our network, learned via iBGP"}`;
  }
  const path = p.asPath !== undefined ? ` with the declared path ${p.asPath.join(" ")}` : "";
  return `${p.prefix}${desc}: origin customer ${asnLabel(p.originAsn)}${path}, learned via iBGP, only permitted by this filter`;
}

/** Checks that an ASN range is two valid ASNs in order (dialect formatters call it). */
export function checkAsnRange([from, to]: AsnRange): void {
  for (const n of [from, to]) {
    if (!Number.isInteger(n) || n < 0 || n > 4294967295) throw new Error(`ASN range: invalid ASN ${n}`);
  }
  if (from > to) throw new Error(`ASN range: ${from} is above ${to}`);
}
