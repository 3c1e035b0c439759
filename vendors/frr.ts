/** FRRouting 8.x on Linux: `vtysh` integrated config (`frr.conf`). */
import { defineHelpers } from "../render/helperKit";
import { asPathRegex, ciscoPrefixEntry, ipKeyword, maxPrefixArgs } from "./ciscoStyle";
import { LINUX_DEFAULT_NAMES, linuxInterfaceName, type VendorProfile } from "./profile";

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
  asPathEntry: asPathRegex,
  helpers: defineHelpers({
    ipKeyword: [1, (a) => ipKeyword(a.afi(0))],
    maxPrefixArgs: [1, (a) => maxPrefixArgs(a.maxPrefix(0))],
  }),
};
