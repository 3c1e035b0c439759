/** BIRD 2.0 on Linux (`bird.conf`): the OS builds the bond and addresses it; BIRD only routes. */
import type { MaxPrefixLimit } from "../plan/model";
import { defineHelpers } from "../render/helperKit";
import { maxPrefixLength } from "../plan/addressing";
import { checkAsnRange, policyName, type AsnRange, type PrefixEntry } from "../render/policyModel";
import type { Ownership } from "./ownership";
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

/** A BIRD path mask for exactly this whole path: `[= =]` (empty), `[= 64502 64501 =]`. */
export function birdExactAsPath(asns: readonly number[]): string {
  for (const a of asns) checkAsnRange([a, a]);
  return `[= ${asns.map((a) => `${a} `).join("")}=]`;
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

const BIRD_FILE_EXTENSION = "bird.conf";

/**
 * BIRD: the product owns one file whole, included once from the router's bird.conf. A push
 * replaces the file and reconfigures; BIRD shuts down the protocols that left the file and keeps
 * the unchanged ones up, so nothing is ever removed by hand.
 */
export const BIRD_OWNERSHIP: Ownership = {
  owns: [
    "the file /etc/bird/<router>.bird.conf, whole: its filters, sets, path masks, the BFD protocol MAPS_BFD, the static discard anchors, the BGP protocols to AS 8075, and `router id` only where the inventory gives routerId",
  ],
  push: "write the file beside the old one, `birdc configure check`, swap it in, `birdc configure timeout <seconds>`, and `birdc configure confirm` once the health gate passes (else BIRD returns to the old config by itself)",
  removalsFor: () => [],
};

export const bird: VendorProfile = {
  id: "bird",
  name: "BIRD 2",
  fileExtension: BIRD_FILE_EXTENSION,
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
  exactAsPath: birdExactAsPath,
  helpers: defineHelpers({
    birdSymbol: [[1, 3], (a) => birdSymbol(...Array.from({ length: a.count }, (_, i) => a.str(i)))],
    birdCommunity: [1, (a) => birdCommunity(a.str(0))],
    birdImportLimit: [1, (a) => birdImportLimit(a.maxPrefix(0))],
  }),
  ownership: BIRD_OWNERSHIP,
  routerWideSettings: [],
  prerequisites: (router) => [
    {
      what: "the main bird.conf includes the product's file, once",
      lines: [`include "/etc/bird/${router.hostname}.${BIRD_FILE_EXTENSION}";`],
      why: "the product owns that file whole and replaces it on every push; everything else in bird.conf stays the router's",
      setByProduct: false,
    },
    {
      what: "protocol device, and kernel protocols that install the routes learned from Microsoft",
      lines: [
        "protocol device { }",
        "protocol kernel { ipv4 { export where source = RTS_BGP; }; }",
        "protocol kernel { ipv6 { export where source = RTS_BGP; }; }",
      ],
      why: "BIRD learns interfaces only through `protocol device`, and forwards only what a kernel protocol exports: the router's own kernel protocols may already cover BGP routes",
      setByProduct: false,
    },
    router.routerId === undefined
      ? {
          what: "a router id",
          lines: ["router id <the router's loopback>;"],
          why: "the inventory gives no routerId for this router, so the product's file sets none (BIRD otherwise takes the lowest IPv4 address of an interface, which can change)",
          setByProduct: false,
        }
      : {
          what: `router id ${router.routerId} in the product's file, none in the main bird.conf`,
          lines: [`# the product's file sets router id ${router.routerId}`],
          why: "the inventory gives this router's routerId, so the product's file sets it; a second `router id` elsewhere would compete with it",
          setByProduct: true,
        },
    {
      what: "no other BFD protocol for the bundle",
      lines: [`# protocol bfd ${birdSymbol(policyName("bfd"))} is the product's`],
      why: "the product's file has its own `protocol bfd` with the SP's timers on the bundle; check `birdc show bfd sessions` if the main config has another",
      setByProduct: false,
    },
  ],
};
