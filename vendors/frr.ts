/** FRRouting 8.x on Linux: `vtysh` integrated config (`frr.conf`). */
import { defineHelpers } from "../render/helperKit";
import { asPathRegex, ciscoPrefixEntry, exactAsPathRegex, ipKeyword, maxPrefixArgs } from "./ciscoStyle";
import { coveredByRemovedNeighbor, lineRemovals, remoteAsOf, type Ownership } from "./ownership";
import { bgpInstance } from "./prerequisites";
import { LINUX_DEFAULT_NAMES, linuxInterfaceName, type VendorProfile } from "./profile";

/**
 * FRR: the product's objects in the running config, applied with `vtysh -f` (removals first). Not
 * `frr-reload.py`: it reconciles the router's whole running config with the file, so it fits only
 * a router whose whole config the product renders.
 */
export const FRR_OWNERSHIP: Ownership = {
  owns: [
    "prefix-lists MAPS-* (ip and ipv6), AS-path lists MAPS-*, route-maps MAPS-*",
    "the BFD profile MAPS-BFD",
    "in `router bgp <asn>`: the neighbors to AS 8075 and every statement about them, the `network` statements of the prefixes it originates, and `bgp router-id` only where the inventory gives routerId",
    "the discard anchors (`ip route <prefix> blackhole 254`) of the prefixes it originates",
    "on the bundle interface: its description and the session addresses (the OS builds the bond)",
  ],
  push: "vtysh -f with `removalsFor(previous, next)` first, then the rendering; FRR applies statement by statement (route-map and prefix-list changes reach BGP after its route-map delay timer, not half way)",
  removalsFor: (previous, next) =>
    lineRemovals(
      previous,
      next,
      { ignore: /^\s*(!.*|exit|exit-address-family|end)$/ },
      {
        indent: " ",
        keep: (line, path) => path.length === 1 && /^bgp router-id /.test(line),
        removeWhole: (line, path) => {
          if (path.length === 0 && /^route-map /.test(line)) return `no ${line}`;
          if (path.length === 1 && /^profile /.test(line)) return `no ${line}`;
          const peer = path.length === 1 ? remoteAsOf(line) : undefined;
          return peer === undefined ? undefined : `no neighbor ${peer}`;
        },
        covered: coveredByRemovedNeighbor,
        close: (line) => (/^address-family /.test(line) ? "exit-address-family" : "exit"),
      },
    ),
};

export const frr: VendorProfile = {
  id: "frr",
  name: "FRRouting",
  fileExtension: "conf",
  commentChar: "!",
  // The OS builds the bond; FRR only addresses it.
  bundle: linuxInterfaceName("FRR"),
  member: linuxInterfaceName("FRR"),
  defaultNames: LINUX_DEFAULT_NAMES,
  cannotExpress: () => [],
  prefixEntry: ciscoPrefixEntry,
  prefixListKeyword: ipKeyword,
  asPathEntry: asPathRegex,
  exactAsPath: exactAsPathRegex,
  helpers: defineHelpers({
    ipKeyword: [1, (a) => ipKeyword(a.afi(0))],
    maxPrefixArgs: [1, (a) => maxPrefixArgs(a.maxPrefix(0))],
  }),
  ownership: FRR_OWNERSHIP,
  routerWideSettings: [],
  prerequisites: (router) => [
    bgpInstance(router, `router bgp ${router.asn}`),
    {
      what: "bfdd runs",
      lines: ["bfdd=yes   (in /etc/frr/daemons, then restart FRR)"],
      why: "the sessions to Microsoft use BFD (`bfd profile MAPS-BFD`); without bfdd, BFD never comes up",
      setByProduct: false,
    },
  ],
};
