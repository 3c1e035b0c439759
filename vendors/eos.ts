/** Arista EOS (`.eos.cfg`, as `configure replace` or `copy … running-config` take it). */
import type { MaxPrefixLimit } from "../plan/model";
import { defineHelpers } from "../render/helperKit";
import { asPathRegex, ciscoPrefixEntry, ipKeyword } from "./ciscoStyle";
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

/** `30` minutes → `1800` seconds (`idle-restart-timer`). */
export function minutesToSeconds(minutes: number): number {
  if (!Number.isInteger(minutes) || minutes < 0) throw new Error(`minutesToSeconds: invalid minutes ${minutes}`);
  return minutes * 60;
}

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
  asPathEntry: asPathRegex,
  helpers: defineHelpers({
    ipKeyword: [1, (a) => ipKeyword(a.afi(0))],
    /** `channel-group N mode active` on every member. */
    portChannelId: [1, (a) => EOS_BUNDLE.number(a.str(0))],
    eosMaximumRoutes: [1, (a) => eosMaximumRoutes(a.maxPrefix(0))],
    minutesToSeconds: [1, (a) => minutesToSeconds(a.num(0))],
  }),
};
