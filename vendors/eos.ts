/** Arista EOS (`.eos.cfg`, as `configure replace` or `copy … running-config` take it). */
import type { MaxPrefixLimit } from "../plan/model";
import { defineHelpers } from "../render/helperKit";
import { checkAsnRange, type AsnRange } from "../render/policyModel";
import { ciscoPrefixEntry, exactAsPathRegex, ipKeyword } from "./ciscoStyle";
import {
  coveredByRemovedNeighbor,
  indentTree,
  remoteAsOf,
  treeRemovals,
  type ConfigNode,
  type Ownership,
} from "./ownership";
import { bgpInstance } from "./prerequisites";
import { numberedBundle, portName, type VendorProfile } from "./profile";

/** `Port-Channel1`…`Port-Channel2000`. */
export const EOS_BUNDLE = numberedBundle("Port-Channel", 1, 2000, {
  what: "an EOS port-channel interface",
  fix: "name the LACP bundle Port-Channel<1-2000>, e.g. Port-Channel1",
  examples: {
    valid: ["Port-Channel1", "Port-Channel10", "Port-Channel2000"],
    invalid: ["Port-channel1", "Port-Channel2001", "Port-Channel0", "ae0"],
  },
});

/** `neighbor … maximum-routes` arguments: `1000 warning-limit 90 percent [warning-only]`. */
export function eosMaximumRoutes(m: MaxPrefixLimit): string {
  const base = `${m.limit} warning-limit ${m.warningPercent} percent`;
  return m.action === "warning-only" ? `${base} warning-only` : base;
}

/**
 * An AS-path list entry for a path through any ASN of the range, in `ip as-path regex-mode asn`
 * (where an ASN is one token and a range is written `[64512-65534]`): `_12076_`, `_[64512-65534]_`.
 */
export function eosAsnRange(range: AsnRange): string {
  checkAsnRange(range);
  return range[0] === range[1] ? `_${range[0]}_` : `_[${range[0]}-${range[1]}]_`;
}

/** `30` minutes → `1800` seconds (`idle-restart-timer`). */
export function minutesToSeconds(minutes: number): number {
  if (!Number.isInteger(minutes) || minutes < 0) throw new Error(`minutesToSeconds: invalid minutes ${minutes}`);
  return minutes * 60;
}

/**
 * EOS: the product's objects, applied in a configure session, which commits all at once: a prefix
 * list, AS-path list or route-map clause that changed is removed whole and entered again, and the
 * router never sees it half way.
 */
export const EOS_OWNERSHIP: Ownership = {
  owns: [
    "prefix-lists MAPS-* (ip and ipv6), AS-path access-lists MAPS-*, route-maps MAPS-*",
    "the port-channel to Microsoft (addresses, BFD timers, description) and its member ports (channel-group, LACP rate)",
    "in `router bgp <asn>`: the neighbors to AS 8075 and every statement about them, the `network` statements of the prefixes it originates, and `router-id` only where the inventory gives routerId",
    "the discard anchors (`ip route <prefix> Null0 254`) of the prefixes it originates",
    "`ip as-path regex-mode asn` only where the inventory hands it over (routerWide.asPathRegexMode)",
  ],
  push: "configure session pac-<host>-<time>; `removalsFor(previous, next)`, then the rendering; `commit timer <hh:mm:ss>`, and `configure session <name> commit` once the health gate passes (else it rolls back by itself)",
  removalsFor: (previous, next) => {
    const prev = indentTree(previous, EOS_TREE);
    const nxt = indentTree(next, EOS_TREE);
    // Lists and route-map clauses are removed whole when they vanished or changed at all; the
    // rendering enters the changed ones again, and the session commits both at once.
    const objects = (nodes: ConfigNode[]) => {
      const byKey = new Map<string, { removal: string; body: string }>();
      for (const n of nodes) {
        const list = /^ip as-path access-list (\S+) /.exec(n.line)?.[1];
        if (list !== undefined) {
          const key = `as-path ${list}`;
          const prior = byKey.get(key)?.body ?? "";
          byKey.set(key, { removal: `no ip as-path access-list ${list}`, body: `${prior}${n.line}\n` });
        } else if (/^(ipv?6? prefix-list|route-map) /.test(n.line))
          byKey.set(n.line, { removal: `no ${n.line}`, body: JSON.stringify(n) });
      }
      return byKey;
    };
    const before = objects(prev);
    const after = objects(nxt);
    const redone = [...before].filter(([k, v]) => after.get(k)?.body !== v.body).map(([, v]) => v.removal);
    const contexts = (nodes: ConfigNode[]) =>
      nodes.filter((n) => !/^(ip as-path access-list|ipv?6? prefix-list|route-map) /.test(n.line));
    return [
      ...redone,
      ...treeRemovals(contexts(prev), contexts(nxt), {
        indent: "   ",
        keep: (line, path) =>
          (path.length === 0 && /^ip as-path regex-mode /.test(line)) ||
          (path.length === 1 && /^router-id /.test(line)),
        removeWhole: (line, path) => {
          const peer = path.length === 1 ? remoteAsOf(line) : undefined;
          return peer === undefined ? undefined : `no neighbor ${peer}`;
        },
        covered: coveredByRemovedNeighbor,
        close: () => "exit",
      }),
    ];
  },
};

const EOS_TREE = { ignore: /^\s*(!.*|end)$/ };

/** The mode the product's AS-path lists are written in (`ip as-path regex-mode`). */
export const EOS_AS_PATH_REGEX_MODE = "asn";

export const eos: VendorProfile = {
  id: "eos",
  name: "Arista EOS",
  fileExtension: "eos.cfg",
  commentChar: "!",
  bundle: EOS_BUNDLE,
  // Members `Ethernet1`, `Ethernet3/1`, `Ethernet3/1/1`.
  member: portName(/^Ethernet[1-9][0-9]*(\/[1-9][0-9]*){0,2}$/, {
    what: "an EOS Ethernet port name",
    fix: "write it as EOS does, e.g. Ethernet1 or Ethernet3/1",
    examples: {
      valid: ["Ethernet1", "Ethernet3/1", "Ethernet3/1/1"],
      invalid: ["et-2/1", "Ethernet0", "HundredGigE0/0/0/0"],
    },
  }),
  // Port-Channel1 over Ethernet1/1, Ethernet2/1, … (the first lane of each port).
  defaultNames: {
    bundle: (n) => `Port-Channel${n + 1}`,
    member: (n) => `Ethernet${n + 1}/1`,
  },
  cannotExpress: () => [],
  prefixEntry: ciscoPrefixEntry,
  prefixListKeyword: ipKeyword,
  asPathEntry: eosAsnRange,
  exactAsPath: exactAsPathRegex,
  helpers: defineHelpers({
    ipKeyword: [1, (a) => ipKeyword(a.afi(0))],
    /** `channel-group N mode active` on every member. */
    portChannelId: [1, (a) => EOS_BUNDLE.number(a.str(0))],
    eosMaximumRoutes: [1, (a) => eosMaximumRoutes(a.maxPrefix(0))],
    minutesToSeconds: [1, (a) => minutesToSeconds(a.num(0))],
  }),
  ownership: EOS_OWNERSHIP,
  routerWideSettings: [
    {
      key: "asPathRegexMode",
      renders: "ip as-path regex-mode asn",
      check: (value) =>
        value === true
          ? undefined
          : { message: "asPathRegexMode is only ever true", fix: "write `asPathRegexMode: true`, or leave it out" },
    },
  ],
  prerequisites: (router) => [
    bgpInstance(router, `router bgp ${router.asn}`),
    {
      what: "IPv4 and IPv6 routing",
      lines: ["ip routing", "ipv6 unicast-routing"],
      why: "the sessions to Microsoft are routed on the port-channel",
      setByProduct: false,
    },
    {
      what: "AS-path regular expressions in asn mode",
      lines: [`ip as-path regex-mode ${EOS_AS_PATH_REGEX_MODE}`],
      why: "the product's AS-path lists are written for asn mode (ASN ranges as [64512-65534]); in string mode (EOS's default) the ranges and exact paths would match other paths, or nothing",
      setByProduct: router.routerWide.asPathRegexMode === true,
      key: "asPathRegexMode",
    },
  ],
};
