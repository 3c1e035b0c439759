/** Cisco IOS-XR (`.cfg`, as `load` / `commit` take it). */
import { defineHelpers } from "../render/helperKit";
import { checkAsnRange, type AsnRange } from "../render/policyModel";
import { ciscoPrefixEntry, maxPrefixArgs } from "./ciscoStyle";
import { numberedBundle, portName, type VendorProfile } from "./profile";

export const IOSXR_BUNDLE = numberedBundle("Bundle-Ether", 1, 65535, {
  what: "an IOS-XR bundle interface",
  fix: "name the LACP bundle Bundle-Ether<1-65535>, e.g. Bundle-Ether100",
  examples: {
    valid: ["Bundle-Ether1", "Bundle-Ether100", "Bundle-Ether65535"],
    invalid: ["Bundle-Ether0", "Bundle-Ether65536", "Port-channel1", "bond0"],
  },
});

/** IOS-XR as-path-set `passes-through` range: `'[64512..65534]'`, or the bare ASN when the range is one ASN. */
export function iosxrAsnRange(range: AsnRange): string {
  checkAsnRange(range);
  return range[0] === range[1] ? String(range[0]) : `[${range[0]}..${range[1]}]`;
}

/** IPv4 dotted netmask from a prefix length: `31` → `255.255.255.254` (`ipv4 address A M`). */
export function netmask(prefixLength: number): string {
  if (!Number.isInteger(prefixLength) || prefixLength < 0 || prefixLength > 32) {
    throw new Error(`netmask: IPv4 prefix length must be 0..32, got ${prefixLength}`);
  }
  const bits = prefixLength === 0 ? 0 : (0xffffffff << (32 - prefixLength)) >>> 0;
  return [24, 16, 8, 0].map((shift) => (bits >>> shift) & 0xff).join(".");
}

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
  helpers: defineHelpers({
    netmask: [1, (a) => netmask(a.num(0))],
    /** `bundle id N mode active` on every member. */
    bundleId: [1, (a) => IOSXR_BUNDLE.number(a.str(0))],
    maxPrefixArgs: [1, (a) => maxPrefixArgs(a.maxPrefix(0))],
  }),
};
