/** Cisco IOS-XR (`.cfg`, as `load` / `commit` take it). */
import { defineHelpers } from "../render/helperKit";
import { checkAsnRange, type AsnRange } from "../render/policyModel";
import { ciscoPrefixEntry, exactAsPathRegex, maxPrefixArgs } from "./ciscoStyle";
import type { Leg } from "../plan/model";
import { lineRemovals, type Ownership } from "./ownership";
import { bgpInstance } from "./prerequisites";
import { numberedBundle, portName, type VendorProfile } from "./profile";

export const IOSXR_BUNDLE = numberedBundle("Bundle-Ether", 1, 65535, {
  what: "an IOS-XR bundle interface",
  fix: "name the LACP bundle Bundle-Ether<1-65535>, e.g. Bundle-Ether100",
  examples: {
    valid: ["Bundle-Ether1", "Bundle-Ether100", "Bundle-Ether65535"],
    invalid: ["Bundle-Ether0", "Bundle-Ether65536", "Port-channel1", "bond0"],
  },
});

/**
 * An as-path-set element for a path through any ASN of the range: `passes-through '[64512..65534]'`,
 * `passes-through '12076'`. IOS-XR's AS numbers start at 1, so AS 0 (RFC 7607) is matched by a
 * regular expression instead (`ios-regex '_0_'`): `passes-through '0'` would fail the commit.
 */
export function iosxrAsnRange(range: AsnRange): string {
  checkAsnRange(range);
  const [from, to] = range;
  if (from === 0) {
    const zero = "ios-regex '_0_'";
    return to === 0 ? zero : `${zero},\n  ${iosxrAsnRange([1, to])}`;
  }
  return from === to ? `passes-through '${from}'` : `passes-through '[${from}..${to}]'`;
}

/** An as-path-set element for exactly this whole AS path: `ios-regex '^$'`, `ios-regex '^64501$'`. */
export function iosxrExactAsPath(asns: readonly number[]): string {
  return `ios-regex '${exactAsPathRegex(asns)}'`;
}

/** IPv4 dotted netmask from a prefix length: `31` → `255.255.255.254` (`ipv4 address A M`). */
export function netmask(prefixLength: number): string {
  if (!Number.isInteger(prefixLength) || prefixLength < 0 || prefixLength > 32) {
    throw new Error(`netmask: IPv4 prefix length must be 0..32, got ${prefixLength}`);
  }
  const bits = prefixLength === 0 ? 0 : (0xffffffff << (32 - prefixLength)) >>> 0;
  return [24, 16, 8, 0].map((shift) => (bits >>> shift) & 0xff).join(".");
}

/**
 * The line-card locations of a router's bundle members, for `bfd multipath include location`:
 * `HundredGigE0/1/0/0` (rack/slot/module/port) → `0/1/CPU0`. BGP BFD to a neighbor over a
 * Bundle-Ether runs as BFD over the logical bundle, hosted on the members' line cards.
 */
export function bfdMultipathLocations(legs: ReadonlyArray<Pick<Leg, "members">>): string[] {
  const locations = new Set<string>();
  for (const leg of legs) {
    for (const m of leg.members) {
      const match = /^[A-Za-z]+(\d+)\/(\d+)\//.exec(m.interface);
      if (!match)
        throw new Error(`bfdMultipathLocations: "${m.interface}" is not an IOS-XR rack/slot/module/port name`);
      locations.add(`${match[1]}/${match[2]}/CPU0`);
    }
  }
  return [...locations].sort();
}

/**
 * IOS-XR: the product's objects, loaded into a candidate and committed at once (`commit
 * confirmed`). A route-policy or set entered again replaces its old definition whole, so only
 * vanished ones are removed; inside `router bgp`, `router static` and the interfaces, each
 * vanished statement is.
 */
export const IOSXR_OWNERSHIP: Ownership = {
  owns: [
    "prefix-sets, as-path-sets and community-sets MAPS-*, route-policies MAPS-*",
    "the Bundle-Ether to Microsoft (addresses, description) and its member ports (bundle id, LACP period)",
    "in `router bgp <asn>`: the neighbors to AS 8075 (whole), the `network` statements of the prefixes it originates, and `bgp router-id` only where the inventory gives routerId",
    "in `router static`: the discard anchors (`<prefix> Null0 254`) of the prefixes it originates",
    "`bfd multipath include location` of the members' line cards only where the inventory hands it over (routerWide.bfdMultipath)",
  ],
  push: "configure exclusive; `removalsFor(previous, next)`, then `load` the rendering; `commit confirmed <seconds>`, and `commit` once the health gate passes (else it rolls back by itself)",
  removalsFor: (previous, next) =>
    lineRemovals(
      previous,
      next,
      {
        ignore: /^\s*(!.*|end)$/,
        opaque: { start: /^(prefix-set|as-path-set|community-set|route-policy) /, end: /^(end-set|end-policy)$/ },
      },
      {
        indent: " ",
        keep: (line, path) =>
          (path.length === 0 && line === "bfd") || (path.length === 1 && /^bgp router-id /.test(line)),
        removeWhole: (line, path) => {
          if (
            path.length === 0 &&
            /^(prefix-set|as-path-set|community-set|route-policy|interface Bundle-Ether)/.test(line)
          )
            return `no ${line}`;
          if (path.length === 1 && /^router bgp /.test(path[0]) && /^neighbor \S+$/.test(line)) return `no ${line}`;
          return undefined;
        },
        close: () => "exit",
        reenterReplaces: (line, path) =>
          path.length === 0 && /^(prefix-set|as-path-set|community-set|route-policy) /.test(line),
      },
    ),
};

export const iosxr: VendorProfile = {
  id: "iosxr",
  name: "Cisco IOS-XR",
  fileExtension: "cfg",
  commentChar: "!",
  bundle: IOSXR_BUNDLE,
  member: portName(/^(TenGigE|TwentyFiveGigE|FortyGigE|HundredGigE|FourHundredGigE)[0-9]+(\/[0-9]+){2,3}$/, {
    what: "an IOS-XR Ethernet port name",
    fix: "write it as IOS-XR does, e.g. HundredGigE0/0/0/0 or TenGigE0/1/0/3",
    examples: {
      valid: ["HundredGigE0/0/0/0", "TenGigE0/1/0/3", "TwentyFiveGigE0/0/0/24"],
      invalid: ["et-0/0/0", "Ethernet1", "HundredGigE0/0"],
    },
  }),
  // Bundle-Ether100 over HundredGigE0/0/0/0, … (TenGigE for 10G ports).
  defaultNames: {
    bundle: (n) => `Bundle-Ether${100 + n}`,
    member: (n, speedGbps) => `${speedGbps === 10 ? "TenGigE" : "HundredGigE"}0/0/0/${n}`,
  },
  cannotExpress: () => [],
  prefixEntry: ciscoPrefixEntry,
  asPathEntry: iosxrAsnRange,
  exactAsPath: iosxrExactAsPath,
  helpers: defineHelpers({
    netmask: [1, (a) => netmask(a.num(0))],
    /** `bundle id N mode active` on every member. */
    bundleId: [1, (a) => IOSXR_BUNDLE.number(a.str(0))],
    maxPrefixArgs: [1, (a) => maxPrefixArgs(a.maxPrefix(0))],
    /** `bfd multipath include location 0/1/CPU0` for every member's line card. */
    bfdMultipathLocations: [1, (a) => bfdMultipathLocations(a.legs(0) as unknown as Leg[])],
  }),
  ownership: IOSXR_OWNERSHIP,
  routerWideSettings: [
    {
      key: "bfdMultipath",
      renders:
        "bfd / multipath include location <slot>/CPU0, for the line card of every member of the product's bundles",
      check: (value) =>
        value === true
          ? undefined
          : { message: "bfdMultipath is only ever true", fix: "write `bfdMultipath: true`, or leave it out" },
    },
  ],
  prerequisites: (router) => [
    bgpInstance(router, `router bgp ${router.asn}`),
    {
      what: "BFD over the bundle: multipath locations of the members' line cards",
      lines: ["bfd", ...bfdMultipathLocations(router.legs).map((l) => ` multipath include location ${l}`)],
      why: "BGP BFD to a neighbor over a Bundle-Ether runs as BFD over the logical bundle; without a multipath location for the members' line cards no BFD session is created, and failover waits for the 180 s hold timer",
      setByProduct: router.routerWide.bfdMultipath === true,
      key: "bfdMultipath",
    },
  ],
};
