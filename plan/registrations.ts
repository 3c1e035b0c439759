/**
 * Where each registered prefix and origin ASN is registered. Microsoft: "A prefix can only be
 * registered with a single peering", its key "is used for the prefix even in locations other than
 * the location of the peering it was registered under", and "the connection state of your peering
 * connections must be Active before you can register any prefixes" (learn.microsoft.com,
 * internet-peering "Set up a direct interconnect for internet peering"). So each registration has
 * one home: a metro whose state hosts registrations (plan/lifecycle.ts, active or maintenance).
 *
 * The home is chosen once and then pinned in the allocation lock, like a session prefix, so it never
 * moves because another metro became active:
 *
 * - a prefix's home is its `registerAt`, else the one the lock pins, else the first active metro
 *   (by metro id) of its region (`region`, else the SP's only region, else any);
 * - an origin ASN's home is its `originAsns[].registerAt`, else the one the lock pins, else the
 *   home of its first prefix;
 * - a `registerAt` that differs from the pinned home moves the registration: it is declared on the
 *   new home unprotected (Pulumi deletes the old one first: `deleteBeforeReplace`), and the lock
 *   keeps the old home until the engineer pins the new one after `pulumi up` (an entry of the lock
 *   never changes by itself). A move to a metro that is not active yet waits, the registration
 *   staying where it is.
 *
 * Pure: no Pulumi, no I/O.
 */
import type { AnnouncedPrefix, Inventory, SourceRef } from "../load/inventory";
import { problemAt, type Problem } from "../load/problem";
import { parsePrefix } from "./addressing";
import { LIFECYCLE } from "./lifecycle";
import type { Metro, Registration } from "./model";

export interface RegistrationPlan {
  registrations: Registration[];
  registeredPrefixes: Record<string, string>;
  registeredAsns: Record<string, string>;
  newAllocations: string[];
  retired: string[];
}

/** The lock key of an origin ASN. */
export const asnKey = (asn: number) => `AS${asn}`;

interface Request {
  kind: Registration["kind"];
  key: string;
  asn: number;
  prefix?: AnnouncedPrefix;
  /** The inventory's registerAt, with where it is written. */
  registerAt?: { metro: string; field: string };
  /** Where the lock pins it, with the lock line. */
  pinned?: { metro: string; at: { file: string; line: number; field: string } };
  /** When nothing else says: the metros to choose from, and what the choice waits for if none is active. */
  fallback: () => { metro?: string; waitsFor: string };
  source: SourceRef;
}

/**
 * Plans every registration. `prefixes` are the SP's (canonical, in plan order); `metros` are planned
 * with their states. Problems (a home that does not exist, a metro that went back) go to `problems`.
 */
export function planRegistrations(
  inv: Inventory,
  prefixes: readonly AnnouncedPrefix[],
  metros: readonly Metro[],
  problems: Problem[],
): RegistrationPlan {
  const byId = new Map(metros.map((m) => [m.id, m]));
  const regions = new Set(inv.sp.regions.map((r) => r.name));
  const lockSource = (section: string, key: string) => ({
    file: inv.lockFile,
    line: inv.lockLines[`${section}.${key}`] ?? 0,
    field: `${section}.${key}`,
  });
  const metroIds = [...byId.keys()].sort();
  const knownMetro = (metro: string, at: SourceRef, field: string): boolean => {
    if (byId.has(metro)) return true;
    problems.push(
      problemAt(
        at,
        `names metro "${metro}", which has no metro file`,
        `use one of ${metroIds.join(", ") || "the stack's metros"} (the file name without .yaml)`,
        field,
      ),
    );
    return false;
  };

  // By index, not searched for each entry: at thousands of registered prefixes a search is quadratic.
  const canonicalOf = new Map<SourceRef, AnnouncedPrefix>();
  for (const x of prefixes) if (!canonicalOf.has(x.source)) canonicalOf.set(x.source, x);
  // The first active metro of a region (undefined: of any), once per region.
  const firstActive = new Map<string | undefined, string | undefined>();
  const firstActiveIn = (region: string | undefined): string | undefined => {
    if (!firstActive.has(region)) {
      const candidates = metros
        .filter((m) => m.status === "active" && m.declared && (region === undefined || m.region === region))
        .map((m) => m.id)
        .sort();
      firstActive.set(region, candidates[0]);
    }
    return firstActive.get(region);
  };

  // Prefixes first: an origin ASN's default home is the home of its first prefix.
  const prefixRequests: Request[] = [];
  for (const [i, p] of inv.sp.prefixes.entries()) {
    const canonical = canonicalOf.get(p.source);
    if (!canonical) continue; // an unparseable prefix: planServiceProvider reported it
    // The whole entry (`prefixes[0]`), so that a problem points at the line of the field it is about.
    const entry: SourceRef = { ...p.source, field: `prefixes[${i}]` };
    const field = `prefixes[${i}].registerAt`;
    if (p.region !== undefined && regions.size > 0 && !regions.has(p.region)) {
      problems.push(
        problemAt(
          entry,
          `region "${p.region}" is not a region the SP serves`,
          `use one of ${[...regions].sort().join(", ")}, or add it to \`regions\``,
          `prefixes[${i}].region`,
        ),
      );
    }
    const registerAt =
      p.registerAt !== undefined && knownMetro(p.registerAt, entry, field) ? { metro: p.registerAt, field } : undefined;
    const key = parsePrefix(canonical.prefix);
    const text = key.ok ? key.value.text : canonical.prefix;
    const region = p.region ?? (inv.sp.regions.length === 1 ? inv.sp.regions[0].name : undefined);
    prefixRequests.push({
      kind: "prefix",
      key: text,
      asn: p.originAsn,
      prefix: canonical,
      registerAt,
      pinned: pinOf(inv.lock.registeredPrefixes[text], lockSource("registeredPrefixes", text)),
      fallback: () => ({
        metro: firstActiveIn(region),
        waitsFor: `an active metro${region ? ` in region ${region}` : ""}`,
      }),
      source: entry,
    });
  }
  const planned = prefixRequests.map((r) => decide(r, byId, problems));

  const asnRequests: Request[] = [];
  const overrides = new Map<number, { metro: string; field: string; source: SourceRef }>();
  const originating = new Set(inv.sp.prefixes.map((p) => p.originAsn));
  for (const [i, o] of inv.sp.originAsns.entries()) {
    const field = `originAsns[${i}]`;
    if (o.asn === inv.sp.asn) {
      problems.push(
        problemAt(
          o.source,
          `AS${o.asn} is the SP's own ASN (the PeerAsn), not a registered origin ASN`,
          `remove the entry from originAsns`,
          `${field}.asn`,
        ),
      );
      continue;
    }
    if (!originating.has(o.asn)) {
      problems.push(
        problemAt(
          o.source,
          `AS${o.asn} originates none of the registered prefixes`,
          `remove the entry, or correct originAsn of its prefixes`,
          `${field}.asn`,
        ),
      );
      continue;
    }
    const first = overrides.get(o.asn);
    if (first) {
      problems.push(
        problemAt(
          o.source,
          `AS${o.asn} is listed twice (first at line ${first.source.line})`,
          `list each origin ASN once`,
          `${field}.asn`,
        ),
      );
      continue;
    }
    if (knownMetro(o.registerAt, o.source, `${field}.registerAt`))
      overrides.set(o.asn, { metro: o.registerAt, field: `${field}.registerAt`, source: o.source });
  }
  const firstPlanned = new Map<number, Registration>();
  for (const r of planned) if (!firstPlanned.has(r.asn)) firstPlanned.set(r.asn, r);
  const origins = [...new Set(prefixes.map((p) => p.originAsn))].filter((a) => a !== inv.sp.asn).sort((a, b) => a - b);
  for (const asn of origins) {
    const key = asnKey(asn);
    const firstPrefix = firstPlanned.get(asn);
    const override = overrides.get(asn);
    asnRequests.push({
      kind: "asn",
      key,
      asn,
      registerAt: override && { metro: override.metro, field: override.field },
      pinned: pinOf(inv.lock.registeredAsns[key], lockSource("registeredAsns", key)),
      fallback: () => ({
        metro: firstPrefix?.home,
        waitsFor: `the registration of its prefix ${firstPrefix?.key ?? ""}`.trim(),
      }),
      source: override?.source ?? firstPrefix?.source ?? inv.sp.peerAsnSource,
    });
  }
  const registrations = [...planned, ...asnRequests.map((r) => decide(r, byId, problems))];

  const registeredPrefixes: Record<string, string> = { ...inv.lock.registeredPrefixes };
  const registeredAsns: Record<string, string> = { ...inv.lock.registeredAsns };
  const newAllocations: string[] = [];
  for (const r of registrations) {
    if (r.state !== "new" || r.home === undefined) continue;
    (r.kind === "prefix" ? registeredPrefixes : registeredAsns)[r.key] = r.home;
    newAllocations.push(`home ${r.key} ${r.home}`);
  }
  const listed = new Set(registrations.map((r) => r.key));
  const retired = [...Object.keys(inv.lock.registeredPrefixes), ...Object.keys(inv.lock.registeredAsns)]
    .filter((k) => !listed.has(k))
    .sort();
  return {
    registrations,
    registeredPrefixes: sortKeys(registeredPrefixes),
    registeredAsns: sortKeys(registeredAsns),
    newAllocations,
    retired,
  };
}

function pinOf(metro: string | undefined, at: { file: string; line: number; field: string }) {
  return metro === undefined ? undefined : { metro, at };
}

/** Where one registration is declared, and why. */
function decide(r: Request, metros: ReadonlyMap<string, Metro>, problems: Problem[]): Registration {
  const base = {
    kind: r.kind,
    key: r.key,
    asn: r.asn,
    ...(r.prefix ? { prefix: r.prefix } : {}),
    source: r.source,
    ...(r.pinned ? { pinned: r.pinned.metro } : {}),
  };
  const hosts = (id: string) => {
    const m = metros.get(id);
    return m !== undefined && m.declared && LIFECYCLE[m.status].hostsRegistrations;
  };
  const stateOf = (id: string) => metros.get(id)?.status;
  const pinned = r.pinned;
  const pinnedMetro = pinned && metros.get(pinned.metro);

  if (pinned && !pinnedMetro && (r.registerAt === undefined || r.registerAt.metro === pinned.metro)) {
    problems.push({
      ...pinned.at,
      message: `${r.key} is registered at ${pinned.metro} (its pinned home), which has no metro file any more`,
      fix: `restore the metro file, or set registerAt for ${r.key} to an active metro in ${r.source.file} (the registration moves there)`,
    });
    return { ...base, state: "waiting", protect: false, reason: `its pinned home ${pinned.metro} has no metro file` };
  }

  if (pinnedMetro && pinned) {
    // Once registered, the home stays until registerAt moves it: it must still be able to hold it.
    const state = pinnedMetro.status;
    if (!pinnedMetro.declared || (!LIFECYCLE[state].hostsRegistrations && state !== "decommissioned")) {
      problems.push({
        ...pinned.at,
        message: `${r.key} is registered at ${pinned.metro} (its pinned home), but ${pinned.metro} is now ${pinnedMetro.declared ? state : `${state} and not declared (the PeerAsn is not approved)`}: a metro that holds registrations has been active`,
        fix: `set ${pinned.metro}'s status back to active (${pinnedMetro.file}), or move the registration with registerAt in ${r.source.file}`,
      });
    }
    const target = r.registerAt?.metro;
    if (target === undefined || target === pinned.metro) {
      const protect = hosts(pinned.metro);
      const reason =
        state === "decommissioned"
          ? `pinned home ${pinned.metro} is being decommissioned: move it (registerAt)`
          : `pinned home (${pinned.at.file}:${pinned.at.line})`;
      return { ...base, home: pinned.metro, state: "registered", protect, reason };
    }
    if (hosts(target)) {
      return {
        ...base,
        home: target,
        state: "moving",
        protect: false,
        reason: `moves from ${pinned.metro} to ${target} (registerAt): the old registration is deleted first`,
      };
    }
    refuseLeavingTarget(r, target, stateOf(target), problems);
    return {
      ...base,
      home: pinned.metro,
      state: "registered",
      protect: hosts(pinned.metro),
      reason: `stays at ${pinned.metro} until ${target} (registerAt) is active`,
    };
  }

  // Not registered yet (or its pinned home is gone and registerAt names a new one).
  const moved = pinned ? `; its pinned home ${pinned.metro} has no metro file` : "";
  if (r.registerAt) {
    const target = r.registerAt.metro;
    if (hosts(target)) {
      return pinned
        ? { ...base, home: target, state: "moving", protect: false, reason: `registerAt ${target}${moved}` }
        : { ...base, home: target, state: "new", protect: true, reason: `registerAt ${target}` };
    }
    refuseLeavingTarget(r, target, stateOf(target), problems);
    return {
      ...base,
      state: "waiting",
      protect: false,
      reason: `waits for ${target} (registerAt) to be active${moved}`,
    };
  }
  const { metro, waitsFor } = r.fallback();
  if (metro !== undefined && hosts(metro))
    return {
      ...base,
      home: metro,
      state: "new",
      protect: true,
      reason: r.kind === "prefix" ? `first active metro of its region` : `home of its first prefix`,
    };
  return { ...base, state: "waiting", protect: false, reason: `waits for ${waitsFor}` };
}

/** A registration cannot be sent to a metro that is leaving. */
function refuseLeavingTarget(
  r: Request,
  target: string,
  state: Metro["status"] | undefined,
  problems: Problem[],
): void {
  if (state === "decommissioned")
    problems.push(
      problemAt(
        r.source,
        `registerAt names ${target}, which is being decommissioned`,
        `name an active metro`,
        r.registerAt?.field,
      ),
    );
}

function sortKeys(record: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => a.localeCompare(b)));
}
