/**
 * What the project knows about one router platform, in one module per platform (`frr.ts`, `bird.ts`,
 * …): its `vendor:` key, its config file's extension and comment character, the names it gives a
 * LACP bundle and its member ports, what it cannot say exactly as the model says it, and the helpers
 * its templates format the vendor-neutral policy model with. `index.ts` keys them by `Vendor`; the
 * vendor list, the interface checks and the config file names all derive from that one table.
 *
 * Pure: no I/O, no Pulumi.
 */
import type { HelperDelegate } from "handlebars";
import type { LegInventory, RouterWideSettings } from "../load/inventory";
import type { AddressFamily, BgpSession, RouterPlan } from "../plan/model";
import type { AsnRange, PrefixEntry } from "../render/policyModel";
import type { Vendor } from "./index";
import type { Ownership } from "./ownership";

/** A rule for interface names on a platform, and the words of the problem when a name breaks it. */
export interface InterfaceNameRule {
  accepts(name: string): boolean;
  /** Ends the problem `"<name>" is not …`, e.g. `an IOS-XR bundle interface`. */
  what: string;
  fix: string;
  /** Names the rule accepts and refuses: documentation, and the cases its test runs. */
  examples: { valid: readonly string[]; invalid: readonly string[] };
}

export interface DefaultInterfaceNames {
  bundle(n: number): string;
  member(n: number, speedGbps: number): string;
}

/** A bundle named by a number in a range (`Bundle-Ether100`, `ae0`, `Port-Channel1`). */
export interface NumberedBundleRule extends InterfaceNameRule {
  /** The bundle's number: `Bundle-Ether100` → 100. Throws for a name the rule does not accept. */
  number(name: string): number;
}

export interface VendorProfile {
  id: Vendor;
  /** As engineers call it: `Cisco IOS-XR`, `BIRD 2`. */
  name: string;
  /** The config file is `<hostname>.<fileExtension>`. */
  fileExtension: string;
  /** Starts a comment line in the config (the header is written with it). */
  commentChar: "!" | "#";
  /** The LACP bundle facing Microsoft, and its member ports. */
  bundle: InterfaceNameRule;
  member: InterfaceNameRule;
  /**
   * The names `npm run onboard` writes when the engineer names no interfaces: the platform's usual
   * name for the n-th LACP bundle facing Microsoft on a router (n from 0), and for its n-th member
   * port at a speed. Placeholders to check against the router and the LOA; the rules above accept
   * them (a test checks).
   */
  defaultNames: DefaultInterfaceNames;
  /**
   * Where the platform cannot say exactly what the model asks of this session: one sentence each,
   * for the plan report and the README's table. The config says so in a comment as well.
   */
  cannotExpress(session: BgpSession): string[];
  /**
   * How the dialect writes one entry of a prefix filter of the policy model (`render/policyModel.ts`):
   * `10.0.0.0/8 le 32`, `10.0.0.0/8 orlonger`, `10.0.0.0/8+`. The model applies it to every entry
   * as it is built for a router of the platform (`FilterEntry.match`); templates read `{{match}}`.
   */
  prefixEntry(entry: PrefixEntry): string;
  /**
   * The keyword of a family's prefix lists, for a dialect that repeats it on every entry's line
   * (`ip` / `ipv6 prefix-list`): the policy model's filters carry it (`keyword`), so a template
   * reads a field per line instead of calling a helper. None for a dialect that names a list once.
   */
  prefixListKeyword?: (afi: AddressFamily) => string;
  /** How the dialect matches a path through any ASN of a range in an AS-path filter: `{{asPathEntry this}}`. */
  asPathEntry(range: AsnRange): string;
  /**
   * How the dialect matches exactly this whole AS path (`[]`: the empty path of a route we
   * originate): `^$`, `^64501$`, Junos `()`, BIRD `[= 64501 =]`. Templates: `{{exactAsPath asns}}`.
   */
  exactAsPath(asns: readonly number[]): string;
  /** Helpers only this platform's templates use (`defineHelpers` in `render/helperKit.ts`). */
  helpers: Readonly<Record<string, HelperDelegate>>;
  /**
   * What the product owns on such a router and how a push replaces exactly that, removing owned
   * objects that disappeared (`removalsFor(previous, next)`; README, "Ownership and merge").
   */
  ownership: Ownership;
  /**
   * Router-wide settings of this platform that the inventory may hand to the product
   * (`router.routerWide`); the plan refuses the others' keys on this platform's routers.
   */
  routerWideSettings: readonly RouterWideSetting[];
  /**
   * What the router must have outside the product's config for the config to do its job: set by
   * the product where the inventory's `routerWide` says so (rendered), otherwise printed by the
   * plan for the engineer to confirm on that router. The product never changes them silently.
   */
  prerequisites(router: RouterPlan): Prerequisite[];
}

export type RouterWideKey = keyof RouterWideSettings;

export interface RouterWideSetting {
  key: RouterWideKey;
  /** What the product then renders, for the README and the schema's description. */
  renders: string;
  /** Why a declared value cannot be used on these legs of the router, or undefined. */
  check(value: unknown, legs: readonly LegInventory[]): { message: string; fix: string } | undefined;
}

export interface Prerequisite {
  /** One line for the plan: what it is. */
  what: string;
  /** The router's config that satisfies it, in the platform's own syntax. */
  lines: string[];
  why: string;
  /** Rendered by the product because the inventory says so (`routerWide.<key>`). */
  setByProduct: boolean;
  /** The `routerWide` key that would let the product set it, where one exists. */
  key?: RouterWideKey;
}

/** `<prefix><first..last>`, e.g. `numberedBundle("Bundle-Ether", 1, 65535, …)`. */
export function numberedBundle(
  prefix: string,
  first: number,
  last: number,
  words: Pick<InterfaceNameRule, "what" | "fix" | "examples">,
): NumberedBundleRule {
  const pattern = new RegExp(`^${prefix}(0|[1-9][0-9]*)$`);
  const numberOf = (name: string): number | undefined => {
    const m = pattern.exec(name);
    const n = m ? Number(m[1]) : NaN;
    return n >= first && n <= last ? n : undefined;
  };
  return {
    ...words,
    accepts: (name) => numberOf(name) !== undefined,
    number(name) {
      const n = numberOf(name);
      if (n === undefined) throw new Error(`"${name}" is not ${words.what} (${prefix}<${first}-${last}>)`);
      return n;
    },
  };
}

/** Linux interface names (FRR and BIRD run on Linux): at most 15 characters (IFNAMSIZ - 1), no `/`. */
export function linuxInterfaceName(daemon: string): InterfaceNameRule {
  const max = 15;
  return {
    accepts: (name) => name.length <= max && !name.includes("/"),
    what: `a valid Linux interface name (${daemon} runs on Linux: at most ${max} characters, no "/")`,
    fix: "use the kernel's interface name, e.g. bond-msft or ens1f0",
    examples: {
      valid: ["bond-msft", "bond0", "ens1f0", "enp65s0f0np0"],
      invalid: ["enp129s0f0np0abc", "ens1/0", "Bundle-Ether100.1"],
    },
  };
}

/** Linux: the bond the OS builds (`bond-msft`, `bond-msft1`, …) over NIC ports `ens1f0`, `ens1f1`, …. */
export const LINUX_DEFAULT_NAMES: DefaultInterfaceNames = {
  bundle: (n) => (n === 0 ? "bond-msft" : `bond-msft${n}`),
  member: (n) => `ens1f${n}`,
};

/** A member-port rule from a regular expression of the platform's port names. */
export function portName(
  pattern: RegExp,
  words: Pick<InterfaceNameRule, "what" | "fix" | "examples">,
): InterfaceNameRule {
  return { ...words, accepts: (name) => pattern.test(name) };
}
