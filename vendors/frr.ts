/** FRRouting 8.x on Linux: `vtysh` integrated config (`frr.conf`). */
import { defineHelpers } from "../render/helperKit";
import { asPathRegex, ciscoPrefixEntry, exactAsPathRegex, ipKeyword, maxPrefixArgs } from "./ciscoStyle";
import { bgpInstance } from "./prerequisites";
import { linuxInterfaceName, type VendorProfile } from "./profile";

export const frr: VendorProfile = {
  id: "frr",
  name: "FRRouting",
  fileExtension: "conf",
  commentChar: "!",
  // The OS builds the bond; FRR only addresses it.
  bundle: linuxInterfaceName("FRR"),
  member: linuxInterfaceName("FRR"),
  cannotExpress: () => [],
  prefixEntry: ciscoPrefixEntry,
  asPathEntry: asPathRegex,
  exactAsPath: exactAsPathRegex,
  helpers: defineHelpers({
    ipKeyword: [1, (a) => ipKeyword(a.afi(0))],
    maxPrefixArgs: [1, (a) => maxPrefixArgs(a.maxPrefix(0))],
  }),
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
