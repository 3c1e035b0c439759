/**
 * Route analytics in the lab: the analyzer (analytics/) run on the Microsoft edges' own view, FRR's
 * JSON of every simulated Microsoft edge (`show bgp ipv4|ipv6 unicast json`, `show bgp summary
 * json`), and two third networks that peer with a Microsoft edge directly, not through the SP, so
 * that no export filter of the SP stands in their way:
 * - rogue-1 (AS64510) at the first Microsoft edge announces a more-specific of the SP's own
 *   registered IPv4 prefix (a sub-prefix hijack);
 * - rogue-2 (AS64511) at the last Microsoft edge announces the customer's registered IPv4 prefix
 *   with its own origin (an origin hijack).
 * Both are documentation ASNs (RFC 5398) and the links lie in the lab's Microsoft space, like
 * everything else in the lab.
 */
import * as fs from "fs";
import * as path from "path";
import { analyze, type Analysis } from "../../analytics/analyze";
import { intentOf } from "../../analytics/intent";
import { mergeObservations, type Observations } from "../../analytics/model";
import { readFrrJson } from "../../analytics/sources";
import { readPrefix } from "../../plan/addressing";
import type { Lab } from "./lab";
import { sleep } from "./system";
import type { MsftEdge } from "./topology";

export interface Rogue {
  name: string;
  asn: number;
  /** The Microsoft edge it peers with, and the prefix it announces. */
  at: MsftEdge;
  prefix: string;
  /** Its address and the Microsoft edge's on their /31. */
  address: string;
  microsoft: string;
  /** The Microsoft edge's interface to it. */
  ifname: string;
}

/** The two third networks of the lab stack. */
export function roguesOf(lab: Lab): Rogue[] {
  const t = lab.topology;
  const own = t.plan.sp.prefixes.find((p) => p.originAsn === t.plan.sp.asn && !p.prefix.includes(":"));
  const customer = t.customer.originated.find((p) => !p.includes(":"));
  const ownPrefix = own ? readPrefix(own.prefix) : undefined;
  if (!ownPrefix || !customer) throw new Error("lab: the stack needs an own and a customer IPv4 prefix for the rogues");
  return [
    {
      name: "rogue-1",
      asn: 64510,
      at: t.msft[0],
      // The lower half: a more-specific by one bit.
      prefix: `${ownPrefix.text.split("/")[0]}/${ownPrefix.length + 1}`,
      microsoft: "10.80.99.0",
      address: "10.80.99.1",
      ifname: "rogue1",
    },
    {
      name: "rogue-2",
      asn: 64511,
      at: t.msft[t.msft.length - 1],
      prefix: customer,
      microsoft: "10.80.99.2",
      address: "10.80.99.3",
      ifname: "rogue2",
    },
  ];
}

function rogueConfig(r: Rogue): string {
  return [
    "frr defaults traditional",
    `hostname ${r.name}`,
    "!",
    "interface to-msft",
    ` description lab: a third network peering with ${r.at.name}, not through the SP`,
    ` ip address ${r.address}/31`,
    "exit",
    "!",
    `router bgp ${r.asn}`,
    ` bgp router-id ${r.address}`,
    " no bgp ebgp-requires-policy",
    " no bgp network import-check",
    ` neighbor ${r.microsoft} remote-as 8075`,
    ` neighbor ${r.microsoft} timers connect 2`,
    "exit",
    "!",
    "",
  ].join("\n");
}

/** What the Microsoft edge configures for a network that peers with it: it accepts what it announces. */
function microsoftSide(r: Rogue, on: boolean): string {
  if (!on)
    return [
      "router bgp 8075",
      ` no neighbor ${r.address}`,
      "exit",
      "no route-map LAB-FROM-PEER-V4",
      "no route-map LAB-TO-PEER-V4",
      "",
    ].join("\n");
  return [
    `interface ${r.ifname}`,
    ` description lab: peering with ${r.name} (AS${r.asn})`,
    ` ip address ${r.microsoft}/31`,
    "exit",
    "route-map LAB-FROM-PEER-V4 permit 10",
    " description lab: a third network's routes, unfiltered",
    "exit",
    "route-map LAB-TO-PEER-V4 deny 10",
    "exit",
    "router bgp 8075",
    ` neighbor ${r.address} remote-as ${r.asn}`,
    ` neighbor ${r.address} timers connect 2`,
    " address-family ipv4 unicast",
    `  neighbor ${r.address} activate`,
    `  neighbor ${r.address} route-map LAB-FROM-PEER-V4 in`,
    `  neighbor ${r.address} route-map LAB-TO-PEER-V4 out`,
    " exit-address-family",
    "exit",
    "",
  ].join("\n");
}

export interface MicrosoftView {
  /** Router → the files of its FRR JSON, as `npm run analyze -- --frr <router>=<file>` reads them. */
  files: Array<{ router: string; file: string }>;
  analysis: Analysis;
}

const VIEW_COMMANDS = [
  ["v4", "show bgp ipv4 unicast json"],
  ["v6", "show bgp ipv6 unicast json"],
  ["summary", "show bgp summary json"],
] as const;

/** The Microsoft edges' FRR JSON, written to `dir`, and the analysis of it against the stack's intent. */
export async function microsoftView(lab: Lab, dir: string): Promise<MicrosoftView> {
  fs.mkdirSync(dir, { recursive: true });
  const intent = intentOf(lab.topology.plan);
  // Every edge at once (as Lab.neighbors does), each edge's three commands in turn.
  const perEdge = await Promise.all(
    lab.topology.msft.map(async (m) => {
      const read: Array<{ router: string; file: string; obs: Observations }> = [];
      for (const [name, command] of VIEW_COMMANDS) {
        const text = await lab.vtysh(m.ns, command);
        const file = path.join(dir, `${m.name}-${name}.json`);
        fs.writeFileSync(file, text);
        read.push({ router: m.name, file, obs: readFrrJson(text, file, m.name) });
      }
      return read;
    }),
  );
  const all = perEdge.flat();
  return {
    files: all.map(({ router, file }) => ({ router, file })),
    analysis: analyze(intent, mergeObservations(all.map((x) => x.obs))),
  };
}

/** An event as the lab test compares it. */
export function briefEvents(a: Analysis): string[] {
  return a.events.map(
    (e) =>
      `${e.severity} ${e.kind} ${e.prefix ?? e.afi ?? ""} at ${[e.metro, e.leg].filter((x) => x !== undefined).join("/")}` +
      `${e.router !== undefined ? ` on ${e.router}` : ""}${e.peer !== undefined ? ` from ${e.peer}` : ""}${e.observedPath !== undefined ? ` path ${e.observedPath}` : ""}`,
  );
}

/** Polls the Microsoft view until `done` holds, or returns the last view when `timeoutMs` runs out. */
export async function waitForView(
  lab: Lab,
  dir: string,
  done: (v: MicrosoftView) => boolean,
  timeoutMs: number,
): Promise<MicrosoftView> {
  const deadline = Date.now() + timeoutMs;
  let view = await microsoftView(lab, dir);
  while (!done(view) && Date.now() < deadline) {
    await sleep(300);
    view = await microsoftView(lab, dir);
  }
  return view;
}

export interface RogueResult {
  rogues: Rogue[];
  /** The clean lab, with the third networks peered and announcing nothing yet. */
  clean: MicrosoftView;
  /** While they announce. */
  hijacked: MicrosoftView;
  /** After they stopped: clean again. */
  after: MicrosoftView;
}

/**
 * The hijack scenario: both third networks come up and peer (announcing nothing: the view must
 * stay clean), announce, are analysed, withdraw (clean again), and leave the lab as it was.
 */
export async function rogueAnnouncements(
  lab: Lab,
  dir: string,
  expected: (rogues: Rogue[]) => string[],
  timeoutMs = 30_000,
): Promise<RogueResult> {
  const rogues = roguesOf(lab);
  const added: string[] = [];
  const announce = async (r: Rogue, ns: string, on: boolean) => {
    await lab.configure(
      ns,
      [
        `router bgp ${r.asn}`,
        " address-family ipv4 unicast",
        `  ${on ? "" : "no "}network ${r.prefix}`,
        " exit-address-family",
        "exit",
        "",
      ].join("\n"),
    );
  };
  try {
    for (const r of rogues) {
      await lab.configure(r.at.ns, microsoftSide(r, true));
      added.push(
        await lab.addRouter({
          name: r.name,
          config: rogueConfig(r),
          link: { ifname: "to-msft", peer: { ns: r.at.ns, ifname: r.ifname } },
        }),
      );
    }
    await lab.waitAllEstablished(timeoutMs);
    const clean = await waitForView(lab, path.join(dir, "clean"), (v) => v.analysis.events.length === 0, timeoutMs);
    for (const [i, r] of rogues.entries()) await announce(r, added[i], true);
    const want = expected(rogues).join("\n");
    const hijacked = await waitForView(
      lab,
      path.join(dir, "hijacked"),
      (v) => briefEvents(v.analysis).join("\n") === want,
      timeoutMs,
    );
    for (const [i, r] of rogues.entries()) await announce(r, added[i], false);
    const after = await waitForView(lab, path.join(dir, "after"), (v) => v.analysis.events.length === 0, timeoutMs);
    return { rogues, clean, hijacked, after };
  } finally {
    for (const [i, r] of rogues.entries()) {
      if (added[i] !== undefined) await lab.removeRouter(added[i]);
      await lab.configure(r.at.ns, microsoftSide(r, false)).catch(() => undefined);
    }
  }
}
