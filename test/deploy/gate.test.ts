/**
 * The runner-side health gate of IOS-XR, Junos and EOS: the show commands it sends, how it reads
 * each platform's answer, and its verdict, on fixtures written from vendor documentation (not
 * captured from a device: test/deploy/fixtures/README.md).
 */
import { readFileSync } from "fs";
import { join } from "path";
import { parseGateArgs, runGate } from "../../cli/gate";
import {
  eosPeers,
  gateCommands,
  iosxrPeers,
  judgeSessions,
  junosPeers,
  peerStates,
  type GateOutputs,
  type NetworkOs,
} from "../../deploy/gate";
import { healthExpectations } from "../../deploy/health";
import { DEFAULT_GATE } from "../../deploy/settings";
import { labFiles, planOf } from "../support/stack";

const fixture = (name: string) => readFileSync(join(__dirname, "fixtures", name), "utf8");
const plan = planOf(labFiles());
const sessionsOf = (host: string) => {
  const r = plan.routers.find((x) => x.hostname === host);
  if (!r) throw new Error(host);
  return healthExpectations(r, DEFAULT_GATE);
};

/** The lab stack's router of each platform and its healthy answers. */
const HEALTHY: Record<NetworkOs, { host: string; out: GateOutputs }> = {
  eos: {
    host: "lon-edge-2",
    out: {
      bgp: { ipv4: fixture("eos-bgp-ipv4.json"), ipv6: fixture("eos-bgp-ipv6.json") },
      bfd: fixture("eos-bfd.json"),
    },
  },
  junos: {
    host: "fra-edge-1",
    out: { bgp: { ipv4: fixture("junos-bgp.json"), ipv6: fixture("junos-bgp.json") }, bfd: fixture("junos-bfd.json") },
  },
  iosxr: {
    host: "ams-edge-2",
    out: {
      bgp: { ipv4: fixture("iosxr-bgp-ipv4.txt"), ipv6: fixture("iosxr-bgp-ipv6.txt") },
      bfd: fixture("iosxr-bfd.txt"),
    },
  },
};

const verdict = (os: NetworkOs, edit: (out: GateOutputs) => GateOutputs = (o) => o) =>
  judgeSessions(sessionsOf(HEALTHY[os].host), peerStates(os, edit(HEALTHY[os].out)));

const both = (o: GateOutputs, f: (s: string) => string): GateOutputs => ({
  bgp: { ipv4: f(o.bgp.ipv4), ipv6: f(o.bgp.ipv6) },
  bfd: o.bfd,
});

describe("gateCommands", () => {
  it("asks each platform for structured output where it has it", () => {
    expect(gateCommands("eos")).toEqual({
      bgp: { ipv4: "show ip bgp neighbors | json", ipv6: "show ipv6 bgp neighbors | json" },
      bfd: "show bfd peers | json",
    });
    expect(gateCommands("junos")).toEqual({
      bgp: { ipv4: "show bgp neighbor | display json", ipv6: "show bgp neighbor | display json" },
      bfd: "show bfd session | display json",
    });
    expect(gateCommands("iosxr")).toEqual({
      bgp: { ipv4: "show bgp ipv4 unicast neighbors", ipv6: "show bgp ipv6 unicast neighbors" },
      bfd: "show bfd session",
    });
  });
});

describe("reading each platform's answer", () => {
  it("EOS: state, prefixes both ways and BFD per peer, other peers included", () => {
    const peers = eosPeers(fixture("eos-bgp-ipv4.json"), fixture("eos-bfd.json"));
    expect(peers.get("192.0.2.62")).toEqual({ bgp: "Established", bfd: "up", received: 412, sent: 2 });
    expect(peers.get("10.255.0.1")).toEqual({ bgp: "Established", bfd: undefined, received: 120, sent: 415 });
  });

  it("Junos: the peer's address without its port, the counts of the family's table", () => {
    const bgp = fixture("junos-bgp.json");
    const bfd = fixture("junos-bfd.json");
    expect(junosPeers(bgp, bfd, "inet.0").get("192.0.2.4")).toEqual({
      bgp: "Established",
      bfd: "up",
      received: 412,
      sent: 2,
    });
    expect(junosPeers(bgp, bfd, "inet6.0").get("2001:db8:ffff::4")).toEqual({
      bgp: "Established",
      bfd: "up",
      received: 96,
      sent: 1,
    });
    // The IPv6 peer has no inet.0 table: no counts for IPv4 from it.
    expect(junosPeers(bgp, bfd, "inet.0").get("2001:db8:ffff::4")?.sent).toBeUndefined();
  });

  it("IOS-XR: the neighbor's block of the text and the BFD table's row of the peer", () => {
    expect(iosxrPeers(fixture("iosxr-bgp-ipv4.txt"), fixture("iosxr-bfd.txt")).get("192.0.2.2")).toEqual({
      bgp: "Established",
      bfd: "up",
      received: 412,
      sent: 2,
    });
    expect(iosxrPeers(fixture("iosxr-bgp-ipv6.txt"), fixture("iosxr-bfd.txt")).get("2001:db8:ffff::2")).toEqual({
      bgp: "Established",
      bfd: "up",
      received: 96,
      sent: 1,
    });
  });

  it.each(["eos", "junos", "iosxr"] as const)("%s: an empty or malformed answer reads as no session", (os) => {
    const v = judgeSessions(sessionsOf(HEALTHY[os].host), peerStates(os, { bgp: { ipv4: "", ipv6: "{" }, bfd: "" }));
    expect(v.healthy).toBe(false);
    expect(v.missing[0]).toMatch(/: BGP no session, not Established$/);
  });
});

describe("the verdict", () => {
  it.each(["eos", "junos", "iosxr"] as const)("%s: healthy on the healthy fixtures", (os) => {
    const v = verdict(os);
    expect(v.missing).toEqual([]);
    expect(v.healthy).toBe(true);
  });

  it("summarises a healthy router in the FRR gate's words", () => {
    expect(verdict("eos").summary).toEqual([
      "london/b/ipv4 Established, BFD up, 2 sent, 412 received",
      "london/b/ipv6 Established, BFD up, 1 sent, 96 received",
    ]);
  });

  it.each([
    [
      "eos",
      "session down",
      (o: GateOutputs) => both(o, (s) => s.replace('"state": "Established"', '"state": "Active"')),
      [
        "192.0.2.62 (london/b/ipv4): BGP Active, not Established",
        "2001:db8:ffff::fe (london/b/ipv6): BGP Active, not Established",
      ],
    ],
    [
      "eos",
      "BFD down",
      (o: GateOutputs) => ({ ...o, bfd: o.bfd.replace('"status": "up"', '"status": "down"') }),
      ["192.0.2.62 (london/b/ipv4): BFD down, not up"],
    ],
    [
      "eos",
      "prefix count off",
      (o: GateOutputs) => both(o, (s) => s.replace('"prefixesSent": 2,', '"prefixesSent": 3,')),
      ["192.0.2.62 (london/b/ipv4): 3 prefixes sent, expected 2"],
    ],
    [
      "junos",
      "session down",
      (o: GateOutputs) =>
        both(o, (s) => s.replace('"peer-state": [{ "data": "Established" }]', '"peer-state": [{ "data": "Connect" }]')),
      ["192.0.2.4 (frankfurt/a/ipv4): BGP Connect, not Established"],
    ],
    [
      "junos",
      "BFD down",
      (o: GateOutputs) => ({
        ...o,
        bfd: o.bfd.replace('"session-state": [{ "data": "Up" }]', '"session-state": [{ "data": "Down" }]'),
      }),
      ["192.0.2.4 (frankfurt/a/ipv4): BFD down, not up"],
    ],
    [
      "junos",
      "prefix count off",
      (o: GateOutputs) =>
        both(o, (s) =>
          s.replace('"received-prefix-count": [{ "data": "96" }]', '"received-prefix-count": [{ "data": "0" }]'),
        ),
      ["2001:db8:ffff::4 (frankfurt/a/ipv6): 0 prefixes received, expected at least 1"],
    ],
    [
      "iosxr",
      "session down",
      (o: GateOutputs) =>
        both(o, (s) =>
          s.replace("BGP state = Established, up for 2d04h", "BGP state = Idle (No best local address found)"),
        ),
      [
        "192.0.2.2 (amsterdam/b/ipv4): BGP Idle, not Established",
        "2001:db8:ffff::2 (amsterdam/b/ipv6): BGP Idle, not Established",
      ],
    ],
    [
      "iosxr",
      "BFD down",
      (o: GateOutputs) => ({ ...o, bfd: o.bfd.replace(/(192\.0\.2\.2 .*)UP/, "$1DOWN") }),
      ["192.0.2.2 (amsterdam/b/ipv4): BFD down, not up"],
    ],
    [
      "iosxr",
      "prefix count off",
      (o: GateOutputs) => both(o, (s) => s.replace("Prefix advertised 2,", "Prefix advertised 0,")),
      ["192.0.2.2 (amsterdam/b/ipv4): 0 prefixes sent, expected 2"],
    ],
  ] as const)("%s: %s is named, and nothing else", (os, _case, edit, missing) => {
    const v = verdict(os, edit);
    expect(v.healthy).toBe(false);
    expect(v.missing).toEqual(missing);
  });

  it("names a session the router does not mention at all", () => {
    const v = judgeSessions(
      sessionsOf("lon-edge-2"),
      peerStates("eos", { ...HEALTHY.eos.out, bgp: { ipv4: "{}", ipv6: HEALTHY.eos.out.bgp.ipv6 } }),
    );
    expect(v.missing).toEqual([
      "192.0.2.62 (london/b/ipv4): BGP no session, not Established",
      "192.0.2.62 (london/b/ipv4): no prefixes sent, expected 2",
      "192.0.2.62 (london/b/ipv4): no prefixes received, expected at least 1",
    ]);
  });
});

describe("cli/gate.ts arguments", () => {
  it("reads the platform, the waits, the sessions and the ssh command", () => {
    expect(
      parseGateArgs([
        "--platform",
        "junos",
        "--router",
        "fra-edge-1",
        "--timeout",
        "120",
        "--hold",
        "10",
        "--session",
        "frankfurt/a/ipv4,ipv4,192.0.2.4,2,1",
        "--",
        "ssh",
        "-T",
        "maps-deploy@192.168.100.3",
      ]),
    ).toEqual({
      platform: "junos",
      router: "fra-edge-1",
      timeout: 120,
      hold: 10,
      sessions: [{ id: "frankfurt/a/ipv4", afi: "ipv4", peer: "192.0.2.4", sent: 2, minReceived: 1, birdProtocol: "" }],
      ssh: ["ssh", "-T", "maps-deploy@192.168.100.3"],
    });
  });

  it.each([
    [
      ["--platform", "frr", "--router", "x", "--timeout", "1", "--hold", "1", "--", "ssh"],
      "--platform must be iosxr, junos or eos",
    ],
    [["--platform", "eos", "--router", "x", "--timeout", "1", "--hold", "1"], "give the ssh command after --"],
    [
      ["--session", "a,ipv5,1.2.3.4,1,1", "--", "ssh"],
      "--session a,ipv5,1.2.3.4,1,1: expected <id>,<ipv4|ipv6>,<peer>,<sent>,<minReceived>",
    ],
  ])("refuses %j", (argv, message) => {
    expect(parseGateArgs(argv)).toBe(message);
  });
});

describe("cli/gate.ts polling (runGate, on a simulated clock)", () => {
  /** The router's answers per poll: healthy from poll `healthyFrom` on (never if undefined). */
  const io = (healthyFrom: number | undefined) => {
    let t = 0;
    let polls = 0;
    const lines: string[] = [];
    const healthy = HEALTHY.eos.out;
    const down = both(healthy, (s) => s.replace(/"state": "Established"/g, '"state": "Idle"'));
    return {
      lines,
      io: {
        ask: (command: string) => {
          const out = healthyFrom !== undefined && polls >= healthyFrom ? healthy : down;
          if (command === gateCommands("eos").bfd) {
            polls++;
            return out.bfd;
          }
          return command.startsWith("show ipv6") ? out.bgp.ipv6 : out.bgp.ipv4;
        },
        now: () => t,
        sleep: (ms: number) => {
          t += ms;
          return Promise.resolve();
        },
        say: (text: string) => lines.push(text),
      },
    };
  };
  const args = {
    platform: "eos" as const,
    router: "lon-edge-2",
    timeout: 20,
    hold: 3,
    sessions: sessionsOf("lon-edge-2"),
  };

  it("confirms once the sessions were healthy for the hold time", async () => {
    const { io: world, lines } = io(5);
    await expect(runGate(args, world)).resolves.toBe(true);
    expect(lines).toEqual([
      "healthy for 3 s: london/b/ipv4 Established, BFD up, 2 sent, 412 received; london/b/ipv6 Established, BFD up, 1 sent, 96 received",
    ]);
  });

  it("gives up after the timeout, naming what is missing", async () => {
    const { io: world, lines } = io(undefined);
    await expect(runGate(args, world)).resolves.toBe(false);
    expect(lines).toEqual([
      "NOT HEALTHY after 20 s: 192.0.2.62 (london/b/ipv4): BGP Idle, not Established; 2001:db8:ffff::fe (london/b/ipv6): BGP Idle, not Established;",
    ]);
  });
});
