/** Arista EOS (`.eos.cfg`, as `configure replace` or `copy … running-config` take it). */
import { numberedBundle, portName, type VendorProfile } from "./profile";

/** `Port-Channel1`…`Port-Channel2000`. */
export const EOS_BUNDLE = numberedBundle("Port-Channel", 1, 2000, {
  what: "an EOS port-channel interface",
  fix: "name the LACP bundle Port-Channel<1-2000>, e.g. Port-Channel1",
  examples: { valid: ["Port-Channel1", "Port-Channel10", "Port-Channel2000"], invalid: ["Port-channel1", "Port-Channel2001", "Port-Channel0", "ae0"] },
});

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
    examples: { valid: ["Ethernet1", "Ethernet3/1", "Ethernet3/1/1"], invalid: ["et-2/1", "Ethernet0", "HundredGigE0/0/0/0"] },
  }),
  cannotExpress: () => [],
};
