/**
 * Turns a stack's files (already read) into the typed inventory. Pure: no file system here, so the
 * loader is tested on strings; `files.ts` does the reading.
 */
import type {
  AllocationLock,
  AnnouncedPrefix,
  BfdTimers,
  Contact,
  CustomerInventory,
  Inventory,
  LegInventory,
  MaxPrefixPolicy,
  MetroInventory,
  PeerAsnValidationState,
  RouterWideSettings,
  ServiceProviderInventory,
} from "./inventory";
import type { LegState, LifecycleState } from "../plan/lifecycle";
import type { Vendor } from "../vendors";
import { mostSpecificCovering, readPrefix } from "../plan/addressing";
import { failed, ok, type Problem, type Result } from "./problem";
import { stackPaths } from "./stackPaths";
import { fieldName, parseAndValidate, type LocatedDocument, type SourceFile } from "./validate";

export interface StackFiles {
  stack: string;
  sp: SourceFile;
  metros: SourceFile[];
  /** `customers/*.yaml`: none for most stacks. */
  customers?: SourceFile[];
  /** Absent until the first plan writes it. */
  lock?: SourceFile;
  lockFile: string;
}

/*
 * Shapes after schema validation. Every default lives in the JSON Schemas (`"default"`, filled in by
 * the validator), where editors show it too; nothing here defaults a value a second time.
 */
interface SpDoc {
  name: string;
  asn: number;
  peerAsn: { validationState: PeerAsnValidationState };
  contacts: Contact[];
  sessionAddressProvider: "Peer" | "Microsoft";
  sessionAddressPools?: { ipv4: string; ipv6: string };
  maxPrefix: MaxPrefixPolicy;
  advertisedMaxPrefix: { ipv4: number; ipv6: number };
  bfd: BfdTimers;
  /** As the inventory writes them: an `AnnouncedPrefix` without its source position. */
  prefixes: Array<Omit<AnnouncedPrefix, "source">>;
  originAsns: Array<{ asn: number; registerAt: string }>;
  defaultVendor: Vendor;
  regions: Array<{ name: string; latitude: number; longitude: number }>;
  azure: { resourceGroup: string; location?: string };
  allowDocumentationRanges: boolean;
  gtsm: boolean;
}

interface MetroDoc {
  peeringLocation: string;
  peeringDbFacilityId: number;
  region: string;
  latitude: number;
  longitude: number;
  status: LifecycleState;
  legs: Array<{
    name: string;
    router: {
      hostname: string;
      vendor?: Vendor;
      platform?: string;
      routerId?: string;
      routerWide?: RouterWideSettings;
    };
    interface: string;
    members: Array<{ interface: string; speedGbps: number }>;
    lacpRate: "fast" | "slow";
    description?: string;
    sessionPrefixes?: { ipv4?: string; ipv6?: string };
    md5?: { keySecret: string; agreement: string };
    /** The old spelling of `md5.keySecret`: refused with a migration fix. */
    md5KeySecret?: string;
    maxPrefix?: { ipv4?: number; ipv6?: number };
    status?: LegState;
    drain: boolean;
  }>;
}

type CustomerDoc = Omit<CustomerInventory, "file" | "id" | "source" | "prefixes"> & {
  prefixes: Array<{ prefix: string }>;
};

function toCustomer(file: string, id: string, d: CustomerDoc, doc: LocatedDocument): CustomerInventory {
  return {
    file,
    id,
    name: d.name,
    peeringService: d.peeringService,
    prefixes: d.prefixes.map((p, i) => ({
      prefix: p.prefix,
      source: { file, line: doc.lineOf(["prefixes", i, "prefix"]), field: `prefixes[${i}].prefix` },
    })),
    connectionMonitorTests: d.connectionMonitorTests,
    source: {
      file,
      line: doc.lineOf(["peeringService"]),
      field: "peeringService",
      lines: doc.linesBelow(["peeringService"]),
    },
  };
}

/**
 * What the schema cannot see: the metros a customer names exist, and each prefix is one of the
 * SP's (or within one), whose registration's prefix key activates it. That primary and backup
 * differ is the customer-peering-service policy's to say, on the resource Azure would get.
 */
function customerProblems(
  customers: readonly CustomerInventory[],
  sp: ServiceProviderInventory,
  metros: Set<string>,
): Problem[] {
  const problems: Problem[] = [];
  const names = new Map<string, string>();
  const spPrefixCovering = mostSpecificCovering(sp.prefixes, (r) => r.prefix);
  for (const c of customers) {
    for (const field of ["primaryMetro", "backupMetro"] as const) {
      const metro = c.peeringService[field];
      if (!metros.has(metro))
        problems.push({
          file: c.file,
          line: c.source.lines?.[field] ?? c.source.line,
          field: `peeringService.${field}`,
          message: `names metro "${metro}", which the stack does not have`,
          fix: `name one of ${[...metros].sort().join(", ")} (a file under metros/)`,
        });
    }
    const other = names.get(c.peeringService.name.toLowerCase());
    if (other !== undefined)
      problems.push({
        file: c.file,
        line: c.source.lines?.name ?? c.source.line,
        field: "peeringService.name",
        message: `"${c.peeringService.name}" is already the Peering Service of ${other}`,
        fix: "give each customer's Peering Service its own name",
      });
    names.set(c.peeringService.name.toLowerCase(), c.file);
    for (const p of c.prefixes) {
      if (spPrefixCovering(readPrefix(p.prefix)) === undefined)
        problems.push({
          file: c.file,
          line: p.source.line,
          field: p.source.field,
          message: `${p.prefix} is none of the SP's registered prefixes, nor within one`,
          fix: `list it under prefixes in ${sp.file} (Microsoft validates and registers it, and its prefix key activates the customer's), or correct it`,
        });
    }
  }
  return problems;
}

/** A metro id: the metro file's name without `.yaml`. */
export const METRO_ID = /^[a-z0-9]([a-z0-9-]{0,30}[a-z0-9])?$/;
/** A customer id: the customer file's name without `.yaml`, spelled like a metro id (it names resources). */
export const CUSTOMER_ID = METRO_ID;

/**
 * The files whose names give a valid id of their kind, each with its id, the first file of each id
 * only (`amsterdam.yaml` and `amsterdam.yml` give the same id, which would name the same resources
 * twice); a problem for every other file.
 */
function filesById(
  files: readonly SourceFile[],
  kind: "metro" | "customer",
  valid: RegExp,
  example: string,
  problems: Problem[],
): Array<{ file: SourceFile; id: string }> {
  const first = new Map<string, string>();
  const kept: Array<{ file: SourceFile; id: string }> = [];
  for (const file of files) {
    const id = metroIdOf(file.file);
    if (!valid.test(id)) {
      problems.push({
        file: file.file,
        line: 0,
        field: "",
        message: `the file name gives ${kind} id "${id}", which is not a valid ${kind} id`,
        fix: `rename the file to the ${kind}'s id in lower-case letters, digits and dashes, e.g. ${example}`,
      });
      continue;
    }
    const other = first.get(id);
    if (other !== undefined) {
      problems.push({
        file: file.file,
        line: 0,
        field: "",
        message: `the file name gives ${kind} id "${id}", which ${other} gives already`,
        fix: `keep one file per ${kind}: merge the two into ${other} and remove this one, or rename one of them`,
      });
      continue;
    }
    first.set(id, file.file);
    kept.push({ file, id });
  }
  return kept;
}

export function parseInventory(files: StackFiles): Result<Inventory> {
  const problems: Problem[] = [];

  const spParsed = parseAndValidate(files.sp, "sp");
  problems.push(...spParsed.problems);
  const sp =
    spParsed.problems.length === 0
      ? toServiceProvider(files.sp.file, spParsed.value as SpDoc, spParsed.doc)
      : undefined;

  const metroDocs: Array<{ file: string; id: string; value: MetroDoc; doc: LocatedDocument }> = [];
  for (const { file, id } of filesById(files.metros, "metro", METRO_ID, "amsterdam.yaml", problems)) {
    const parsed = parseAndValidate(file, "metro");
    problems.push(...parsed.problems);
    if (parsed.problems.length === 0) {
      const value = parsed.value as MetroDoc;
      problems.push(...migrationProblems(file.file, value, parsed.doc));
      metroDocs.push({ file: file.file, id, value, doc: parsed.doc });
    }
  }
  if (files.metros.length === 0) {
    problems.push({
      file: files.sp.file,
      line: 1,
      field: "",
      message: "the stack has no metro files",
      fix: `add one file per peering metro under ${stackPaths(files.stack).metrosDir}/`,
    });
  }

  let lock: AllocationLock = { ipv4: {}, ipv6: {}, registeredPrefixes: {}, registeredAsns: {} };
  let lockLines: Record<string, number> = {};
  if (files.lock) {
    const parsed = parseLock(files.lock);
    problems.push(...parsed.problems);
    if (parsed.problems.length === 0) {
      // Locks written before registrations were pinned have no registration sections: they load.
      const value = parsed.value as Partial<AllocationLock>;
      lock = {
        ipv4: { ...value.ipv4 },
        ipv6: { ...value.ipv6 },
        registeredPrefixes: { ...value.registeredPrefixes },
        registeredAsns: { ...value.registeredAsns },
      };
      lockLines = parsed.doc.linesBelow([]);
    }
  }

  const customers: CustomerInventory[] = [];
  for (const { file, id } of filesById(files.customers ?? [], "customer", CUSTOMER_ID, "contoso.yaml", problems)) {
    const parsed = parseAndValidate(file, "customer");
    problems.push(...parsed.problems);
    if (parsed.problems.length === 0)
      customers.push(toCustomer(file.file, id, parsed.value as CustomerDoc, parsed.doc));
  }
  if (sp) problems.push(...customerProblems(customers, sp, new Set(metroDocs.map((m) => m.id))));

  if (problems.length > 0 || !sp) return failed(problems);
  const metros = metroDocs
    .map((m) => toMetro(m.file, m.id, m.value, m.doc, sp.defaultVendor))
    .sort((a, b) => a.id.localeCompare(b.id));
  return ok({ stack: files.stack, sp, metros, customers, lock, lockFile: files.lockFile, lockLines });
}

/**
 * The allocation lock. An empty or unreadable lock is an error, never a fresh start: a lock
 * truncated in a merge would otherwise silently re-allocate every session address and move every
 * registration. The fix names both ways out.
 */
function parseLock(lock: SourceFile): { doc: LocatedDocument; value: unknown; problems: Problem[] } {
  const fix = `restore it from git (\`git checkout -- ${lock.file}\`, or from the last good commit), or delete the file to allocate afresh (every leg and registration is then allocated anew: check the plan before you commit)`;
  if (lock.text.replace(/^\s*#.*$/gm, "").trim() === "") {
    const parsed = parseAndValidate(lock, "lock");
    return {
      ...parsed,
      problems: [
        { file: lock.file, line: 1, field: "", message: "is empty: the allocation lock holds no allocation", fix },
      ],
    };
  }
  const parsed = parseAndValidate(lock, "lock");
  if (
    parsed.value !== undefined &&
    (typeof parsed.value !== "object" || parsed.value === null || Array.isArray(parsed.value))
  ) {
    return {
      ...parsed,
      problems: [{ file: lock.file, line: 1, field: "", message: "is not a mapping of allocations", fix }],
    };
  }
  return {
    ...parsed,
    problems: parsed.problems.map((p) => ({ ...p, fix: `${p.fix}; or ${fix}` })),
  };
}

export function metroIdOf(file: string): string {
  const base = file.split("/").pop() ?? file;
  return base.replace(/\.ya?ml$/, "");
}

/** What an inventory written before a change says in the old way: each with the migration. */
function migrationProblems(file: string, d: MetroDoc, doc: LocatedDocument): Problem[] {
  return d.legs.flatMap((l, i) =>
    l.md5KeySecret === undefined
      ? []
      : [
          {
            file,
            line: doc.lineOf(["legs", i, "md5KeySecret"]),
            field: fieldName(["legs", i, "md5KeySecret"]),
            message:
              "is replaced by `md5: { keySecret, agreement }`: Microsoft's peering policy says MD5 isn't supported, so a key is an exception Microsoft agrees to, and the inventory records where",
            fix: `write \`md5: { keySecret: ${l.md5KeySecret}, agreement: <ticket or e-mail of Microsoft's agreement> }\`, or remove the key`,
          },
        ],
  );
}

function toServiceProvider(file: string, d: SpDoc, doc: LocatedDocument): ServiceProviderInventory {
  const prefixes: AnnouncedPrefix[] = d.prefixes.map((p, i) => ({
    prefix: p.prefix,
    originAsn: p.originAsn,
    description: p.description,
    ...(p.registerAt !== undefined ? { registerAt: p.registerAt } : {}),
    ...(p.region !== undefined ? { region: p.region } : {}),
    ...(p.asPath !== undefined ? { asPath: p.asPath } : {}),
    ...(p.communities !== undefined ? { communities: p.communities } : {}),
    // Lines of the entry's fields (`registerAt` → 47), relative to `prefixes[i]`.
    source: {
      file,
      line: doc.lineOf(["prefixes", i, "prefix"]),
      field: fieldName(["prefixes", i, "prefix"]),
      lines: doc.linesBelow(["prefixes", i]),
    },
  }));
  const peerAsnWritten = doc.has(["peerAsn", "validationState"]);
  return {
    file,
    name: d.name,
    asn: d.asn,
    peerAsnValidationState: d.peerAsn.validationState,
    peerAsnSource: peerAsnWritten
      ? { file, line: doc.lineOf(["peerAsn", "validationState"]), field: "peerAsn.validationState" }
      : { file, line: doc.lineOf(["asn"]), field: "peerAsn.validationState" },
    contacts: d.contacts,
    sessionAddressProvider: d.sessionAddressProvider,
    sessionAddressPools: d.sessionAddressPools && {
      ...d.sessionAddressPools,
      source: {
        file,
        line: doc.lineOf(["sessionAddressPools"]),
        field: "sessionAddressPools",
        lines: doc.linesBelow(["sessionAddressPools"]),
      },
    },
    maxPrefix: d.maxPrefix,
    advertisedMaxPrefix: d.advertisedMaxPrefix,
    bfd: d.bfd,
    prefixes,
    originAsns: d.originAsns.map((o, i) => ({
      asn: o.asn,
      registerAt: o.registerAt,
      source: {
        file,
        line: doc.lineOf(["originAsns", i]),
        field: fieldName(["originAsns", i]),
        lines: doc.linesBelow(["originAsns", i]),
      },
    })),
    defaultVendor: d.defaultVendor,
    regions: d.regions,
    azure: d.azure,
    allowDocumentationRanges: d.allowDocumentationRanges,
    gtsm: d.gtsm,
  };
}

function toMetro(file: string, id: string, d: MetroDoc, doc: LocatedDocument, defaultVendor: Vendor): MetroInventory {
  const legs: LegInventory[] = d.legs.map((l, i) => ({
    name: l.name,
    hostname: l.router.hostname,
    // A leg's router runs the SP's default platform unless the leg names its own.
    vendor: l.router.vendor ?? defaultVendor,
    platform: l.router.platform,
    ...(l.router.routerId !== undefined ? { routerId: l.router.routerId } : {}),
    ...(l.router.routerWide !== undefined ? { routerWide: l.router.routerWide } : {}),
    interface: l.interface,
    members: l.members,
    lacpRate: l.lacpRate,
    description: l.description,
    sessionPrefixes: l.sessionPrefixes,
    ...(l.md5 ? { md5KeySecret: l.md5.keySecret, md5Agreement: l.md5.agreement } : {}),
    maxPrefix: l.maxPrefix,
    ...(l.status !== undefined ? { status: l.status } : {}),
    drain: l.drain,
    source: { file, line: doc.lineOf(["legs", i]), field: fieldName(["legs", i]), lines: doc.linesBelow(["legs", i]) },
  }));
  return {
    file,
    id,
    peeringLocation: d.peeringLocation,
    peeringDbFacilityId: d.peeringDbFacilityId,
    region: d.region,
    latitude: d.latitude,
    longitude: d.longitude,
    status: d.status,
    legs,
    source: { file, line: 1, field: "", lines: doc.linesBelow([]) },
  };
}
