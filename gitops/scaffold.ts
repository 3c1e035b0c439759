/**
 * `npm run onboard`: a new metro's file from the command line. This module reads the arguments,
 * writes the metro file's text (`status: requested`, so its Peering is declared and every policy
 * applies), and maps a problem the loader or the plan finds in that text back to the flag that put
 * it there. Checking the file is the loader's, the plan's and the policies' job, exactly as for a
 * file written by hand: nothing here validates a second time what they validate.
 *
 * Pure: no file system, no Pulumi (`cli/onboard.ts` reads, validates and writes).
 */
import { Document, type YAMLMap, type YAMLSeq } from "yaml";
import type { Inventory } from "../load/inventory";
import { METRO_ID } from "../load/load";
import type { Problem } from "../load/problem";
import { closest, quoteSafely } from "../load/validate";
import { LIFECYCLE, legState } from "../plan/lifecycle";
import { isVendor, VENDOR_PROFILES, VENDORS, type Vendor } from "../vendors";

/** The state a scaffolded metro starts in: the request to Microsoft (README, Metro lifecycle). */
export const SCAFFOLD_STATUS = "requested";
/** Microsoft's peering policy asks for 100 Gbit/s ports. */
export const DEFAULT_SPEED_GBPS = 100;

export interface LegArgs {
  /** The leg's name, from its flag: `--router-a` → `a`. */
  name: string;
  hostname: string;
  /** The router's platform; the SP's `defaultVendor` when not given. */
  vendor?: Vendor;
  platform?: string;
  description?: string;
  /** The LACP bundle facing Microsoft; the platform's default name when not given. */
  bundle?: string;
  /** Member ports; the platform's default names when not given. */
  members?: string[];
  /** How many member ports (when `members` is not given). */
  ports?: number;
  speedGbps?: number;
}

export interface OnboardArgs {
  stack: string;
  metro: string;
  location: string;
  facility: number;
  region: string;
  latitude: number;
  longitude: number;
  /** Sorted by leg name. */
  legs: LegArgs[];
  /** The folder holding `stacks/` (default: the repository). */
  root?: string;
  /** Validate and print, write nothing. */
  dryRun: boolean;
}

/** A bad argument: the flag, what is wrong, how to fix it. */
export interface ArgProblem {
  flag: string;
  message: string;
  fix: string;
}

export const ONBOARD_USAGE = [
  "usage: npm run onboard -- --stack <stack> --metro <id> --location <Azure peering location> --facility <PeeringDB facility id>",
  "         --region <region> --latitude <degrees> --longitude <degrees>",
  "         --router-<leg> <hostname>[:<vendor>] ...   one per leg, e.g. --router-a par-edge-1:frr --router-b par-edge-2:iosxr",
  "         [--bundle-<leg> <interface>] [--members-<leg> <port>,<port>,...] [--ports[-<leg>] <n>] [--speed[-<leg>] 100|10]",
  "         [--platform-<leg> <text>] [--description-<leg> <text>] [--root <dir>] [--dry-run]",
].join("\n");

const METRO_FLAGS = ["stack", "metro", "location", "facility", "region", "latitude", "longitude", "root"] as const;
const LEG_FLAGS = ["router", "bundle", "members", "ports", "speed", "platform", "description"] as const;
type LegFlag = (typeof LEG_FLAGS)[number];
const LEG_NAME = /^[a-z0-9]([a-z0-9-]{0,14}[a-z0-9])?$/;

const shown = (v: string) => quoteSafely(v.length > 60 ? `${v.slice(0, 60)}…` : v);

/** A PeeringDB facility id, as a number or as its page (`https://www.peeringdb.com/fac/18`). */
function facilityId(text: string): number | undefined {
  const m = /^(?:https?:\/\/(?:www\.)?peeringdb\.com\/fac\/)?([0-9]{1,10})\/?$/.exec(text.trim());
  return m ? Number(m[1]) : undefined;
}

export function parseOnboardArgs(
  argv: readonly string[],
): { ok: true; value: OnboardArgs } | { ok: false; problems: ArgProblem[]; help?: true } {
  const problems: ArgProblem[] = [];
  const metro = new Map<string, string>();
  const legs = new Map<string, Map<LegFlag, string>>();
  const globalLeg = new Map<"ports" | "speed", string>();
  let dryRun = false;
  const known = [
    ...METRO_FLAGS.map((f) => `--${f}`),
    ...LEG_FLAGS.map((f) => `--${f}-<leg>`),
    "--ports",
    "--speed",
    "--dry-run",
  ];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === "--help" || arg === "-h") return { ok: false, problems: [], help: true };
    if (arg === "--dry-run") {
      dryRun = true;
      continue;
    }
    const m = /^--([a-z]+)(?:-([a-z0-9-]+))?(?:=(.*))?$/s.exec(arg);
    const flag = m?.[1] ?? "";
    const leg = m?.[2];
    const isMetroFlag = (METRO_FLAGS as readonly string[]).includes(flag) && leg === undefined;
    const isLegFlag = (LEG_FLAGS as readonly string[]).includes(flag) && leg !== undefined;
    const isGlobalLeg = (flag === "ports" || flag === "speed") && leg === undefined;
    if (!m || !(isMetroFlag || isLegFlag || isGlobalLeg)) {
      const near = closest(arg.replace(/=.*$/s, "").replace(/^(--[a-z]+)-[a-z0-9-]+$/, "$1-<leg>"), known);
      problems.push({
        flag: arg.replace(/=.*$/s, ""),
        message: "is not an option of npm run onboard",
        fix: near ? `did you mean ${near}?` : `use ${known.join(", ")}`,
      });
      // Its value, if it has one, is not a flag of its own.
      if (!arg.includes("=") && argv[i + 1] !== undefined && !argv[i + 1].startsWith("--")) i++;
      continue;
    }
    const name = leg === undefined ? `--${flag}` : `--${flag}-${leg}`;
    const value = m[3] ?? argv[i + 1];
    if (m[3] === undefined) i++;
    if (value === undefined || (m[3] === undefined && value.startsWith("--"))) {
      problems.push({ flag: name, message: "needs a value", fix: `give it one, e.g. ${exampleOf(flag, leg)}` });
      if (value?.startsWith("--")) i--;
      continue;
    }
    if (isLegFlag) {
      if (!LEG_NAME.test(leg)) {
        problems.push({
          flag: name,
          message: `names leg "${leg}", which is not a leg name`,
          fix: "name legs with lower-case letters, digits and dashes, e.g. --router-a and --router-b",
        });
        continue;
      }
      const own = legs.get(leg) ?? new Map<LegFlag, string>();
      if (own.has(flag as LegFlag)) problems.push({ flag: name, message: "is given twice", fix: "give it once" });
      own.set(flag as LegFlag, value);
      legs.set(leg, own);
    } else if (isGlobalLeg) {
      if (globalLeg.has(flag)) problems.push({ flag: name, message: "is given twice", fix: "give it once" });
      globalLeg.set(flag, value);
    } else {
      if (metro.has(flag)) problems.push({ flag: name, message: "is given twice", fix: "give it once" });
      metro.set(flag, value);
    }
  }

  const required = (flag: (typeof METRO_FLAGS)[number], fix: string): string => {
    const v = metro.get(flag);
    if (v === undefined) problems.push({ flag: `--${flag}`, message: "is missing", fix });
    return v ?? "";
  };
  const stack = required("stack", "name the stack, a folder under stacks/, e.g. --stack lab");
  const metroId = required("metro", "name the metro as its file will be named, e.g. --metro paris");
  const location = required(
    "location",
    "give the Azure peering location as `az peering location list --kind Direct` spells it, e.g. --location Paris",
  );
  const facilityText = required(
    "facility",
    "give the PeeringDB facility id (peeringdb.com/fac/<id>), e.g. --facility 75",
  );
  const region = required(
    "region",
    "give one of the regions the SP serves (regions in sp.yaml), e.g. --region europe-west",
  );
  const latitudeText = required("latitude", "give the metro's latitude in decimal degrees, e.g. --latitude 48.86");
  const longitudeText = required("longitude", "give the metro's longitude in decimal degrees, e.g. --longitude 2.35");

  if (stack !== "" && !/^[A-Za-z0-9_.-]+$/.test(stack))
    problems.push({
      flag: "--stack",
      message: `${shown(stack)} is not a stack name`,
      fix: "name a folder under stacks/, e.g. --stack lab",
    });
  if (metroId !== "" && !METRO_ID.test(metroId))
    problems.push({
      flag: "--metro",
      message: `${shown(metroId)} is not a metro id (it names the file stacks/<stack>/metros/<metro>.yaml)`,
      fix: "use lower-case letters, digits and dashes, e.g. --metro paris or --metro sao-paulo",
    });
  const facility = facilityText === "" ? 0 : facilityId(facilityText);
  if (facility === undefined)
    problems.push({
      flag: "--facility",
      message: `${shown(facilityText)} is not a PeeringDB facility id`,
      fix: "give the number of the facility's PeeringDB page (peeringdb.com/fac/<id>), or that page's address, e.g. --facility 75",
    });
  const coordinate = (flag: "latitude" | "longitude", text: string): number => {
    const n = Number(text);
    if (text !== "" && (!/^-?[0-9]+(\.[0-9]+)?$/.test(text.trim()) || !Number.isFinite(n)))
      problems.push({
        flag: `--${flag}`,
        message: `${shown(text)} is not a number of degrees`,
        fix: `write decimal degrees, e.g. --${flag} ${flag === "latitude" ? "48.86" : "2.35"} (south and west negative)`,
      });
    return n;
  };
  const latitude = coordinate("latitude", latitudeText);
  const longitude = coordinate("longitude", longitudeText);

  const legArgs: LegArgs[] = [];
  if (legs.size === 0)
    problems.push({
      flag: "--router-<leg>",
      message: "no leg is given",
      fix: "give one flag per leg, each on its own router: --router-a <hostname>:<vendor> --router-b <hostname>:<vendor>",
    });
  for (const [name, flags] of [...legs].sort(([a], [b]) => a.localeCompare(b))) {
    const router = flags.get("router");
    if (router === undefined) {
      for (const f of flags.keys())
        problems.push({
          flag: `--${f}-${name}`,
          message: `is given, but leg ${name} has no --router-${name}`,
          fix: `add --router-${name} <hostname>:<vendor>, or correct the leg name`,
        });
      continue;
    }
    const [hostname, vendorText, ...rest] = router.split(":");
    let vendor: Vendor | undefined;
    if (rest.length > 0 || hostname === "")
      problems.push({
        flag: `--router-${name}`,
        message: `${shown(router)} is not <hostname>[:<vendor>]`,
        fix: `e.g. --router-${name} par-edge-1:frr`,
      });
    else if (vendorText !== undefined) {
      if (isVendor(vendorText)) vendor = vendorText;
      else
        problems.push({
          flag: `--router-${name}`,
          message: `${shown(vendorText)} is not a platform this project renders`,
          fix: `use one of ${VENDORS.join(", ")} (vendors/), e.g. --router-${name} ${hostname}:frr`,
        });
    }
    const number = (flag: "ports" | "speed"): number | undefined => {
      const text = flags.get(flag) ?? globalLeg.get(flag);
      if (text === undefined) return undefined;
      const n = Number(text);
      const ok = flag === "ports" ? /^[0-9]+$/.test(text) && n >= 1 && n <= 16 : n === 10 || n === 100;
      if (!ok)
        problems.push({
          flag: flags.has(flag) ? `--${flag}-${name}` : `--${flag}`,
          message: `${shown(text)} is not ${flag === "ports" ? "a number of member ports from 1 to 16" : "a port speed this project takes (100, or 10 as an exception)"}`,
          fix:
            flag === "ports"
              ? "e.g. --ports 2"
              : "use --speed 100 (Microsoft's peering policy), or 10 where Microsoft agreed to it",
        });
      return ok ? n : undefined;
    };
    const membersText = flags.get("members");
    const members = membersText?.split(",").map((x) => x.trim());
    if (members && members.some((x) => x === ""))
      problems.push({
        flag: `--members-${name}`,
        message: `${shown(membersText as string)} has an empty port name`,
        fix: `list the ports separated by commas, e.g. --members-${name} HundredGigE0/0/0/0,HundredGigE0/0/0/1`,
      });
    const ports = number("ports");
    if (members && flags.has("ports"))
      problems.push({
        flag: `--ports-${name}`,
        message: `is given with --members-${name}`,
        fix: `give one of them: --members-${name} names the ports, their count follows`,
      });
    legArgs.push({
      name,
      hostname,
      ...(vendor ? { vendor } : {}),
      ...(flags.has("platform") ? { platform: flags.get("platform") } : {}),
      ...(flags.has("description") ? { description: flags.get("description") } : {}),
      ...(flags.has("bundle") ? { bundle: flags.get("bundle") } : {}),
      ...(members ? { members } : {}),
      ...(ports !== undefined ? { ports } : {}),
      ...(number("speed") !== undefined ? { speedGbps: number("speed") } : {}),
    });
  }
  if (problems.length > 0) return { ok: false, problems };
  return {
    ok: true,
    value: {
      stack,
      metro: metroId,
      location,
      facility: facility as number,
      region,
      latitude,
      longitude,
      legs: legArgs,
      ...(metro.has("root") ? { root: metro.get("root") } : {}),
      dryRun,
    },
  };
}

function exampleOf(flag: string, leg: string | undefined): string {
  const examples: Record<string, string> = {
    stack: "--stack lab",
    metro: "--metro paris",
    location: "--location Paris",
    facility: "--facility 75",
    region: "--region europe-west",
    latitude: "--latitude 48.86",
    longitude: "--longitude 2.35",
    root: "--root .",
    router: `--router-${leg ?? "a"} par-edge-1:frr`,
    bundle: `--bundle-${leg ?? "a"} bond-msft`,
    members: `--members-${leg ?? "a"} ens1f0,ens1f1`,
    ports: `--ports${leg ? `-${leg}` : ""} 2`,
    speed: `--speed${leg ? `-${leg}` : ""} 100`,
    platform: `--platform-${leg ?? "a"} "Debian 12 / FRR 8.4"`,
    description: `--description-${leg ?? "a"} "MAPS Paris leg a"`,
  };
  return examples[flag] ?? flag;
}

/** A leg as scaffolded: its names, and where a default came from (the report says so). */
export interface ScaffoldedLeg {
  name: string;
  hostname: string;
  vendor: Vendor;
  bundle: string;
  members: string[];
  speedGbps: number;
  /** The names that are the platform's defaults, in words: `bundle Bundle-Ether100`, `member ports …`. */
  defaults: string[];
}

export interface Scaffold {
  /** `stacks/<stack>/metros/<metro>.yaml` */
  file: string;
  text: string;
  legs: ScaffoldedLeg[];
}

/**
 * How many member ports a leg gets when none are named: as many as give the capacity the region's
 * metros in service already have (the equal-capacity policy asks for it), else one.
 */
export function regionPorts(inv: Inventory, region: string, speedGbps: number): { ports: number; why: string } {
  const capacities = new Set(
    inv.metros
      .filter((m) => m.region === region && LIFECYCLE[m.status].inService)
      .flatMap((m) =>
        m.legs
          .filter((l) => LIFECYCLE[legState(m.status, l.status).state].inService)
          .map((l) => l.members.reduce((sum, p) => sum + p.speedGbps, 0)),
      ),
  );
  const [capacity] = [...capacities];
  if (capacities.size === 0) return { ports: 1, why: `no leg in service in ${region} yet` };
  if (capacities.size > 1) return { ports: 1, why: `${region}'s legs differ in capacity` };
  const ports = capacity / speedGbps;
  if (!Number.isInteger(ports) || ports > 16)
    return { ports: 1, why: `the ${capacity}G of ${region}'s legs is no LAG of up to 16 ${speedGbps}G ports` };
  return { ports, why: `the ${capacity}G of every leg in service in ${region} (equal capacity)` };
}

/** The metro file's text: the flags' values, the platform's default names where none are given. */
export function scaffoldMetro(args: OnboardArgs, inv: Inventory, file: string): Scaffold {
  const perRouter = new Map<string, { bundles: number; ports: number }>();
  const legs: ScaffoldedLeg[] = args.legs.map((l) => {
    const vendor = l.vendor ?? inv.sp.defaultVendor;
    const names = VENDOR_PROFILES[vendor].defaultNames;
    const used = perRouter.get(l.hostname) ?? { bundles: 0, ports: 0 };
    const speedGbps = l.speedGbps ?? DEFAULT_SPEED_GBPS;
    const defaults: string[] = [];
    const bundle = l.bundle ?? names.bundle(used.bundles);
    if (l.bundle === undefined) defaults.push(`bundle ${bundle}`);
    let members = l.members;
    if (members === undefined) {
      const fill = l.ports === undefined ? regionPorts(inv, args.region, speedGbps) : undefined;
      const count = l.ports ?? fill?.ports ?? 1;
      members = Array.from({ length: count }, (_, i) => names.member(used.ports + i, speedGbps));
      defaults.push(`member ports ${members.join(", ")}${fill ? ` (${count}x${speedGbps}G: ${fill.why})` : ""}`);
    }
    perRouter.set(l.hostname, { bundles: used.bundles + 1, ports: used.ports + members.length });
    return { name: l.name, hostname: l.hostname, vendor, bundle, members, speedGbps, defaults };
  });

  const doc = new Document({
    peeringLocation: args.location,
    peeringDbFacilityId: args.facility,
    region: args.region,
    latitude: args.latitude,
    longitude: args.longitude,
    status: SCAFFOLD_STATUS,
    legs: legs.map((l, i) => {
      const given = args.legs[i];
      return {
        name: l.name,
        router: {
          hostname: l.hostname,
          vendor: l.vendor,
          ...(given.platform !== undefined ? { platform: given.platform } : {}),
        },
        interface: l.bundle,
        members: l.members.map((m) => ({ interface: m, speedGbps: l.speedGbps })),
        ...(given.description !== undefined ? { description: given.description } : {}),
      };
    }),
  });
  doc.commentBefore = [
    " yaml-language-server: $schema=../../../schema/metro.schema.json",
    ` Scaffolded by \`npm run onboard\`. Azure peering location and PeeringDB facility as given: check them`,
    " against `az peering location list --kind Direct` (Microsoft's list) and peeringdb.com/fac/<id>.",
  ].join("\n");
  const statusPair = (doc.contents as YAMLMap).items.find(
    (p) => String((p.key as { value?: unknown }).value) === "status",
  );
  if (statusPair)
    (statusPair.key as { commentBefore?: string }).commentBefore = [
      ` ${SCAFFOLD_STATUS}: \`pulumi up\` declares the Peering, which is the request to Microsoft. Once Microsoft`,
      " approves it and sends the LOA, set status: provisioning (README, Metro lifecycle).",
    ].join("\n");
  const legSeq = doc.get("legs") as YAMLSeq<YAMLMap>;
  legSeq.items.forEach((legMap, i) => {
    const members = legMap.get("members") as YAMLSeq<YAMLMap>;
    for (const m of members.items) m.flow = true;
    if (legs[i].defaults.length > 0) {
      const pair = legMap.items.find((p) => String((p.key as { value?: unknown }).value) === "interface");
      if (pair)
        (pair.key as { commentBefore?: string }).commentBefore =
          ` ${VENDOR_PROFILES[legs[i].vendor].name}'s default names: use the ports the LOA's cross-connects land on.`;
    }
  });
  // Double-quoted, never block, scalars: a value with a newline stays one visibly quoted line.
  return { file, text: doc.toString({ lineWidth: 0, blockQuote: false }), legs };
}

/**
 * The flag that put a field of the scaffolded file there, so a problem the loader or the plan finds
 * in the file is reported as the argument to correct: `legs[1].interface` → `--bundle-b`.
 */
export function flagOf(field: string, legs: readonly Pick<LegArgs, "name">[]): string | undefined {
  const top: Record<string, string> = {
    "": "--metro",
    peeringLocation: "--location",
    peeringDbFacilityId: "--facility",
    region: "--region",
    latitude: "--latitude",
    longitude: "--longitude",
    legs: "--router-<leg>",
  };
  if (Object.hasOwn(top, field)) return top[field];
  const m = /^legs\[(\d+)\](?:\.(.*))?$/.exec(field);
  const leg = m ? legs[Number(m[1])]?.name : undefined;
  if (!m || leg === undefined) return undefined;
  const rest = m[2] ?? "";
  if (
    rest === "" ||
    rest === "name" ||
    rest.startsWith("router.hostname") ||
    rest.startsWith("router.vendor") ||
    rest === "router"
  )
    return `--router-${leg}`;
  if (rest === "router.platform") return `--platform-${leg}`;
  if (rest === "interface") return `--bundle-${leg}`;
  if (/^members(\[\d+\])?\.speedGbps$/.test(rest)) return `--speed-${leg}`;
  if (/^members(\[\d+\](\.interface)?)?$/.test(rest)) return `--members-${leg}`;
  if (rest === "description") return `--description-${leg}`;
  return undefined;
}

/** A problem the loader or the plan found, said of the flag where it came from the scaffold. */
export function problemOfFlag(
  p: Problem,
  scaffoldFile: string,
  legs: readonly Pick<LegArgs, "name">[],
): string | undefined {
  if (p.file !== scaffoldFile) return undefined;
  const flag = flagOf(p.field, legs);
  return flag === undefined ? undefined : `${flag} (${p.field || "file name"}): ${p.message}. Fix: ${p.fix}`;
}
