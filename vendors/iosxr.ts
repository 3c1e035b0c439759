/** Cisco IOS-XR (`.cfg`, as `load` / `commit` take it). */
import { numberedBundle, portName, type VendorProfile } from "./profile";

export const IOSXR_BUNDLE = numberedBundle("Bundle-Ether", 1, 65535, {
  what: "an IOS-XR bundle interface",
  fix: "name the LACP bundle Bundle-Ether<1-65535>, e.g. Bundle-Ether100",
  examples: { valid: ["Bundle-Ether1", "Bundle-Ether100", "Bundle-Ether65535"], invalid: ["Bundle-Ether0", "Bundle-Ether65536", "Port-channel1", "bond0"] },
});

export const iosxr: VendorProfile = {
  id: "iosxr",
  name: "Cisco IOS-XR",
  fileExtension: "cfg",
  commentChar: "!",
  bundle: IOSXR_BUNDLE,
  member: portName(/^(TenGigE|TwentyFiveGigE|FortyGigE|HundredGigE|FourHundredGigE)[0-9]+(\/[0-9]+){2,3}$/, {
    what: "an IOS-XR Ethernet port name",
    fix: "write it as IOS-XR does, e.g. HundredGigE0/0/0/0 or TenGigE0/1/0/3",
    examples: { valid: ["HundredGigE0/0/0/0", "TenGigE0/1/0/3", "TwentyFiveGigE0/0/0/24"], invalid: ["et-0/0/0", "Ethernet1", "HundredGigE0/0"] },
  }),
  cannotExpress: () => [],
};
