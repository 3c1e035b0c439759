import { formatLock } from "../../load/lock";
import type { Plan } from "../../plan/model";
import {
  edit,
  labFiles,
  lineOf,
  PARIS,
  planOf,
  problemsOf,
  registerAt,
  withLock,
  withMetro,
  withoutMetro,
} from "../support/stack";

/** The lab stack as if it had never been planned: no lock yet. */
const fresh = () => withLock(labFiles(), undefined);
/** The lab stack after its first plan: the lock that plan would write. */
const locked = () => withLock(labFiles(), formatLock(planOf(fresh()).lock));

describe("plan of the lab stack", () => {
  const plan = planOf(locked());

  it("has two legs, two routers and four sessions per metro", () => {
    expect(plan.metros.map((m) => [m.id, m.legs.length, new Set(m.legs.map((l) => l.hostname)).size])).toEqual([
      ["amsterdam", 2, 2],
      ["frankfurt", 2, 2],
      ["london", 2, 2],
    ]);
    expect(plan.sessions).toHaveLength(12);
    expect(plan.routers.map((r) => r.hostname)).toEqual([
      "ams-edge-1",
      "ams-edge-2",
      "fra-edge-1",
      "fra-edge-2",
      "lon-edge-1",
      "lon-edge-2",
    ]);
  });

  it("derives sessions to AS8075 with the documented address convention", () => {
    const s = plan.sessions.find((x) => x.id === "london/b/ipv6");
    expect(s).toMatchObject({
      peerAsn: 8075,
      localAsn: 64500,
      sessionPrefix: "2001:db8:ffff::fe/127",
      peerAddress: "2001:db8:ffff::fe",
      localAddress: "2001:db8:ffff::ff",
    });
  });

  it("announces the same prefixes from every router and originates only the SP's own", () => {
    const exports = new Set(plan.routers.map((r) => JSON.stringify(r.exports)));
    expect(exports.size).toBe(1);
    expect(plan.routers[0].exports.ipv4.map((p) => p.prefix)).toEqual(["198.51.100.0/24", "203.0.113.0/24"]);
    expect(plan.routers[0].originated).toEqual({ ipv4: ["198.51.100.0/24"], ipv6: ["2001:db8:1000::/48"] });
    expect(plan.registrations.filter((r) => r.kind === "asn").map((r) => r.key)).toEqual(["AS64501"]);
  });

  it("keeps the lab stack mixed across all five platforms, every bundle a valid Linux interface name", () => {
    expect(plan.routers.map((r) => `${r.hostname} ${r.vendor}`)).toEqual([
      "ams-edge-1 frr",
      "ams-edge-2 iosxr",
      "fra-edge-1 junos",
      "fra-edge-2 frr",
      "lon-edge-1 bird",
      "lon-edge-2 eos",
    ]);
    // Another lab builds real veths named after each bundle: Linux names, at most 15 characters, no "/".
    for (const leg of plan.metros.flatMap((m) => m.legs)) expect(leg.interface).toMatch(/^[^/]{1,15}$/);
    for (const leg of plan.metros.flatMap((m) => m.legs))
      expect(leg.members.map((m) => m.speedGbps)).toEqual([100, 100]);
  });

  it("drains no lab leg and turns GTSM on for every session (the SP's setting)", () => {
    expect(plan.metros.flatMap((m) => m.legs).filter((l) => l.drain)).toEqual([]);
    expect(plan.sessions.map((s) => [s.drain, s.gtsm])).toEqual(plan.sessions.map(() => [false, true]));
  });

  it.each([
    [
      "fra-edge-2 (frr)",
      "      agreement: LAB ONLY - no Microsoft agreement - keeps MD5 proven in the FRR lab\n",
      "frankfurt/b",
    ],
    ["fra-edge-1 (junos)", "      - { interface: et-0/1/4, speedGbps: 100 }\n", "frankfurt/a"],
  ])("carries drain: true on a leg of %s into that leg and its two sessions only", (_name, anchor, leg) => {
    const drainedPlan = planOf(edit(locked(), "metros/frankfurt.yaml", anchor, `${anchor}    drain: true\n`));
    expect(
      drainedPlan.metros
        .flatMap((m) => m.legs)
        .filter((l) => l.drain)
        .map((l) => l.id),
    ).toEqual([leg]);
    expect(drainedPlan.sessions.filter((s) => s.drain).map((s) => s.id)).toEqual([`${leg}/ipv4`, `${leg}/ipv6`]);
    const router = drainedPlan.routers.find((r) => r.legs.some((l) => l.id === leg));
    expect(router?.sessions.map((s) => s.drain)).toEqual([true, true]);
  });

  it("turns GTSM off on every session when sp.yaml says gtsm: false", () => {
    const off = planOf(edit(locked(), "sp.yaml", "gtsm: true", "gtsm: false"));
    expect(off.sessions.filter((s) => s.gtsm)).toEqual([]);
  });

  it("sums LAG members into the connection bandwidth", () => {
    expect(plan.metros[0].legs.map((l) => l.bandwidthMbps)).toEqual([200000, 200000]);
  });

  it("keeps documentation ranges out of the bogon list only where the stack allows them", () => {
    expect(plan.routers[0].imports.bogonsV4).not.toContain("192.0.2.0/24");
    const strict = planOf(
      edit(locked(), "sp.yaml", /^allowDocumentationRanges: true$/m, "allowDocumentationRanges: false"),
    );
    expect(strict.routers[0].imports.bogonsV4).toContain("192.0.2.0/24");
    expect(strict.routers[0].imports.bogonsV6).toContain("2001:db8::/32");
  });

  it("is deterministic", () => {
    expect(JSON.stringify(planOf(locked()))).toBe(JSON.stringify(plan));
  });
});

describe("address stability", () => {
  const addresses = (p: Plan) =>
    Object.fromEntries(p.metros.flatMap((m) => m.legs.map((l) => [l.id, [l.ipv4.prefix, l.ipv6.prefix]])));

  it("records every allocation in the lock and allocates nothing once locked", () => {
    // 10 session prefixes (london/b is pinned) and the homes of 3 prefixes and 1 origin ASN.
    expect(planOf(fresh()).newAllocations).toHaveLength(14);
    expect(planOf(locked()).newAllocations).toEqual([]);
  });

  it("does not move any address when a metro is added", () => {
    const before = addresses(planOf(locked()));
    const after = planOf(withMetro(locked(), "paris", PARIS));
    expect(addresses(after)).toMatchObject(before);
    expect(after.newAllocations).toEqual([
      "ipv4 paris/a 192.0.2.10/31",
      "ipv4 paris/b 192.0.2.12/31",
      "ipv6 paris/a 2001:db8:ffff::a/127",
      "ipv6 paris/b 2001:db8:ffff::c/127",
    ]);
  });

  it("does not move any address when a metro is removed, and keeps its prefixes reserved", () => {
    const before = addresses(planOf(locked()));
    // Amsterdam holds registrations: they move to London first (registerAt), as they must before it goes.
    const movedAway = registerAt(registerAt(locked(), "198.51.100.0/24", "london"), "2001:db8:1000::/48", "london");
    const withoutAms = planOf(withoutMetro(movedAway, "amsterdam"));
    const { ["amsterdam/a"]: _a, ["amsterdam/b"]: _b, ...others } = before;
    expect(addresses(withoutAms)).toEqual(others);
    expect(withoutAms.retiredAllocations).toEqual(["amsterdam/a", "amsterdam/b"]);
    expect(withoutAms.lock.ipv4["amsterdam/a"]).toBe("192.0.2.0/31");
    // A metro added afterwards does not get the retired metro's prefixes.
    const paris = planOf(
      withMetro(withLock(withoutMetro(movedAway, "amsterdam"), formatLock(withoutAms.lock)), "paris", PARIS),
    );
    expect(paris.metros.find((m) => m.id === "paris")?.legs.map((l) => l.ipv4.prefix)).toEqual([
      "192.0.2.10/31",
      "192.0.2.12/31",
    ]);
  });

  it("gives the same result whatever order the metros are planned in", () => {
    const files = withMetro(locked(), "paris", PARIS);
    const reversed = { ...files, metros: [...files.metros].reverse() };
    expect(addresses(planOf(reversed))).toEqual(addresses(planOf(files)));
  });
});

describe("plan problems", () => {
  it.each([
    [
      "a pinned prefix that overlaps another leg's",
      "metros/london.yaml",
      "ipv4: 192.0.2.62/31",
      "ipv4: 192.0.2.4/31",
      [
        `stacks/lab/metros/london.yaml:${lineOf("london.yaml", "ipv4: 192.0.2.62/31")} legs[1].sessionPrefixes.ipv4: 192.0.2.4/31 of london/b (pinned) overlaps 192.0.2.4/31 of frankfurt/a (stacks/lab/allocations.lock.yaml:${lineOf("allocations.lock.yaml", "frankfurt/a:")}). Fix: give every leg its own session prefix: remove the pin, or pin a free /31 or /127`,
      ],
    ],
    [
      "a pinned prefix that is not a /31",
      "metros/london.yaml",
      "ipv4: 192.0.2.62/31",
      "ipv4: 192.0.2.56/29",
      [
        `stacks/lab/metros/london.yaml:${lineOf("london.yaml", "ipv4: 192.0.2.62/31")} legs[1].sessionPrefixes.ipv4: 192.0.2.56/29 is a /29; a session prefix must be a /31 or /30. Fix: use a /31 as Microsoft asks`,
      ],
    ],
    [
      "a pinned prefix with host bits set",
      "metros/london.yaml",
      "ipv6: 2001:db8:ffff::fe/127",
      "ipv6: 2001:db8:ffff::ff/127",
      [
        `stacks/lab/metros/london.yaml:${lineOf("london.yaml", "ipv6: 2001:db8:ffff::fe/127")} legs[1].sessionPrefixes.ipv6: "2001:db8:ffff::ff/127" has host bits set. Fix: write the network address: 2001:db8:ffff::fe/127`,
      ],
    ],
    [
      "a router in two metros",
      "metros/london.yaml",
      "hostname: lon-edge-1",
      "hostname: ams-edge-1",
      [
        `stacks/lab/metros/london.yaml:${lineOf("london.yaml", "hostname: lon-edge-1")} legs[0].router.hostname: router ams-edge-1 is already a leg of metro amsterdam (stacks/lab/metros/amsterdam.yaml:${lineOf("amsterdam.yaml", "- name: a")}). Fix: a router sits in one metro: correct the hostname`,
      ],
    ],
    [
      "one router with two platforms",
      "metros/london.yaml",
      "      hostname: lon-edge-2\n      vendor: eos",
      "      hostname: lon-edge-1\n      vendor: eos",
      [
        `stacks/lab/metros/london.yaml:${lineOf("london.yaml", "vendor: eos")} legs[1].router.vendor: router lon-edge-1 is bird on leg a (line ${lineOf("london.yaml", "- name: a")}) but eos here. Fix: a router runs one platform: give both legs the same vendor`,
      ],
    ],
    [
      "a Linux interface name FRR cannot have",
      "metros/amsterdam.yaml",
      "{ interface: ens1f0, speedGbps: 100 }",
      "{ interface: enp129s0f0np0abc, speedGbps: 100 }",
      [
        `stacks/lab/metros/amsterdam.yaml:${lineOf("amsterdam.yaml", "interface: ens1f0")} legs[0].members[0].interface: "enp129s0f0np0abc" is not a valid Linux interface name (FRR runs on Linux: at most 15 characters, no "/"). Fix: use the kernel's interface name, e.g. bond-msft or ens1f0`,
      ],
    ],
    [
      "a Linux interface name BIRD's host cannot have",
      "metros/london.yaml",
      "{ interface: ens1f0, speedGbps: 100 }",
      "{ interface: ens1/0, speedGbps: 100 }",
      [
        `stacks/lab/metros/london.yaml:${lineOf("london.yaml", "interface: ens1f0")} legs[0].members[0].interface: "ens1/0" is not a valid Linux interface name (BIRD runs on Linux: at most 15 characters, no "/"). Fix: use the kernel's interface name, e.g. bond-msft or ens1f0`,
      ],
    ],
    [
      "a Junos bundle that is not an ae interface",
      "metros/frankfurt.yaml",
      "interface: ae0",
      "interface: Bundle-Ether1",
      [
        `stacks/lab/metros/frankfurt.yaml:${lineOf("frankfurt.yaml", "interface: ae0")} legs[0].interface: "Bundle-Ether1" is not a Junos aggregated Ethernet interface. Fix: name the LACP bundle ae<0-4091>, e.g. ae0`,
      ],
    ],
    [
      "a Junos ae index above the limit",
      "metros/frankfurt.yaml",
      "interface: ae0",
      "interface: ae4092",
      [
        `stacks/lab/metros/frankfurt.yaml:${lineOf("frankfurt.yaml", "interface: ae0")} legs[0].interface: "ae4092" is not a Junos aggregated Ethernet interface. Fix: name the LACP bundle ae<0-4091>, e.g. ae0`,
      ],
    ],
    [
      "a Junos member port written the IOS-XR way",
      "metros/frankfurt.yaml",
      "{ interface: et-0/0/4, speedGbps: 100 }",
      "{ interface: HundredGigE0/0/0/4, speedGbps: 100 }",
      [
        `stacks/lab/metros/frankfurt.yaml:${lineOf("frankfurt.yaml", "interface: et-0/0/4")} legs[0].members[0].interface: "HundredGigE0/0/0/4" is not a Junos Ethernet port name. Fix: write it as Junos does, e.g. et-0/0/0 (100G) or xe-1/0/3 (10G)`,
      ],
    ],
    [
      "an EOS bundle that is not a Port-Channel",
      "metros/london.yaml",
      "interface: Port-Channel1",
      "interface: Port-channel1",
      [
        `stacks/lab/metros/london.yaml:${lineOf("london.yaml", "interface: Port-Channel1")} legs[1].interface: "Port-channel1" is not an EOS port-channel interface. Fix: name the LACP bundle Port-Channel<1-2000>, e.g. Port-Channel1`,
      ],
    ],
    [
      "an EOS member port that is not an Ethernet",
      "metros/london.yaml",
      "{ interface: Ethernet2/1, speedGbps: 100 }",
      "{ interface: et-2/1, speedGbps: 100 }",
      [
        `stacks/lab/metros/london.yaml:${lineOf("london.yaml", "interface: Ethernet2/1")} legs[1].members[1].interface: "et-2/1" is not an EOS Ethernet port name. Fix: write it as EOS does, e.g. Ethernet1 or Ethernet3/1`,
      ],
    ],
    [
      "an IOS-XR bundle that is not a Bundle-Ether",
      "metros/amsterdam.yaml",
      "interface: Bundle-Ether100",
      "interface: Port-channel1",
      [
        `stacks/lab/metros/amsterdam.yaml:${lineOf("amsterdam.yaml", "interface: Bundle-Ether100")} legs[1].interface: "Port-channel1" is not an IOS-XR bundle interface. Fix: name the LACP bundle Bundle-Ether<1-65535>, e.g. Bundle-Ether100`,
      ],
    ],
    [
      "a registered prefix listed twice",
      "sp.yaml",
      "  - prefix: 203.0.113.0/24",
      "  - prefix: 198.51.100.0/24",
      [
        `stacks/lab/sp.yaml:${lineOf("sp.yaml", "- prefix: 203.0.113.0/24")} prefixes[1].prefix: 198.51.100.0/24 is listed twice (first at line ${lineOf("sp.yaml", "- prefix: 198.51.100.0/24")}). Fix: list each registered prefix once`,
      ],
    ],
    [
      "a region the SP does not serve",
      "metros/london.yaml",
      "region: europe-west",
      "region: europe-north",
      [
        `stacks/lab/metros/london.yaml:${lineOf("london.yaml", "region: europe-west")} region: "europe-north" is not a region the SP serves. Fix: use one of europe-west, or add it to \`regions\` in stacks/lab/sp.yaml`,
      ],
    ],
  ])("rejects %s", (_n, file, from, to, expected) => {
    expect(problemsOf(edit(locked(), file, from, to))).toEqual(expected);
  });

  it("reports an exhausted pool with the legs left without a prefix", () => {
    const files = edit(withMetro(fresh(), "paris", PARIS), "sp.yaml", "ipv4: 192.0.2.0/26", "ipv4: 192.0.2.0/29");
    expect(problemsOf(files)).toContain(
      `stacks/lab/sp.yaml:${lineOf("sp.yaml", "ipv4: 192.0.2.0/26")} sessionAddressPools.ipv4: pool 192.0.2.0/29 has no free /31 left for london/a, paris/a, paris/b. Fix: widen the pool (it must keep covering every allocated prefix) or pin sessionPrefixes on those legs`,
    );
  });

  it("asks for pinned prefixes when Microsoft assigns them", () => {
    const problems = problemsOf(
      edit(locked(), "sp.yaml", "sessionAddressProvider: Peer", "sessionAddressProvider: Microsoft"),
    );
    expect(problems).toHaveLength(5);
    expect(problems[0]).toBe(
      `stacks/lab/metros/amsterdam.yaml:${lineOf("amsterdam.yaml", "- name: a")} legs[0].sessionPrefixes: has no pinned session prefixes, and Microsoft assigns them (sessionAddressProvider: Microsoft); the leg is active, so its router config is rendered and needs them. ` +
        "Fix: copy the IPv4 and IPv6 session prefixes Microsoft assigned (its e-mail, or Azure portal, Peering, Connections) into `sessionPrefixes`; until Microsoft has assigned them the metro (or the leg) stays requested",
    );
  });
});
