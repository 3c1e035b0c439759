/** FRRouting 8.x on Linux: `vtysh` integrated config (`frr.conf`). */
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
};
