/** Juniper Junos 15.2+, hierarchical (curly-brace) form for `load merge`. */
import type { Leg, MaxPrefixLimit } from "../plan/model";
import { defineHelpers } from "../render/helperKit";
import { maxPrefixLength } from "../plan/addressing";
import { checkAsnRange, type AsnRange, type PrefixEntry } from "../render/policyModel";
import { numberedBundle, portName, type VendorProfile } from "./profile";

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

/** AS-path regular expression for a path through any ASN of the range: `.* 64512-65534 .*`. */
export function junosAsPathRegex(range: AsnRange): string {
  checkAsnRange(range);
  return range[0] === range[1] ? `.* ${range[0]} .*` : `.* ${range[0]}-${range[1]} .*`;
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
  // BGP `prefix-limit` and `ttl` (Junos documentation, "prefix-limit", "ttl (BGP)").
  cannotExpress(session) {
    const notes: string[] = [];
    if (session.maxPrefix.action === "warning-only") {
      notes.push(
        `prefix-limit without teardown only logs at the maximum of ${session.maxPrefix.limit}, not at ${session.maxPrefix.warningPercent}%`,
      );
    }
    if (session.gtsm) {
      notes.push(
        `GTSM: Junos sends with TTL 255 but has no BGP statement that checks the received TTL; the lo0 protection filter must drop BGP from ${session.peerAddress} with a lower TTL`,
      );
    }
    return notes;
  },
  prefixEntry: junosRouteFilter,
  asPathEntry: junosAsPathRegex,
  helpers: defineHelpers({
    junosPrefixLimit: [1, (a) => junosPrefixLimit(a.maxPrefix(0))],
    aeDeviceCount: [1, (a) => aeDeviceCount(a.legs(0))],
  }),
};
