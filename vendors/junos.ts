/** Juniper Junos 15.2+, hierarchical (curly-brace) form for `load merge`. */
import type { Leg, MaxPrefixLimit } from "../plan/model";
import { defineHelpers } from "../render/helperKit";
import { maxPrefixLength } from "../plan/addressing";
import { checkAsnRange, type AsnRange, type PrefixEntry } from "../render/policyModel";
import type { LegInventory } from "../load/inventory";
import type { RouterPlan } from "../plan/model";
import { ownedObjects, parseJunosConfig } from "./junosTree";
import type { Ownership } from "./ownership";
import { numberedBundle, portName, type Prerequisite, type VendorProfile } from "./profile";

/** Aggregated Ethernet `ae0`…`ae4091`. */
export const JUNOS_BUNDLE = numberedBundle("ae", 0, 4091, {
  what: "a Junos aggregated Ethernet interface",
  fix: "name the LACP bundle ae<0-4091>, e.g. ae0",
  examples: { valid: ["ae0", "ae17", "ae4091"], invalid: ["ae4092", "ae01", "Bundle-Ether1", "xe-0/0/0"] },
});

/** Route-filter(-list) entry: `10.0.0.0/8 orlonger`, `0.0.0.0/0 exact`, `0.0.0.0/0 prefix-length-range /25-/32`. */
export function junosRouteFilter(e: PrefixEntry): string {
  if (e.minLength === e.length && e.maxLength === e.length) return `${e.prefix} exact`;
  if (e.minLength === e.length && e.maxLength === maxPrefixLength(e.afi)) return `${e.prefix} orlonger`;
  if (e.minLength === e.length) return `${e.prefix} upto /${e.maxLength}`;
  return `${e.prefix} prefix-length-range /${e.minLength}-/${e.maxLength}`;
}

/**
 * AS-path regular expression for a path through any ASN of the range: `.* 64512-65534 .*`. Junos
 * takes AS numbers from 1 to 4294967295 in AS-path expressions, so a range from AS 0 starts at 1
 * and AS 0 alone has no expression (`junosAsPathEntries` leaves it out; `cannotExpress` says so).
 */
export function junosAsPathRegex(range: AsnRange): string {
  checkAsnRange(range);
  const from = Math.max(range[0], 1);
  if (range[1] === 0) throw new Error("junosAsPathRegex: Junos AS-path expressions have no AS 0");
  return from === range[1] ? `.* ${from} .*` : `.* ${from}-${range[1]} .*`;
}

/** The AS-path expressions of a filter's ranges, without AS 0 (which Junos cannot write). */
export function junosAsPathEntries(ranges: readonly AsnRange[]): string[] {
  return ranges.filter((r) => r[1] > 0).map(junosAsPathRegex);
}

/**
 * A Junos AS-path regular expression for exactly this whole path: Junos anchors every AS-path
 * expression at both ends and takes an ASN as one term, so `64501` is the path of AS64501 alone
 * and `()` the empty (null) path of a route we originate.
 */
export function junosExactAsPath(asns: readonly number[]): string {
  for (const a of asns) checkAsnRange([a, a]);
  return asns.length === 0 ? "()" : asns.join(" ");
}

/** BGP `prefix-limit` statements: `maximum 1000;` and, unless warning-only, `teardown 90 idle-timeout 30;`. */
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
    default: {
      const unknown: never = m.action;
      throw new Error(`junosPrefixLimit: unknown action ${JSON.stringify(unknown)}`);
    }
  }
}

/** `chassis aggregated-devices ethernet device-count`: enough for the highest `ae` index of the legs. */
export function aeDeviceCount(legs: ReadonlyArray<Pick<Leg, "interface">>): number {
  return Math.max(...legs.map((l) => JUNOS_BUNDLE.number(l.interface))) + 1;
}

/**
 * The lo0 filter terms GTSM needs on Junos (set commands, in the router's own lo0 input filter,
 * before the term that accepts BGP): BGP from Microsoft's address with a TTL (hop limit) below
 * 255 is discarded, since Junos' BGP only sends with TTL 255 and never checks it.
 */
export function junosGtsmTerms(router: Pick<RouterPlan, "sessions">): string[] {
  return router.sessions
    .filter((s) => s.gtsm)
    .flatMap((s) => {
      const v4 = s.afi === "ipv4";
      const base = `set firewall family ${v4 ? "inet" : "inet6"} filter <lo0-${v4 ? "v4" : "v6"}-filter> term maps-gtsm-${s.metro}-${s.leg}`;
      return [
        `${base} from source-address ${s.peerAddress}/${v4 ? 32 : 128}`,
        `${base} from ${v4 ? "protocol" : "next-header"} tcp`,
        `${base} from port bgp`,
        `${base} from ${v4 ? "ttl-except" : "hop-limit-except"} 255`,
        `${base} then discard`,
      ];
    });
}

/**
 * Junos: every object the product owns carries a `replace:` tag in the rendering, so `load replace`
 * replaces exactly those and merges nothing else (an untagged statement such as the router-id is
 * merged). Owned objects of the previous rendering that the next one lacks are deleted first, with
 * `delete` commands in the same candidate.
 */
export const JUNOS_OWNERSHIP: Ownership = {
  owns: [
    "policy-options: route-filter-lists, as-path-groups, as-paths, communities and policy-statements MAPS-*",
    "protocols bgp: the groups MAPS-V4 and MAPS-V6 (the neighbors to AS 8075), whole",
    "interfaces: the ae bundle to Microsoft and its member ports, whole",
    "routing-options: the static discard routes of the prefixes it originates, and `router-id` only where the inventory gives routerId",
    "chassis aggregated-devices ethernet device-count only where the inventory hands it over (routerWide.aeDeviceCount)",
  ],
  push: "configure exclusive (a confirmed commit is refused on a private candidate); the `delete` commands of `removalsFor(previous, next)`; `load replace <file>`; `commit confirmed <minutes>`, and `commit` once the health gate passes (else it rolls back by itself)",
  removalsFor: (previous, next) => {
    const kept = new Set(ownedObjects(parseJunosConfig(next)));
    return ownedObjects(parseJunosConfig(previous))
      .filter((o) => !kept.has(o))
      .map((o) => `delete ${o}`);
  },
};

export const junos: VendorProfile = {
  id: "junos",
  name: "Juniper Junos",
  fileExtension: "junos.conf",
  commentChar: "#",
  bundle: JUNOS_BUNDLE,
  // Members `xe-0/0/0`, `et-1/0/3`, `et-0/0/0:1` (channelised).
  member: portName(/^(ge|xe|et)-[0-9]+\/[0-9]+\/[0-9]+(:[0-9]+)?$/, {
    what: "a Junos Ethernet port name",
    fix: "write it as Junos does, e.g. et-0/0/0 (100G) or xe-1/0/3 (10G)",
    examples: { valid: ["et-0/0/0", "xe-1/0/3", "et-0/0/0:1"], invalid: ["HundredGigE0/0/0/4", "et-0/0", "ae0"] },
  }),
  // ae0 over et-0/0/0, … (xe- for 10G ports).
  defaultNames: {
    bundle: (n) => `ae${n}`,
    member: (n, speedGbps) => `${speedGbps === 10 ? "xe" : "et"}-0/0/${n}`,
  },
  // BGP `prefix-limit` and `multihop { ttl }` (Junos documentation, "prefix-limit", "multihop").
  cannotExpress(session) {
    const notes: string[] = [];
    if (session.maxPrefix.action === "warning-only") {
      notes.push(
        `prefix-limit without teardown only logs at the maximum of ${session.maxPrefix.limit}, not at ${session.maxPrefix.warningPercent}%`,
      );
    }
    if (session.afi === "ipv4") {
      notes.push(
        "AS 0 (RFC 7607) has no Junos AS-path expression (AS numbers 1 to 4294967295): MAPS-AS-PATH-BOGONS leaves it out, and paths through AS 0 are left to Junos' own handling of AS 0",
      );
    }
    if (session.gtsm) {
      notes.push(
        `GTSM: Junos sends with TTL 255 (multihop ttl 255, BFD kept single-hop) but has no BGP statement that checks the received TTL; the lo0 filter must drop BGP from ${session.peerAddress} with a lower TTL (a prerequisite below)`,
      );
    }
    return notes;
  },
  prefixEntry: junosRouteFilter,
  asPathEntry: junosAsPathRegex,
  exactAsPath: junosExactAsPath,
  helpers: defineHelpers({
    junosPrefixLimit: [1, (a) => junosPrefixLimit(a.maxPrefix(0))],
    aeDeviceCount: [1, (a) => aeDeviceCount(a.legs(0))],
    junosAsPathEntries: [
      1,
      (a) => {
        const ranges = a.value(0);
        if (!Array.isArray(ranges)) throw new Error("helper junosAsPathEntries: expected ASN ranges");
        return junosAsPathEntries(
          ranges.map((r): AsnRange => {
            if (!Array.isArray(r) || r.length !== 2 || !r.every((n): n is number => typeof n === "number"))
              throw new Error(`helper junosAsPathEntries: ${JSON.stringify(r)} is not an ASN range`);
            return [r[0], r[1]];
          }),
        );
      },
    ],
    /** Whether any of these sessions has GTSM (the group's BFD then stays single-hop). */
    anyGtsm: [
      1,
      (a) => {
        const sessions = a.value(0);
        if (!Array.isArray(sessions)) throw new Error("helper anyGtsm: expected the family's sessions");
        return sessions.some((s) => (s as { gtsm?: unknown }).gtsm === true);
      },
    ],
  }),
  ownership: JUNOS_OWNERSHIP,
  routerWideSettings: [
    {
      key: "aeDeviceCount",
      renders: "chassis aggregated-devices ethernet device-count <the inventory's value>",
      check: (value, legs: readonly LegInventory[]) => {
        const needed = aeDeviceCount(legs);
        return typeof value === "number" && value >= needed
          ? undefined
          : {
              message: `aeDeviceCount ${String(value)} is below ${needed}, which the router's bundle ${legs.map((l) => l.interface).join(", ")} needs (ae0 … ae${needed - 1})`,
              fix: `write at least ${needed}, and no less than the router already has for its other ae bundles`,
            };
      },
    },
  ],
  prerequisites: (router) => {
    const needed = aeDeviceCount(router.legs);
    const declared = router.routerWide.aeDeviceCount;
    const list: Prerequisite[] = [
      {
        what: `the router's BGP runs AS ${router.asn}`,
        lines: [`set routing-options autonomous-system ${router.asn}`],
        why: "the product's BGP groups live in the router's one BGP; the product never sets the router's AS",
        setByProduct: false,
      },
      {
        what: `aggregated Ethernet devices for ae0 … ae${needed - 1}`,
        lines: [`set chassis aggregated-devices ethernet device-count ${declared ?? needed}`],
        why: `the product's bundle needs device-count of at least ${needed}; a lower count set by a merge would delete the router's bundles above it, so the product sets it only when the inventory gives the router's own value`,
        setByProduct: declared !== undefined,
        key: "aeDeviceCount",
      },
    ];
    const gtsm = junosGtsmTerms(router);
    if (gtsm.length > 0)
      list.push({
        what: "GTSM in the lo0 filter: BGP from Microsoft with a TTL below 255 is discarded",
        lines: gtsm,
        why: "Junos sends BGP with TTL 255 (`multihop { ttl 255; }`) but never checks the TTL it receives; the lo0 input filter must, before its term that accepts BGP. The lo0 filter is the router's protection, never the product's",
        setByProduct: false,
      });
    return list;
  },
};
