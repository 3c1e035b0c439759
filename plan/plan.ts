/**
 * inventory → plan. Pure: derives metros, legs, BGP sessions, addressing and every router's config
 * model once, and collects every cross-file problem (overlaps, duplicate routers, interface names a
 * platform would refuse) with the file and line to fix.
 */
import { planCustomers } from "./customers";
import type {
  AnnouncedPrefix,
  Inventory,
  LegInventory,
  MetroInventory,
  ServiceProviderInventory,
} from "../load/inventory";
import { parseInventory, type StackFiles } from "../load/load";
import { failed, ok, problemAt, type Problem, type Result } from "../load/problem";
import { allocate, familyOf, findOverlaps, parsePrefix, sessionEnds, type Prefix } from "./addressing";
import { bogonLists, isBogonAsn } from "./bogons";
import { LIFECYCLE, legState } from "./lifecycle";
import { planRegistrations } from "./registrations";
import {
  CONNECT_RETRY_SECONDS,
  GRACEFUL_SHUTDOWN_COMMUNITY,
  GRACEFUL_SHUTDOWN_LOCAL_PREF,
  MICROSOFT_ASN,
  PEERING_SERVICE_COMMUNITY,
  REJECTED_TRANSIT_ASNS,
  RESTART_DELAY_SECONDS,
  type AddressFamily,
  type BgpSession,
  type Leg,
  type LegAwaitingAddresses,
  type LegBase,
  type ImportPolicy,
  type Metro,
  type Plan,
  type Registration,
  type RouterPlan,
  type ServiceProviderPlan,
  type SessionAddressing,
  type Waiting,
} from "./model";
import { VENDOR_PROFILES, type InterfaceNameRule } from "../vendors";

const FAMILIES: readonly AddressFamily[] = ["ipv4", "ipv6"];
/** Session prefix lengths a leg may use: point-to-point first (what Microsoft asks for). */
const SESSION_LENGTHS: Record<AddressFamily, readonly number[]> = { ipv4: [31, 30], ipv6: [127, 126] };
/** A stack's files (already read) loaded and planned: the plan, or every problem of the inventory. */
export function planStack(files: StackFiles): Result<Plan> {
  const loaded = parseInventory(files);
  return loaded.ok ? buildPlan(loaded.value) : loaded;
}

export function buildPlan(inv: Inventory): Result<Plan> {
  const problems: Problem[] = [];
  const sp = planServiceProvider(inv.sp, problems);
  checkMetros(inv, problems);
  const addressing = planAddressing(inv, problems);
  if (problems.length > 0 || !addressing) return failed(problems);

  const metros: Metro[] = inv.metros.map((m) => planMetro(inv.sp, sp, m, addressing.byLeg));
  const registrations = planRegistrations(inv, sp.prefixes, metros, problems);
  if (problems.length > 0) return failed(problems);
  const routers = planRouters(inv, sp, metros);
  const sessions = routers.flatMap((r) => r.sessions);
  const customers = planCustomers(inv.customers, metros, registrations.registrations);
  return ok({
    stack: inv.stack,
    sp,
    metros,
    routers,
    sessions,
    registrations: registrations.registrations,
    waiting: [...planWaiting(inv, sp, metros, registrations.registrations), ...customers.waiting],
    customers: customers.customers,
    lock: {
      ...addressing.lock,
      registeredPrefixes: registrations.registeredPrefixes,
      registeredAsns: registrations.registeredAsns,
    },
    newAllocations: [...addressing.newAllocations, ...registrations.newAllocations],
    retiredAllocations: addressing.retired,
    retiredRegistrations: registrations.retired,
  });
}

function planServiceProvider(inv: ServiceProviderInventory, problems: Problem[]): ServiceProviderPlan {
  const seen = new Map<string, AnnouncedPrefix>();
  const parsed: Array<{ prefix: Prefix; entry: AnnouncedPrefix }> = [];
  for (const p of inv.prefixes) {
    const r = parsePrefix(p.prefix);
    if (!r.ok) {
      problems.push(problemAt(p.source, r.message, r.fix));
      continue;
    }
    const first = seen.get(r.value.text);
    if (first) {
      problems.push(
        problemAt(
          p.source,
          `${p.prefix} is listed twice (first at line ${first.source.line})`,
          "list each registered prefix once",
        ),
      );
      continue;
    }
    seen.set(r.value.text, p);
    parsed.push({ prefix: r.value, entry: p });
    checkExportPath(inv, p, problems);
  }
  for (const [a, b] of findOverlaps(parsed)) {
    problems.push(
      problemAt(
        b.entry.source,
        `${b.entry.prefix} overlaps ${a.entry.prefix} (line ${a.entry.source.line})`,
        "register either the covering prefix or the more specific one, not both",
      ),
    );
  }
  if (inv.sessionAddressProvider === "Peer" && !inv.sessionAddressPools) {
    problems.push({
      file: inv.file,
      line: 1,
      field: "sessionAddressPools",
      message: "is required when sessionAddressProvider is Peer",
      fix: "add `sessionAddressPools: { ipv4: <pool>/<len>, ipv6: <pool>/<len> }`, or set `sessionAddressProvider: Microsoft` and pin each leg's sessionPrefixes",
    });
  }
  const sorted = [...parsed].sort((a, b) => compareByFamilyAndAddress(a.prefix, b.prefix)).map((p) => p.entry);
  return {
    name: inv.name,
    asn: inv.asn,
    contacts: inv.contacts,
    peerAsnValidationState: inv.peerAsnValidationState,
    peerAsnApproved: inv.peerAsnValidationState === "Approved",
    sessionAddressProvider: inv.sessionAddressProvider,
    prefixes: sorted,
    advertisedMaxPrefix: inv.advertisedMaxPrefix,
    resourceGroup: inv.azure.resourceGroup,
    location: inv.azure.location,
    allowDocumentationRanges: inv.allowDocumentationRanges,
    regions: inv.regions,
    file: inv.file,
  };
}

/**
 * A registered prefix is exported only with exactly its intended path (README, Router configs):
 * a declared `asPath` must be one Microsoft's prefix validation accepts, and declared origin
 * communities must not be ones the product sets itself or well-known ones.
 */
function checkExportPath(inv: ServiceProviderInventory, p: AnnouncedPrefix, problems: Problem[]): void {
  const index = /^prefixes\[(\d+)\]/.exec(p.source.field)?.[1] ?? "0";
  const at = (key: string, message: string, fix: string) =>
    problems.push({
      file: p.source.file,
      line: p.source.lines?.[key] ?? p.source.line,
      field: `prefixes[${index}].${key}`,
      message,
      fix,
    });
  const path = p.asPath;
  if (path !== undefined) {
    const shown = `[${path.join(", ")}]`;
    if (p.originAsn === inv.asn) {
      at(
        "asPath",
        `${shown} is declared for ${p.prefix}, which our own AS${inv.asn} originates: our own prefixes leave with our ASN alone`,
        "remove asPath (our own prefixes are exported with an empty path before our ASN is prepended)",
      );
      return;
    }
    if (path[path.length - 1] !== p.originAsn) {
      at(
        "asPath",
        `${shown} does not end with the prefix's originAsn ${p.originAsn}`,
        `write the path as it arrives in our network, ending with the origin, e.g. [<its upstream>, ${p.originAsn}]`,
      );
    }
    const repeated = path.find((a, i) => path.indexOf(a) !== i || a === inv.asn);
    if (repeated !== undefined) {
      at(
        "asPath",
        `${shown} repeats AS${repeated}${repeated === inv.asn ? " (our own ASN, which is prepended on the way out)" : ""}: Microsoft refuses prepended paths`,
        "declare the path without prepends and without our ASN",
      );
    }
    const bad = path.find(
      (a) => isBogonAsn(a, inv.allowDocumentationRanges) || a === MICROSOFT_ASN || REJECTED_TRANSIT_ASNS.includes(a),
    );
    if (bad !== undefined) {
      at(
        "asPath",
        `${shown} holds AS${bad}, a private, reserved or Microsoft ASN: Microsoft's prefix validation refuses such paths`,
        "declare the public path the prefix really arrives with, or register the prefix under its public origin",
      );
    }
  }
  for (const [i, c] of (p.communities ?? []).entries()) {
    if (c === PEERING_SERVICE_COMMUNITY || c.startsWith("65535:") || c.startsWith(`${MICROSOFT_ASN}:`)) {
      at(
        `communities[${i}]`,
        `${c} is ${c === PEERING_SERVICE_COMMUNITY ? "the Peering Service community, which every announcement carries anyway" : c.startsWith("65535:") ? "a well-known community (RFC 1997, RFC 8326): the product sets 65535:0 itself on a drained leg" : "one of Microsoft's"}`,
        "declare only your own origin communities, e.g. 64500:100",
      );
    }
  }
}

function compareByFamilyAndAddress(a: Prefix, b: Prefix): number {
  if (a.afi !== b.afi) return a.afi.localeCompare(b.afi);
  return a.first < b.first ? -1 : a.first > b.first ? 1 : a.length - b.length;
}

/** Checks that need more than one file, or knowledge of the platform. */
function checkMetros(inv: Inventory, problems: Problem[]): void {
  const regionNames = new Set(inv.sp.regions.map((r) => r.name));
  const routerHome = new Map<string, { metro: MetroInventory; leg: LegInventory }>();
  const routerIds = new Map<string, LegInventory>();
  for (const metro of inv.metros) {
    if (regionNames.size > 0 && !regionNames.has(metro.region)) {
      problems.push(
        problemAt(
          metro.source,
          `"${metro.region}" is not a region the SP serves`,
          `use one of ${[...regionNames].sort().join(", ")}, or add it to \`regions\` in ${inv.sp.file}`,
          "region",
        ),
      );
    }
    // Microsoft approves a peering request only for an approved PeerAsn: a metro past `requested` implies one.
    if (
      inv.sp.peerAsnValidationState !== "Approved" &&
      LIFECYCLE[metro.status].declared &&
      metro.status !== "requested"
    ) {
      problems.push(
        problemAt(
          metro.source,
          `is ${metro.status}, but ${inv.sp.file} does not record the PeerAsn as approved (peerAsn.validationState: ${inv.sp.peerAsnValidationState}); Microsoft takes peering requests only for an approved PeerAsn`,
          `set \`peerAsn: { validationState: Approved }\` in ${inv.sp.file} once Azure shows the PeerAsn Approved (a metro this far along implies it is)`,
          "status",
        ),
      );
    }
    const legNames = new Map<string, LegInventory>();
    const ports = new Map<string, LegInventory>();
    for (const leg of metro.legs) {
      const other = legNames.get(leg.name);
      if (other) {
        problems.push(
          problemAt(
            leg.source,
            `leg name "${leg.name}" is used twice in this metro (first at line ${other.source.line})`,
            "give every leg of a metro its own name, e.g. a and b",
            `${leg.source.field}.name`,
          ),
        );
      }
      legNames.set(leg.name, leg);
      const home = routerHome.get(leg.hostname);
      if (home && home.metro !== metro) {
        problems.push(
          problemAt(
            leg.source,
            `router ${leg.hostname} is already a leg of metro ${home.metro.id} (${home.metro.file}:${home.leg.source.line})`,
            "a router sits in one metro: correct the hostname",
            `${leg.source.field}.router.hostname`,
          ),
        );
      } else if (!home) {
        routerHome.set(leg.hostname, { metro, leg });
      } else if (home.leg.vendor !== leg.vendor) {
        problems.push(
          problemAt(
            leg.source,
            `router ${leg.hostname} is ${home.leg.vendor} on leg ${home.leg.name} (line ${home.leg.source.line}) but ${leg.vendor} here`,
            "a router runs one platform: give both legs the same vendor",
            `${leg.source.field}.router.vendor`,
          ),
        );
      } else if (home.leg.routerId !== leg.routerId) {
        problems.push(
          problemAt(
            leg.source,
            `router ${leg.hostname} has router-id ${leg.routerId ?? "(none)"} here but ${home.leg.routerId ?? "(none)"} on leg ${home.leg.name} (line ${home.leg.source.line})`,
            "a router has one router-id: write the same routerId on every leg of the router, or leave it out on all",
            `${leg.source.field}.router.routerId`,
          ),
        );
      } else if (JSON.stringify(home.leg.routerWide ?? {}) !== JSON.stringify(leg.routerWide ?? {})) {
        problems.push(
          problemAt(
            leg.source,
            `router ${leg.hostname} declares other routerWide settings here than on leg ${home.leg.name} (line ${home.leg.source.line})`,
            "a router's router-wide settings are one: write the same routerWide on every leg of the router",
            `${leg.source.field}.router.routerWide`,
          ),
        );
      }
      checkInterfaces(leg, problems);
      checkRouterWide(leg, metro, problems);
      if (leg.routerId !== undefined) {
        const other = routerIds.get(leg.routerId);
        if (other !== undefined && other.hostname !== leg.hostname) {
          problems.push(
            problemAt(
              leg.source,
              `router-id ${leg.routerId} is already ${other.hostname}'s (${other.source.file}:${other.source.line})`,
              "give every router its own router-id (its loopback address)",
              `${leg.source.field}.router.routerId`,
            ),
          );
        } else routerIds.set(leg.routerId, leg);
      }
      const state = legState(metro.status, leg.status);
      if (state.problem) {
        problems.push(
          problemAt(
            leg.source,
            `leg ${leg.name} ${state.problem}`,
            "a leg moves through the lifecycle with its metro: correct the leg's or the metro's status (README, Metro lifecycle)",
            `${leg.source.field}.status`,
          ),
        );
      }
      const odd = leg.members.findIndex((m) => m.speedGbps !== leg.members[0].speedGbps);
      if (odd > 0) {
        problems.push(
          problemAt(
            leg.source,
            `the LAG mixes ${leg.members[0].speedGbps}G and ${leg.members[odd].speedGbps}G ports; LACP bundles ports of one speed`,
            "give every member port the same speedGbps",
            `${leg.source.field}.members[${odd}].speedGbps`,
          ),
        );
      }
      for (const [i, m] of leg.members.entries()) {
        const key = `${leg.hostname} ${m.interface}`;
        const user = ports.get(key);
        if (user && user !== leg) {
          problems.push(
            problemAt(
              leg.source,
              `port ${m.interface} on ${leg.hostname} is already a member of leg ${user.name}`,
              "a port belongs to one LAG: correct the member list",
              `${leg.source.field}.members[${i}].interface`,
            ),
          );
        }
        ports.set(key, leg);
      }
      // Microsoft assigns the addresses after the request: a leg may wait for them until it is provisioned.
      if (
        inv.sp.sessionAddressProvider === "Microsoft" &&
        !(leg.sessionPrefixes?.ipv4 && leg.sessionPrefixes?.ipv6) &&
        !LIFECYCLE[state.state].addressesOptional
      ) {
        problems.push(
          problemAt(
            leg.source,
            `has no pinned session prefixes, and Microsoft assigns them (sessionAddressProvider: Microsoft); the leg is ${state.state}, so its router config is rendered and needs them`,
            "copy the IPv4 and IPv6 session prefixes Microsoft assigned (its e-mail, or Azure portal, Peering, Connections) into `sessionPrefixes`; until Microsoft has assigned them the metro (or the leg) stays requested",
            `${leg.source.field}.sessionPrefixes`,
          ),
        );
      }
    }
  }
}

/** Router-wide settings are one platform's each (`routerWideSettings` of `vendors/<vendor>.ts`). */
function checkRouterWide(leg: LegInventory, metro: MetroInventory, problems: Problem[]): void {
  const profile = VENDOR_PROFILES[leg.vendor];
  for (const [key, value] of Object.entries(leg.routerWide ?? {})) {
    const field = `${leg.source.field}.router.routerWide.${key}`;
    const setting = profile.routerWideSettings.find((s) => s.key === key);
    if (setting === undefined) {
      const own = profile.routerWideSettings.map((s) => s.key);
      problems.push(
        problemAt(
          leg.source,
          `${key} is not a router-wide setting of ${profile.name} (${leg.hostname} is ${leg.vendor})`,
          own.length > 0
            ? `remove it; ${profile.name} has ${own.join(", ")}`
            : `remove it; the product sets nothing router-wide on ${profile.name}`,
          field,
        ),
      );
      continue;
    }
    const legs = metro.legs.filter((l) => l.hostname === leg.hostname);
    const why = setting.check(value, legs);
    if (why !== undefined) problems.push(problemAt(leg.source, why.message, why.fix, field));
  }
}

/** The bundle and its member ports, named as the leg's platform names them (`vendors/<vendor>.ts`). */
function checkInterfaces(leg: LegInventory, problems: Problem[]): void {
  const { bundle, member } = VENDOR_PROFILES[leg.vendor];
  const names: Array<[string, string, InterfaceNameRule]> = [
    ["interface", leg.interface, bundle],
    ...leg.members.map((m, i): [string, string, InterfaceNameRule] => [`members[${i}].interface`, m.interface, member]),
  ];
  for (const [field, name, rule] of names) {
    if (!rule.accepts(name))
      problems.push(problemAt(leg.source, `"${name}" is not ${rule.what}`, rule.fix, `${leg.source.field}.${field}`));
  }
}

interface AddressingPlan {
  byLeg: Map<string, Record<AddressFamily, SessionAddressing>>;
  lock: Pick<Plan["lock"], "ipv4" | "ipv6">;
  newAllocations: string[];
  retired: string[];
}

/**
 * Every leg's session prefixes: pinned in the metro file, else kept from the lock, else newly
 * allocated from the pool. Then one overlap sweep over everything the stack uses or reserves.
 */
function planAddressing(inv: Inventory, problems: Problem[]): AddressingPlan | undefined {
  const legs = inv.metros.flatMap((m) => m.legs.map((l) => ({ key: `${m.id}/${l.name}`, metro: m, leg: l })));
  const liveKeys = new Set(legs.map((l) => l.key));
  const chosen = new Map<string, Record<AddressFamily, { prefix: Prefix; origin: SessionAddressing["origin"] }>>();
  const newLock: AddressingPlan["lock"] = { ipv4: {}, ipv6: {} };
  const newAllocations: string[] = [];
  const lockSource = (key: string, afi: AddressFamily) => ({
    file: inv.lockFile,
    line: inv.lockLines[`${afi}.${key}`] ?? 0,
    field: `${afi}.${key}`,
  });

  type Owned = { prefix: Prefix; owner: string; at: { file: string; line: number; field: string } };
  const used: Owned[] = [];

  for (const afi of FAMILIES) {
    // Only the SP allocates from its pools: where Microsoft assigns the addresses, a leg waits for them.
    const pool = inv.sp.sessionAddressProvider === "Peer" ? poolFor(inv, afi, problems) : undefined;
    const wanted: string[] = [];
    // Lock entries of legs that are gone stay reserved: their addresses may still be configured.
    for (const [key, text] of Object.entries(inv.lock[afi])) {
      const r = parsePrefix(text, afi);
      if (!r.ok) {
        problems.push({ ...lockSource(key, afi), message: r.message, fix: r.fix });
        continue;
      }
      newLock[afi][key] = r.value.text;
      if (!liveKeys.has(key))
        used.push({ prefix: r.value, owner: `${key} (retired, reserved in the lock)`, at: lockSource(key, afi) });
    }
    for (const { key, leg } of legs) {
      const pinned = leg.sessionPrefixes?.[afi];
      const field = `${leg.source.field}.sessionPrefixes.${afi}`;
      let entry: { prefix: Prefix; origin: SessionAddressing["origin"] } | undefined;
      if (pinned) {
        const r = parsePrefix(pinned, afi);
        if (!r.ok || familyOf(pinned) !== afi) {
          problems.push(
            problemAt(
              leg.source,
              r.ok ? `"${pinned}" is not an ${afi} prefix` : r.message,
              r.ok ? "pin a prefix of the right family" : r.fix,
              field,
            ),
          );
          continue;
        }
        entry = { prefix: r.value, origin: "pinned" };
      } else if (newLock[afi][key]) {
        const r = parsePrefix(newLock[afi][key], afi);
        if (r.ok) entry = { prefix: r.value, origin: "locked" };
      }
      if (entry) {
        if (!SESSION_LENGTHS[afi].includes(entry.prefix.length)) {
          problems.push(
            problemAt(
              leg.source,
              `${entry.prefix.text} is a /${entry.prefix.length}; a session prefix must be a /${SESSION_LENGTHS[afi].join(" or /")}`,
              `use a /${SESSION_LENGTHS[afi][0]} as Microsoft asks`,
              field,
            ),
          );
          continue;
        }
        newLock[afi][key] = entry.prefix.text;
        used.push({
          prefix: entry.prefix,
          owner: `${key} ${entry.origin === "pinned" ? "(pinned)" : ""}`.trim(),
          at: entry.origin === "pinned" ? problemAt(leg.source, "", "", field) : lockSource(key, afi),
        });
        chosen.set(key, {
          ...(chosen.get(key) ??
            ({} as Record<AddressFamily, { prefix: Prefix; origin: SessionAddressing["origin"] }>)),
          [afi]: entry,
        });
      } else {
        wanted.push(key);
      }
    }
    if (wanted.length === 0 || !pool) continue;
    const result = allocate({
      afi,
      pool,
      length: SESSION_LENGTHS[afi][0],
      wanted: [...wanted].sort(),
      taken: used.map((u) => u.prefix),
    });
    if (!result.ok) {
      const src = inv.sp.sessionAddressPools?.source ?? { file: inv.sp.file, line: 1, field: "sessionAddressPools" };
      problems.push(
        problemAt(
          src,
          `pool ${pool.text} has no free /${SESSION_LENGTHS[afi][0]} left for ${result.exhausted.join(", ")}`,
          "widen the pool (it must keep covering every allocated prefix) or pin sessionPrefixes on those legs",
          `sessionAddressPools.${afi}`,
        ),
      );
      continue;
    }
    for (const [key, prefix] of result.allocated) {
      newLock[afi][key] = prefix.text;
      newAllocations.push(`${afi} ${key} ${prefix.text}`);
      used.push({ prefix, owner: key, at: lockSource(key, afi) });
      chosen.set(key, {
        ...(chosen.get(key) ?? ({} as Record<AddressFamily, { prefix: Prefix; origin: SessionAddressing["origin"] }>)),
        [afi]: { prefix, origin: "allocated" },
      });
    }
  }

  for (const [a, b] of findOverlaps(used)) {
    problems.push({
      ...b.at,
      message: `${b.prefix.text} of ${b.owner} overlaps ${a.prefix.text} of ${a.owner} (${a.at.file}:${a.at.line})`,
      fix: "give every leg its own session prefix: remove the pin, or pin a free /31 or /127",
    });
  }
  if (problems.length > 0) return undefined;

  // A leg is addressed once both families are known; until then (Microsoft assigns them) it waits.
  const byLeg = new Map<string, Record<AddressFamily, SessionAddressing>>();
  for (const [key, fam] of chosen) {
    if (!FAMILIES.every((afi) => fam[afi] !== undefined)) continue;
    const addressing = {} as Record<AddressFamily, SessionAddressing>;
    for (const afi of FAMILIES) {
      const { prefix, origin } = fam[afi];
      addressing[afi] = { afi, prefix: prefix.text, prefixLength: prefix.length, ...sessionEnds(prefix), origin };
    }
    byLeg.set(key, addressing);
  }
  const retired = [
    ...new Set(FAMILIES.flatMap((afi) => Object.keys(newLock[afi]).filter((k) => !liveKeys.has(k)))),
  ].sort();
  return { byLeg, lock: { ipv4: sortKeys(newLock.ipv4), ipv6: sortKeys(newLock.ipv6) }, newAllocations, retired };
}

function poolFor(inv: Inventory, afi: AddressFamily, problems: Problem[]): Prefix | undefined {
  const pools = inv.sp.sessionAddressPools;
  if (!pools) return undefined;
  const r = parsePrefix(pools[afi], afi);
  const field = `sessionAddressPools.${afi}`;
  if (!r.ok) {
    problems.push(problemAt(pools.source, r.message, r.fix, field));
    return undefined;
  }
  if (r.value.length > SESSION_LENGTHS[afi][0]) {
    problems.push(
      problemAt(
        pools.source,
        `pool ${r.value.text} is smaller than one session prefix`,
        `use a pool of /${SESSION_LENGTHS[afi][0] - 1} or shorter`,
        field,
      ),
    );
    return undefined;
  }
  return r.value;
}

function sortKeys(record: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => a.localeCompare(b)));
}

function planMetro(
  sp: ServiceProviderInventory,
  spPlan: ServiceProviderPlan,
  m: MetroInventory,
  addressing: Map<string, Record<AddressFamily, SessionAddressing>>,
): Metro {
  const legs: Leg[] = [];
  const legsAwaitingAddresses: LegAwaitingAddresses[] = [];
  m.legs.forEach((l, position) => {
    const id = `${m.id}/${l.name}`;
    const status = legState(m.status, l.status).state;
    const base: LegBase = {
      id,
      metro: m.id,
      name: l.name,
      position,
      status,
      hostname: l.hostname,
      vendor: l.vendor,
      ...(l.platform ? { platform: l.platform } : {}),
      interface: l.interface,
      members: l.members,
      portGbps: l.members[0].speedGbps,
      lacpRate: l.lacpRate,
      bandwidthMbps: l.members.reduce((sum, mem) => sum + mem.speedGbps * 1000, 0),
      description: l.description ?? `MAPS ${m.peeringLocation} leg ${l.name} to Microsoft AS${MICROSOFT_ASN}`,
      ...(l.md5KeySecret ? { md5KeySecret: l.md5KeySecret } : {}),
      ...(l.md5Agreement ? { md5Agreement: l.md5Agreement } : {}),
      maxPrefixLimit: { ipv4: l.maxPrefix?.ipv4 ?? sp.maxPrefix.ipv4, ipv6: l.maxPrefix?.ipv6 ?? sp.maxPrefix.ipv6 },
      // A metro in maintenance, or leaving, drains every leg (RFC 8326) as the leg's own drain does.
      drain: l.drain || LIFECYCLE[status].drained,
      source: l.source,
    };
    const addr = addressing.get(id);
    if (!addr) {
      legsAwaitingAddresses.push(base);
      return;
    }
    const sessions: BgpSession[] = FAMILIES.map((afi) => ({
      id: `${id}/${afi}`,
      metro: m.id,
      leg: l.name,
      afi,
      hostname: l.hostname,
      localAsn: sp.asn,
      peerAsn: MICROSOFT_ASN,
      localAddress: addr[afi].sp,
      peerAddress: addr[afi].microsoft,
      sessionPrefix: addr[afi].prefix,
      prefixLength: addr[afi].prefixLength,
      description: `MAPS ${m.peeringLocation} leg ${l.name} Microsoft AS${MICROSOFT_ASN} ${afi === "ipv4" ? "IPv4" : "IPv6"}`,
      bfd: sp.bfd,
      maxPrefix: {
        limit: base.maxPrefixLimit[afi],
        warningPercent: sp.maxPrefix.warningPercent,
        action: sp.maxPrefix.action,
        restartMinutes: sp.maxPrefix.restartMinutes,
      },
      ...(l.md5KeySecret ? { md5KeySecret: l.md5KeySecret } : {}),
      drain: base.drain,
      gtsm: sp.gtsm,
      connectRetrySeconds: CONNECT_RETRY_SECONDS,
      restartDelaySeconds: { ...RESTART_DELAY_SECONDS },
    }));
    legs.push({ ...base, ipv4: addr.ipv4, ipv6: addr.ipv6, sessions });
  });
  return {
    id: m.id,
    peeringLocation: m.peeringLocation,
    peeringDbFacilityId: m.peeringDbFacilityId,
    region: m.region,
    latitude: m.latitude,
    longitude: m.longitude,
    status: m.status,
    declared: LIFECYCLE[m.status].declared && spPlan.peerAsnApproved,
    legs,
    legsAwaitingAddresses,
    file: m.file,
  };
}

function planRouters(inv: Inventory, sp: ServiceProviderPlan, metros: Metro[]): RouterPlan[] {
  const bogons = bogonLists(sp.allowDocumentationRanges);
  const byFamily = (afi: AddressFamily) => sp.prefixes.filter((p) => familyOf(p.prefix) === afi);
  const exports = {
    ipv4: byFamily("ipv4"),
    ipv6: byFamily("ipv6"),
    community: PEERING_SERVICE_COMMUNITY,
    gracefulShutdownCommunity: GRACEFUL_SHUTDOWN_COMMUNITY,
    gracefulShutdownLocalPref: GRACEFUL_SHUTDOWN_LOCAL_PREF,
  };
  const originated = {
    ipv4: exports.ipv4.filter((p) => p.originAsn === sp.asn).map((p) => p.prefix),
    ipv6: exports.ipv6.filter((p) => p.originAsn === sp.asn).map((p) => p.prefix),
  };
  // The same for every router (one object, so that the renderer builds its filters once per stack).
  const imports: ImportPolicy = {
    bogonsV4: bogons.v4,
    bogonsV6: bogons.v6,
    maxLengthV4: 24,
    maxLengthV6: 48,
    rejectAsns: [...REJECTED_TRANSIT_ASNS],
    bogonAsnRanges: bogons.asnRanges,
  };
  const firstLegs = firstLegByHostname(inv);
  const routers: RouterPlan[] = [];
  for (const metro of metros) {
    // Only legs whose state renders configs reach a router (planned and requested legs do not).
    const rendered = metro.legs.filter((l) => LIFECYCLE[l.status].rendered);
    const hostnames = [...new Set(rendered.map((l) => l.hostname))].sort();
    for (const hostname of hostnames) {
      const legs = rendered.filter((l) => l.hostname === hostname);
      const first = firstLegs.get(hostname);
      if (first === undefined) throw new Error(`internal: router ${hostname} has no leg in the inventory`);
      routers.push({
        hostname,
        vendor: legs[0].vendor,
        ...(legs[0].platform ? { platform: legs[0].platform } : {}),
        metro: {
          id: metro.id,
          peeringLocation: metro.peeringLocation,
          region: metro.region,
          peeringDbFacilityId: metro.peeringDbFacilityId,
        },
        asn: sp.asn,
        spName: sp.name,
        ...(first.routerId !== undefined ? { routerId: first.routerId } : {}),
        routerWide: { ...first.routerWide },
        legs,
        sessions: legs.flatMap((l) => l.sessions),
        originated,
        exports,
        imports,
        bfd: inv.sp.bfd,
        stack: inv.stack,
      });
    }
  }
  return routers;
}

/**
 * Each router's first leg in the inventory: where its router-wide facts are written (all its legs
 * agree). One pass over the inventory, not a search of every leg per router (which made the plan
 * quadratic in metros).
 */
function firstLegByHostname(inv: Inventory): Map<string, LegInventory> {
  const first = new Map<string, LegInventory>();
  for (const m of inv.metros) for (const l of m.legs) if (!first.has(l.hostname)) first.set(l.hostname, l);
  return first;
}

/** What waits for what: Microsoft's approval and addresses, an Active connection, a home for a registration. */
function planWaiting(
  inv: Inventory,
  sp: ServiceProviderPlan,
  metros: Metro[],
  registrations: Registration[],
): Waiting[] {
  const waiting: Waiting[] = [];
  if (!sp.peerAsnApproved) {
    const held = metros.filter((m) => LIFECYCLE[m.status].declared).map((m) => m.id);
    waiting.push({
      subject: `the PeerAsn AS${sp.asn} (${sp.peerAsnValidationState})`,
      waitsFor: "Microsoft's validation (up to 12 hours after it is created)",
      next: `set peerAsn.validationState: Approved in ${inv.sp.file} once Azure shows it Approved${held.length > 0 ? `; the peerings of ${held.join(", ")} are declared then` : ""}`,
    });
  }
  for (const metro of metros) {
    const rules = LIFECYCLE[metro.status];
    const awaiting = metro.legsAwaitingAddresses.filter((l) => LIFECYCLE[l.status].declared);
    if (awaiting.length > 0) {
      waiting.push({
        subject: `metro ${metro.id} ${awaiting.map((l) => `leg ${l.name}`).join(", ")}`,
        waitsFor: "Microsoft's session addresses (sessionAddressProvider: Microsoft); no router config until then",
        next: `copy the prefixes Microsoft assigns into sessionPrefixes in ${metro.file}`,
      });
    }
    if (metro.status === "requested" || metro.status === "provisioning") {
      waiting.push({
        subject: `metro ${metro.id} (${metro.status})`,
        waitsFor:
          metro.status === "requested"
            ? "Microsoft's approval and LOA"
            : "Microsoft to report the connections Active; no registration here until then",
        next: rules.next,
      });
    }
    const requestedLegs = metro.legs.filter((l) => l.status === "requested" && metro.status !== "requested");
    if (requestedLegs.length > 0) {
      waiting.push({
        subject: `metro ${metro.id} ${requestedLegs.map((l) => `leg ${l.name}`).join(", ")} (requested)`,
        waitsFor: "Microsoft's approval and LOA; no router config until then",
        next: LIFECYCLE.requested.next,
      });
    }
    if (metro.status === "decommissioned") {
      waiting.push({
        subject: `metro ${metro.id} (decommissioned)`,
        waitsFor: "Microsoft to deprovision it (peering@microsoft.com)",
        next: rules.next,
      });
    }
  }
  for (const r of registrations) {
    if (r.state === "waiting")
      waiting.push({
        subject: r.key,
        waitsFor: r.reason.replace(/^waits for /, ""),
        next: "nothing to do: it is registered as soon as that holds",
      });
  }
  return waiting;
}
