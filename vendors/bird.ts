/** BIRD 2.0 on Linux (`bird.conf`): the OS builds the bond and addresses it; BIRD only routes. */
import { linuxInterfaceName, type VendorProfile } from "./profile";

export const bird: VendorProfile = {
  id: "bird",
  name: "BIRD 2",
  fileExtension: "bird.conf",
  commentChar: "#",
  bundle: linuxInterfaceName("BIRD"),
  member: linuxInterfaceName("BIRD"),
  // BIRD's channel `import limit` (BIRD 2.0 documentation, "Channel options").
  cannotExpress(session) {
    const m = session.maxPrefix;
    const notes = [`max-prefix has no warning threshold: BIRD logs only at the limit of ${m.limit}, not at ${m.warningPercent}%`];
    if (m.action === "restart") notes.push(`max-prefix restarts the session at once, not after ${m.restartMinutes} minutes`);
    return notes;
  },
};
