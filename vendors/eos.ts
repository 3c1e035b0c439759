/** Arista EOS (`.eos.cfg`, as `configure replace` or `copy … running-config` take it). */
import type { MaxPrefixLimit } from "../plan/model";
import { defineHelpers } from "../render/helperKit";
import { checkAsnRange, type AsnRange } from "../render/policyModel";
import { ciscoPrefixEntry, exactAsPathRegex, ipKeyword } from "./ciscoStyle";
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
  cannotExpress: () => [],
  prefixEntry: ciscoPrefixEntry,
  asPathEntry: eosAsnRange,
  exactAsPath: exactAsPathRegex,
  helpers: defineHelpers({
    ipKeyword: [1, (a) => ipKeyword(a.afi(0))],
    /** `channel-group N mode active` on every member. */
    portChannelId: [1, (a) => EOS_BUNDLE.number(a.str(0))],
    eosMaximumRoutes: [1, (a) => eosMaximumRoutes(a.maxPrefix(0))],
    minutesToSeconds: [1, (a) => minutesToSeconds(a.num(0))],
  }),
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
