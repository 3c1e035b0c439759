/** Juniper Junos 15.2+, hierarchical (curly-brace) form for `load merge`. */
import { numberedBundle, portName, type VendorProfile } from "./profile";

/** Aggregated Ethernet `ae0`…`ae4091`. */
export const JUNOS_BUNDLE = numberedBundle("ae", 0, 4091, {
  what: "a Junos aggregated Ethernet interface",
  fix: "name the LACP bundle ae<0-4091>, e.g. ae0",
  examples: { valid: ["ae0", "ae17", "ae4091"], invalid: ["ae4092", "ae01", "Bundle-Ether1", "xe-0/0/0"] },
});

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
  // BGP `prefix-limit` and `ttl` (Junos documentation, "prefix-limit", "ttl (BGP)").
  cannotExpress(session) {
    const notes: string[] = [];
    if (session.maxPrefix.action === "warning-only") {
      notes.push(`prefix-limit without teardown only logs at the maximum of ${session.maxPrefix.limit}, not at ${session.maxPrefix.warningPercent}%`);
    }
    if (session.gtsm) {
      notes.push(`GTSM: Junos sends with TTL 255 but has no BGP statement that checks the received TTL; the lo0 protection filter must drop BGP from ${session.peerAddress} with a lower TTL`);
    }
    return notes;
  },
};
