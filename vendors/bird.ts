/** BIRD 2.0 on Linux (`bird.conf`): the OS builds the bond and addresses it; BIRD only routes. */
import type { MaxPrefixLimit } from "../plan/model";
import { defineHelpers } from "../render/helperKit";
import { maxPrefixLength } from "../plan/addressing";
import { checkAsnRange, type AsnRange, type PrefixEntry } from "../render/policyModel";
import { LINUX_DEFAULT_NAMES, linuxInterfaceName, type VendorProfile } from "./profile";

/** BIRD prefix pattern: `10.0.0.0/8+`, `0.0.0.0/0`, `0.0.0.0/0{25,32}`. */
export function birdPrefixPattern(e: PrefixEntry): string {
  if (e.minLength === e.length && e.maxLength === e.length) return e.prefix;
  if (e.minLength === e.length && e.maxLength === maxPrefixLength(e.afi)) return `${e.prefix}+`;
  return `${e.prefix}{${e.minLength},${e.maxLength}}`;
}

/** BIRD ASN set entry: `12076`, `64512..65534`. */
export function birdAsnRange(range: AsnRange): string {
  checkAsnRange(range);
  return range[0] === range[1] ? String(range[0]) : `${range[0]}..${range[1]}`;
}

/** BIRD symbols are identifiers: `MAPS-IN-V4` → `MAPS_IN_V4`; `("maps", "amsterdam/a/ipv4")` → `maps_amsterdam_a_ipv4`. */
export function birdSymbol(...parts: string[]): string {
  const name = parts.join("_");
  const symbol = name.replace(/[-/.]/g, "_");
  if (!/^[A-Za-z][A-Za-z0-9_]{0,63}$/.test(symbol)) throw new Error(`birdSymbol: "${name}" cannot be a BIRD symbol`);
  return symbol;
}

/** BIRD community pair: `8075:8007` → `(8075, 8007)`. */
export function birdCommunity(community: string): string {
  const m = /^(\d{1,5}):(\d{1,5})$/.exec(community);
  if (!m || Number(m[1]) > 65535 || Number(m[2]) > 65535)
    throw new Error(`birdCommunity: "${community}" is not a standard community`);
  return `(${m[1]}, ${m[2]})`;
}

/**
 * BIRD channel limit on what Microsoft sends (`import limit`, counted after the import filter like
 * max-prefix elsewhere). BIRD has no warning threshold; `restart` restarts at once (no timer).
 */
export function birdImportLimit(m: MaxPrefixLimit): string {
  const action = { shutdown: "disable", restart: "restart", "warning-only": "warn" }[m.action];
  return `import limit ${m.limit} action ${action}`;
}

export const bird: VendorProfile = {
  id: "bird",
  name: "BIRD 2",
  fileExtension: "bird.conf",
  commentChar: "#",
  bundle: linuxInterfaceName("BIRD"),
  member: linuxInterfaceName("BIRD"),
  defaultNames: LINUX_DEFAULT_NAMES,
  // BIRD's channel `import limit` (BIRD 2.0 documentation, "Channel options").
  cannotExpress(session) {
    const m = session.maxPrefix;
    const notes = [
      `max-prefix has no warning threshold: BIRD logs only at the limit of ${m.limit}, not at ${m.warningPercent}%`,
    ];
    if (m.action === "restart")
      notes.push(`max-prefix restarts the session at once, not after ${m.restartMinutes} minutes`);
    return notes;
  },
  prefixEntry: birdPrefixPattern,
  asPathEntry: birdAsnRange,
  helpers: defineHelpers({
    birdSymbol: [[1, 3], (a) => birdSymbol(...Array.from({ length: a.count }, (_, i) => a.str(i)))],
    birdCommunity: [1, (a) => birdCommunity(a.str(0))],
    birdImportLimit: [1, (a) => birdImportLimit(a.maxPrefix(0))],
  }),
};
