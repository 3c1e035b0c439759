/**
 * What the inventory declares, as route analytics checks it: each registered prefix with its
 * origin and the exact path Microsoft must receive, the legs that announce them with their session
 * addresses, and the metro nearest each prefix's region. Derived from the plan alone.
 *
 * Pure: no I/O, no Pulumi.
 */
import { canonicalAddress, readPrefix, type Prefix } from "../plan/addressing";
import { isBogonAsn } from "../plan/bogons";
import { nearestTo } from "../plan/geo";
import { LIFECYCLE } from "../plan/lifecycle";
import type { AddressFamily, Plan } from "../plan/model";
import { intendedPath } from "../render/policyModel";

export interface PrefixIntent {
  prefix: string;
  parsed: Prefix;
  afi: AddressFamily;
  originAsn: number;
  /** The exact path Microsoft must receive: our ASN, then the path the plan exports it with. */
  path: number[];
  /** The region whose users it serves, and the metro nearest that region's centre. */
  region?: string;
  nearest?: { metro: string; km: number };
  /** `stacks/lab/sp.yaml:52` */
  where: string;
}

export interface LegIntent {
  /** `amsterdam/a` */
  id: string;
  metro: string;
  name: string;
  hostname: string;
  /** Session addresses, canonical: ours and Microsoft's, per family. */
  sp: Record<AddressFamily, string>;
  microsoft: Record<AddressFamily, string>;
  drain: boolean;
  where: string;
}

export interface MetroIntent {
  id: string;
  region: string;
  /** Legs whose state renders configs: each announces every registered prefix. */
  legs: LegIntent[];
  file: string;
}

export interface Intent {
  stack: string;
  spName: string;
  spAsn: number;
  spFile: string;
  prefixes: PrefixIntent[];
  metros: MetroIntent[];
  /** What Microsoft's side of each session accepts at most (`advertisedMaxPrefix`). */
  advertisedMaxPrefix: Record<AddressFamily, number>;
  allowDocumentationRanges: boolean;
}

/** Where an address is a leg's session end: ours (`sp`) or Microsoft's. */
export interface LegEnd {
  leg: LegIntent;
  afi: AddressFamily;
  side: "sp" | "microsoft";
}

/** Every session address of the intent's legs (canonical), with the leg, family and side it belongs to. */
export function legEnds(intent: Pick<Intent, "metros">): Map<string, LegEnd> {
  const ends = new Map<string, LegEnd>();
  for (const m of intent.metros)
    for (const leg of m.legs)
      for (const afi of ["ipv4", "ipv6"] as const) {
        ends.set(leg.sp[afi], { leg, afi, side: "sp" });
        ends.set(leg.microsoft[afi], { leg, afi, side: "microsoft" });
      }
  return ends;
}

const sourceRef = (s: { file: string; line?: number }) => (s.line !== undefined ? `${s.file}:${s.line}` : s.file);

export function intentOf(plan: Plan): Intent {
  const metros: MetroIntent[] = plan.metros
    .map((m) => ({
      id: m.id,
      region: m.region,
      file: m.file,
      legs: m.legs
        .filter((l) => LIFECYCLE[l.status].rendered)
        .map((l) => ({
          id: l.id,
          metro: m.id,
          name: l.name,
          hostname: l.hostname,
          sp: { ipv4: canonicalAddress(l.ipv4.sp), ipv6: canonicalAddress(l.ipv6.sp) },
          microsoft: { ipv4: canonicalAddress(l.ipv4.microsoft), ipv6: canonicalAddress(l.ipv6.microsoft) },
          drain: l.drain,
          where: sourceRef(l.source),
        })),
    }))
    .filter((m) => m.legs.length > 0);
  const centres = new Map(plan.sp.regions.map((r) => [r.name, r]));
  const metroRegion = new Map(plan.metros.map((m) => [m.id, m.region]));
  const homes = new Map(plan.registrations.filter((r) => r.kind === "prefix").map((r) => [r.key, r.home]));
  // The metro that announces nearest each region's centre: it depends on the region alone.
  const announcing = new Set(metros.map((m) => m.id));
  const located = plan.metros.filter((m) => announcing.has(m.id));
  const nearestOf = new Map<string, { metro: string; km: number } | undefined>();
  const nearestMetro = (region: string) => {
    if (!nearestOf.has(region)) {
      const centre = centres.get(region);
      const found = centre ? nearestTo(centre, located, (m) => m.id) : undefined;
      nearestOf.set(region, found ? { metro: found.candidate.id, km: found.km } : undefined);
    }
    return nearestOf.get(region);
  };
  const prefixes = plan.sp.prefixes.map((p): PrefixIntent => {
    const parsed = readPrefix(p.prefix);
    if (!parsed) throw new Error(`analytics: ${p.prefix} is no prefix (the loader should have refused it)`);
    const home = homes.get(p.prefix);
    const region =
      p.region ??
      (home !== undefined ? metroRegion.get(home) : undefined) ??
      (plan.sp.regions.length === 1 ? plan.sp.regions[0].name : undefined);
    const nearest = region !== undefined ? nearestMetro(region) : undefined;
    return {
      prefix: parsed.text,
      parsed,
      afi: parsed.afi,
      originAsn: p.originAsn,
      path: [plan.sp.asn, ...intendedPath(p, plan.sp.asn)],
      ...(region !== undefined ? { region } : {}),
      ...(nearest ? { nearest } : {}),
      where: sourceRef(p.source),
    };
  });
  return {
    stack: plan.stack,
    spName: plan.sp.name,
    spAsn: plan.sp.asn,
    spFile: plan.sp.file,
    prefixes,
    metros,
    advertisedMaxPrefix: { ...plan.sp.advertisedMaxPrefix },
    allowDocumentationRanges: plan.sp.allowDocumentationRanges,
  };
}

/** Why a path breaks Microsoft's prefix validation, beyond differing from the declared one. */
export function pathProblems(path: readonly number[], intent: Pick<Intent, "allowDocumentationRanges">): string[] {
  const problems: string[] = [];
  if (path.some((asn, i) => i > 0 && path[i - 1] === asn)) problems.push("prepended");
  if (path.length > 3) problems.push(`${path.length} ASNs, more than 3`);
  const bogons = path.filter((asn) => isBogonAsn(asn, intent.allowDocumentationRanges));
  if (bogons.length > 0) problems.push(`private or reserved ASN ${[...new Set(bogons)].join(", ")}`);
  return problems;
}
