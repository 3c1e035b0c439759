/**
 * The health gate of the network operating systems (IOS-XR, Junos, EOS), judged on the runner: the
 * runner asks the router over SSH for its BGP and BFD state (`gateCommands`), and these functions
 * read the answers and say, per session to Microsoft, what is healthy and what is missing, in the
 * same words as the on-box gate of FRR and BIRD (`deploy/scripts.ts`).
 *
 * Structured output where the platform has it for these commands, never screen-scraping:
 * - EOS: `show ip bgp neighbors | json`, `show ipv6 bgp neighbors | json`, `show bfd peers | json`
 *   (Arista EOS User Manual, "Displaying BGP information", "show bfd peers"; JSON through `| json`).
 *   The neighbors view is used rather than `show ip bgp summary | json` because only it carries the
 *   prefixes sent.
 * - Junos: `show bgp neighbor | display json`, `show bfd session | display json` (Junos "show bgp
 *   neighbor", https://www.juniper.net/documentation/us/en/software/junos/bgp/topics/ref/command/show-bgp-neighbor.html;
 *   `| display json` renders the same XML tree as JSON, every leaf as `[{"data": …}]`).
 * - IOS-XR: its CLI has no JSON for these commands (structured data is in its YANG models over
 *   NETCONF/gNMI, which the runner does not speak). The gate reads the CLI text of `show bgp <afi>
 *   unicast neighbors` (the `BGP neighbor is`, `BGP state =`, `accepted prefixes` and `Prefix
 *   advertised` lines of each neighbor's block) and the table of `show bfd session` (the row whose
 *   destination is the peer, its state column): only those lines, each by a fixed pattern; anything
 *   else in the output is ignored, and a line that is missing reads as "no session".
 *
 * The test fixtures (test/deploy/fixtures/) are written from that documentation, not captured from
 * a device: the field names are the documented ones, to check against a real router before relying
 * on them (README, Deploying).
 *
 * Pure: no Pulumi, no I/O.
 */
import type { AddressFamily } from "../plan/model";
import type { SessionExpectation } from "./health";

export type NetworkOs = "iosxr" | "junos" | "eos";

/** The platforms whose pushes run on the runner and drive the router's CLI (deploy/scripts.ts). */
export function isNetworkOs(vendor: string): vendor is NetworkOs {
  return vendor === "iosxr" || vendor === "junos" || vendor === "eos";
}

/** What the router says about one neighbor. Undefined: the router did not mention it. */
export interface PeerState {
  bgp?: string;
  bfd?: string;
  received?: number;
  sent?: number;
}

/** The commands the runner sends, by what they answer; each runs as its own SSH exec. */
export interface GateCommands {
  bgp: Record<AddressFamily, string>;
  bfd: string;
}

export function gateCommands(os: NetworkOs): GateCommands {
  switch (os) {
    case "eos":
      return {
        bgp: { ipv4: "show ip bgp neighbors | json", ipv6: "show ipv6 bgp neighbors | json" },
        bfd: "show bfd peers | json",
      };
    case "junos":
      // One answer holds both families (a bgp-rib per table: inet.0, inet6.0).
      return {
        bgp: { ipv4: "show bgp neighbor | display json", ipv6: "show bgp neighbor | display json" },
        bfd: "show bfd session | display json",
      };
    case "iosxr":
      return {
        bgp: { ipv4: "show bgp ipv4 unicast neighbors", ipv6: "show bgp ipv6 unicast neighbors" },
        bfd: "show bfd session",
      };
    default: {
      const unknown: never = os;
      throw new Error(`gateCommands: unknown platform ${JSON.stringify(unknown)}`);
    }
  }
}

/** The router's answers to `gateCommands`, as text. A command that failed gives "". */
export interface GateOutputs {
  bgp: Record<AddressFamily, string>;
  bfd: string;
}

/** Per family, the router's state of each neighbor it mentions, keyed by the peer's address. */
export function peerStates(os: NetworkOs, out: GateOutputs): Record<AddressFamily, Map<string, PeerState>> {
  switch (os) {
    case "eos":
      return { ipv4: eosPeers(out.bgp.ipv4, out.bfd), ipv6: eosPeers(out.bgp.ipv6, out.bfd) };
    case "junos":
      return { ipv4: junosPeers(out.bgp.ipv4, out.bfd, "inet.0"), ipv6: junosPeers(out.bgp.ipv6, out.bfd, "inet6.0") };
    case "iosxr":
      return { ipv4: iosxrPeers(out.bgp.ipv4, out.bfd), ipv6: iosxrPeers(out.bgp.ipv6, out.bfd) };
    default: {
      const unknown: never = os;
      throw new Error(`peerStates: unknown platform ${JSON.stringify(unknown)}`);
    }
  }
}

/** The verdict on one poll: every finding that keeps the push from being confirmed, and the healthy summary. */
export interface GateVerdict {
  healthy: boolean;
  missing: string[];
  summary: string[];
}

/** The same findings, in the same words, as the FRR and BIRD gate (`judge` in deploy/scripts.ts). */
export function judgeSessions(
  sessions: readonly SessionExpectation[],
  states: Record<AddressFamily, Map<string, PeerState>>,
): GateVerdict {
  const missing: string[] = [];
  const summary: string[] = [];
  for (const s of sessions) {
    const p = states[s.afi].get(canonical(s.peer)) ?? {};
    const name = `${s.peer} (${s.id})`;
    if (p.bgp !== "Established") missing.push(`${name}: BGP ${p.bgp ?? "no session"}, not Established`);
    if (p.bfd !== "up") missing.push(`${name}: BFD ${p.bfd ?? "no session"}, not up`);
    if (p.sent !== s.sent) missing.push(`${name}: ${p.sent ?? "no"} prefixes sent, expected ${s.sent}`);
    if (p.received === undefined || p.received < s.minReceived)
      missing.push(`${name}: ${p.received ?? "no"} prefixes received, expected at least ${s.minReceived}`);
    summary.push(`${s.id} Established, BFD up, ${p.sent ?? 0} sent, ${p.received ?? 0} received`);
  }
  return { healthy: missing.length === 0, missing, summary };
}

/** Addresses compared as the router prints them: lower case, without a port (`192.0.2.4+179`). */
function canonical(address: string): string {
  return address.replace(/\+\d+$/, "").toLowerCase();
}

/** Peers with BFD but no BGP neighbor in the answer keep their BFD state (the finding names both). */
function withBfdOnly(peers: Map<string, PeerState>, bfd: Map<string, string>): Map<string, PeerState> {
  for (const [peer, state] of bfd) if (!peers.has(peer)) peers.set(peer, { bfd: state });
  return peers;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

type Json = Record<string, unknown>;
const obj = (v: unknown): Json => (typeof v === "object" && v !== null && !Array.isArray(v) ? (v as Json) : {});
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const num = (v: unknown): number | undefined =>
  typeof v === "number" ? v : typeof v === "string" && /^\d+$/.test(v) ? Number(v) : undefined;

/** BGP states as the gate words them (`Established`, `Active`, …): EOS and Junos already print them so. */
function bgpState(v: unknown): string | undefined {
  if (typeof v !== "string" || v === "") return undefined;
  return v.charAt(0).toUpperCase() + v.slice(1);
}

/**
 * EOS `show ip[v6] bgp neighbors | json`: `vrfs.default.peerList[]` with `peerAddress`, `state`,
 * `prefixesReceived`, `prefixesSent`; `show bfd peers | json`: `vrfs.default.ipv4Neighbors` /
 * `ipv6Neighbors`, keyed by the peer's address, `peerStats.<interface>.status` (`up`, `down`, …).
 */
export function eosPeers(bgpJson: string, bfdJson: string): Map<string, PeerState> {
  const bfd = new Map<string, string>();
  const bfdVrf = obj(obj(obj(parseJson(bfdJson)).vrfs).default);
  for (const family of ["ipv4Neighbors", "ipv6Neighbors"])
    for (const [peer, v] of Object.entries(obj(bfdVrf[family]))) {
      const statuses = Object.values(obj(obj(v).peerStats)).map((s) => obj(s).status);
      const status = statuses.find((s): s is string => typeof s === "string");
      if (status !== undefined) bfd.set(canonical(peer), status.toLowerCase());
    }
  const peers = new Map<string, PeerState>();
  for (const raw of arr(obj(obj(obj(parseJson(bgpJson)).vrfs).default).peerList)) {
    const p = obj(raw);
    if (typeof p.peerAddress !== "string") continue;
    const peer = canonical(p.peerAddress);
    peers.set(peer, {
      bgp: bgpState(p.state),
      bfd: bfd.get(peer),
      received: num(p.prefixesReceived),
      sent: num(p.prefixesSent),
    });
  }
  return withBfdOnly(peers, bfd);
}

/** Junos `| display json`: every leaf is `[{"data": "…"}]`. */
function junosLeaf(v: unknown): string | undefined {
  const data = obj(arr(v)[0]).data;
  return typeof data === "string" ? data : undefined;
}

/**
 * Junos `show bgp neighbor | display json`: `bgp-information[0].bgp-peer[]` with `peer-address`
 * (`192.0.2.4+179`), `peer-state`, and per routing table a `bgp-rib` (`name` `inet.0` / `inet6.0`)
 * with `received-prefix-count` and `advertised-prefix-count`; `show bfd session | display json`:
 * `bfd-session-information[0].bfd-session[]` with `session-neighbor` and `session-state` (`Up`).
 */
export function junosPeers(bgpJson: string, bfdJson: string, table: string): Map<string, PeerState> {
  const bfd = new Map<string, string>();
  for (const raw of arr(obj(arr(obj(parseJson(bfdJson))["bfd-session-information"])[0])["bfd-session"])) {
    const s = obj(raw);
    const peer = junosLeaf(s["session-neighbor"]);
    const state = junosLeaf(s["session-state"]);
    if (peer !== undefined && state !== undefined) bfd.set(canonical(peer), state.toLowerCase());
  }
  const peers = new Map<string, PeerState>();
  for (const raw of arr(obj(arr(obj(parseJson(bgpJson))["bgp-information"])[0])["bgp-peer"])) {
    const p = obj(raw);
    const address = junosLeaf(p["peer-address"]);
    if (address === undefined) continue;
    const peer = canonical(address);
    const rib = arr(p["bgp-rib"])
      .map(obj)
      .find((r) => junosLeaf(r.name) === table);
    peers.set(peer, {
      bgp: bgpState(junosLeaf(p["peer-state"])),
      bfd: bfd.get(peer),
      received: num(junosLeaf(rib?.["received-prefix-count"])),
      sent: num(junosLeaf(rib?.["advertised-prefix-count"])),
    });
  }
  return withBfdOnly(peers, bfd);
}

/**
 * IOS-XR text (no JSON for these commands): in `show bgp <afi> unicast neighbors`, each block from
 * `BGP neighbor is <address>` to the next, and in it `BGP state = <State>`, `<n> accepted
 * prefixes` and `Prefix advertised <n>`; in `show bfd session`, the row whose destination column
 * is the peer and its state column (`UP`, `DOWN`, `INIT`, `ADMIN_DOWN`).
 */
export function iosxrPeers(bgpText: string, bfdText: string): Map<string, PeerState> {
  const bfd = new Map<string, string>();
  for (const line of bfdText.split("\n")) {
    const cols = line.trim().split(/\s+/);
    const state = cols.find((c) => /^(UP|DOWN|INIT|ADMIN_DOWN)$/.test(c));
    if (cols.length >= 3 && state !== undefined && /[.:]/.test(cols[1]))
      bfd.set(canonical(cols[1]), state.toLowerCase());
  }
  const peers = new Map<string, PeerState>();
  const blocks = bgpText.split(/^(?=BGP neighbor is )/m).filter((b) => b.startsWith("BGP neighbor is "));
  for (const block of blocks) {
    const peer = canonical(/^BGP neighbor is (\S+)/.exec(block)?.[1] ?? "");
    const match = (re: RegExp) => re.exec(block)?.[1];
    peers.set(peer, {
      bgp: bgpState(match(/BGP state = (\w+)/)),
      bfd: bfd.get(peer),
      received: num(match(/^\s*(\d+) accepted prefixes/m)),
      sent: num(match(/^\s*Prefix advertised (\d+)/m)),
    });
  }
  return withBfdOnly(peers, bfd);
}
