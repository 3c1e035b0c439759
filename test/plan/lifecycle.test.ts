/**
 * The metro (and leg) lifecycle in the plan: what each state declares, renders, drains and holds,
 * what waits for what, and every transition the inventory cannot make, with its exact problem.
 */
import metroSchema from "../../schema/metro.schema.json";
import { LEG_STATES, LIFECYCLE, LIFECYCLE_STATES, legState, type LifecycleState } from "../../plan/lifecycle";
import { legsInOrder, type Plan } from "../../plan/model";
import { edit, inventoryOf, labFiles, lineOf, microsoftAssigned, planOf, problemsOf, withLock } from "../support/stack";

/** The lab with London in `status`, on a lock without registration homes (homes are chosen anew). */
const londonIs = (status: LifecycleState, files = labFiles()) =>
  edit(files, "metros/london.yaml", "status: active", `status: ${status}`);
const london = (p: Plan) => p.metros.find((m) => m.id === "london")!;

describe("the lifecycle table", () => {
  it("names the states the metro schema allows, in order, and the leg schema the same less maintenance", () => {
    expect(metroSchema.properties.status.enum).toEqual([...LIFECYCLE_STATES]);
    expect(metroSchema.properties.legs.items.properties.status.enum).toEqual([...LEG_STATES]);
    expect(LIFECYCLE_STATES.filter((s) => !(LEG_STATES as readonly string[]).includes(s))).toEqual(["maintenance"]);
  });

  it("says per state what is declared, rendered, drained, protected, retained and may hold registrations", () => {
    const row = (s: LifecycleState) => {
      const r = LIFECYCLE[s];
      return [
        r.declared,
        r.rendered,
        r.drained,
        r.hostsRegistrations,
        r.protect,
        r.retainOnDelete,
        r.inService,
        r.addressesOptional,
      ]
        .map((b) => (b ? "x" : "-"))
        .join("");
    };
    // declared, rendered, drained, registrations, protect, retainOnDelete, in service, addresses optional
    expect(Object.fromEntries(LIFECYCLE_STATES.map((s) => [s, row(s)]))).toEqual({
      planned: "-------x",
      requested: "x-----xx",
      provisioning: "xx--x-x-",
      active: "xx-xx-x-",
      maintenance: "xxxxx-x-",
      decommissioned: "xxx--x--",
    });
  });

  it.each<[LifecycleState, Parameters<typeof legState>[1], string]>([
    ["active", undefined, "active"],
    ["active", "requested", "requested"],
    ["active", "decommissioned", "decommissioned"],
    ["maintenance", undefined, "maintenance"],
    ["maintenance", "active", "maintenance"],
    ["maintenance", "provisioning", "provisioning"],
    ["provisioning", "requested", "requested"],
    ["requested", "planned", "planned"],
    ["decommissioned", undefined, "decommissioned"],
    ["decommissioned", "decommissioned", "decommissioned"],
  ])("puts a leg of a %s metro that says %s in state %s", (metro, leg, state) => {
    expect(legState(metro, leg)).toEqual({ state });
  });

  it.each<[LifecycleState, Parameters<typeof legState>[1], string]>([
    ["provisioning", "active", "is active, ahead of its metro, which is provisioning"],
    ["requested", "provisioning", "is provisioning, ahead of its metro, which is requested"],
    ["planned", "requested", "is requested, ahead of its metro, which is planned"],
    [
      "provisioning",
      "decommissioned",
      "is decommissioned, but its metro is provisioning: only a leg of an active metro is decommissioned on its own",
    ],
    ["decommissioned", "active", "is active, but its metro is decommissioned (every leg goes with it)"],
  ])("refuses a leg of a %s metro that says %s", (metro, leg, problem) => {
    expect(legState(metro, leg).problem).toBe(problem);
  });
});

describe("the plan of each state (London; the other metros active)", () => {
  it("planned: nothing declared, no router, no registration home, its addresses still allocated", () => {
    const p = planOf(londonIs("planned"));
    expect(london(p)).toMatchObject({ status: "planned", declared: false });
    expect(p.routers.filter((r) => r.metro.id === "london")).toEqual([]);
    expect(london(p).legs.map((l) => `${l.id} ${l.status} ${l.ipv4.prefix}`)).toEqual([
      "london/a planned 192.0.2.8/31",
      "london/b planned 192.0.2.62/31",
    ]);
    expect(p.waiting).toEqual([]);
  });

  it("requested: declared, no router config, waits for Microsoft's approval", () => {
    const p = planOf(londonIs("requested"));
    expect(london(p)).toMatchObject({ status: "requested", declared: true });
    expect(p.routers.filter((r) => r.metro.id === "london")).toEqual([]);
    expect(p.sessions.filter((s) => s.metro === "london")).toEqual([]);
    expect(p.waiting).toEqual([
      { subject: "metro london (requested)", waitsFor: "Microsoft's approval and LOA", next: LIFECYCLE.requested.next },
    ]);
  });

  it("provisioning: router configs, no registration, waits for Active", () => {
    const p = planOf(
      withLock(edit(labFiles(), "metros/amsterdam.yaml", "status: active", "status: provisioning"), undefined),
    );
    expect(p.routers.filter((r) => r.metro.id === "amsterdam").map((r) => r.hostname)).toEqual([
      "ams-edge-1",
      "ams-edge-2",
    ]);
    expect(p.registrations.map((r) => `${r.key} ${r.home ?? "-"}`)).toEqual([
      "198.51.100.0/24 frankfurt",
      "203.0.113.0/24 frankfurt",
      "2001:db8:1000::/48 frankfurt",
      "AS64501 frankfurt",
    ]);
    expect(p.waiting).toEqual([
      {
        subject: "metro amsterdam (provisioning)",
        waitsFor: "Microsoft to report the connections Active; no registration here until then",
        next: LIFECYCLE.provisioning.next,
      },
    ]);
  });

  it("active: everything rendered, nothing waits", () => {
    const p = planOf(labFiles());
    expect(p.metros.map((m) => `${m.id} ${m.status} ${m.declared}`)).toEqual([
      "amsterdam active true",
      "frankfurt active true",
      "london active true",
    ]);
    expect(p.sessions).toHaveLength(12);
    expect(p.sessions.filter((s) => s.drain)).toEqual([]);
    expect(p.waiting).toEqual([]);
  });

  it("maintenance: every leg and session drained, registrations stay", () => {
    const p = planOf(edit(labFiles(), "metros/amsterdam.yaml", "status: active", "status: maintenance"));
    expect(p.sessions.filter((s) => s.drain).map((s) => s.id)).toEqual([
      "amsterdam/a/ipv4",
      "amsterdam/a/ipv6",
      "amsterdam/b/ipv4",
      "amsterdam/b/ipv6",
    ]);
    expect(
      p.registrations.filter((r) => r.home === "amsterdam").map((r) => `${r.key} ${r.state} protect=${r.protect}`),
    ).toEqual(["198.51.100.0/24 registered protect=true", "2001:db8:1000::/48 registered protect=true"]);
  });

  it("decommissioned: legs drained, still rendered, registrations there unprotected, waits for Microsoft to deprovision", () => {
    const p = planOf(edit(labFiles(), "metros/frankfurt.yaml", "status: active", "status: decommissioned"));
    expect(p.sessions.filter((s) => s.metro === "frankfurt").every((s) => s.drain)).toBe(true);
    expect(
      p.registrations.filter((r) => r.home === "frankfurt").map((r) => `${r.key} protect=${r.protect}: ${r.reason}`),
    ).toEqual([
      "203.0.113.0/24 protect=false: pinned home frankfurt is being decommissioned: move it (registerAt)",
      "AS64501 protect=false: pinned home frankfurt is being decommissioned: move it (registerAt)",
    ]);
    expect(p.waiting).toEqual([
      {
        subject: "metro frankfurt (decommissioned)",
        waitsFor: "Microsoft to deprovision it (peering@microsoft.com)",
        next: LIFECYCLE.decommissioned.next,
      },
    ]);
  });

  it("a leg requested for an active metro: declared, not rendered, its router without it", () => {
    const third = edit(
      labFiles(),
      "metros/london.yaml",
      /$/,
      "  - name: c\n    status: requested\n    router: { hostname: lon-edge-3, vendor: frr }\n    interface: bond-msft\n    members: [{ interface: ens1f0, speedGbps: 100 }, { interface: ens1f1, speedGbps: 100 }]\n",
    );
    const p = planOf(third);
    expect(legsInOrder(london(p)).map((l) => `${l.name} ${l.status}`)).toEqual(["a active", "b active", "c requested"]);
    expect(p.routers.filter((r) => r.metro.id === "london").map((r) => r.hostname)).toEqual([
      "lon-edge-1",
      "lon-edge-2",
    ]);
    expect(p.waiting).toEqual([
      {
        subject: "metro london leg c (requested)",
        waitsFor: "Microsoft's approval and LOA; no router config until then",
        next: LIFECYCLE.requested.next,
      },
    ]);
  });
});

describe("Microsoft-assigned session addresses", () => {
  /** Microsoft assigns the addresses; Amsterdam and Frankfurt pin theirs, London's legs pin none. */
  const microsoft = (status: LifecycleState) => microsoftAssigned(londonIs(status));

  it("lets a requested metro's legs wait for them, with no router config and nothing allocated from the pool", () => {
    const p = planOf(microsoft("requested"));
    expect(london(p).legs).toEqual([]);
    expect(london(p).legsAwaitingAddresses.map((l) => `${l.id} ${l.status}`)).toEqual([
      "london/a requested",
      "london/b requested",
    ]);
    expect(p.newAllocations.filter((a) => a.includes("london"))).toEqual([]);
    expect(p.waiting).toContainEqual({
      subject: "metro london leg a, leg b",
      waitsFor: "Microsoft's session addresses (sessionAddressProvider: Microsoft); no router config until then",
      next: "copy the prefixes Microsoft assigns into sessionPrefixes in stacks/lab/metros/london.yaml",
    });
  });

  it("asks for them once the metro is provisioning", () => {
    const files = microsoft("provisioning");
    expect(problemsOf(files)).toEqual(
      ["a", "b"].map(
        (leg, i) =>
          `stacks/lab/metros/london.yaml:${lineOf("london.yaml", `- name: ${leg}`, files)} legs[${i}].sessionPrefixes: has no pinned session prefixes, and Microsoft assigns them (sessionAddressProvider: Microsoft); the leg is provisioning, so its router config is rendered and needs them. ` +
          "Fix: copy the IPv4 and IPv6 session prefixes Microsoft assigned (its e-mail, or Azure portal, Peering, Connections) into `sessionPrefixes`; until Microsoft has assigned them the metro (or the leg) stays requested",
      ),
    );
  });
});

describe("the PeerAsn first", () => {
  const pending = (files = labFiles()) =>
    edit(files, "sp.yaml", "validationState: Approved", "validationState: Pending");

  it("refuses a metro past requested while the PeerAsn is not approved, naming the fix", () => {
    const files = pending();
    expect(problemsOf(files)).toEqual(
      ["amsterdam", "frankfurt", "london"].map(
        (m) =>
          `stacks/lab/metros/${m}.yaml:${lineOf(`${m}.yaml`, "status: active", files)} status: is active, but stacks/lab/sp.yaml does not record the PeerAsn as approved (peerAsn.validationState: Pending); Microsoft takes peering requests only for an approved PeerAsn. ` +
          "Fix: set `peerAsn: { validationState: Approved }` in stacks/lab/sp.yaml once Azure shows the PeerAsn Approved (a metro this far along implies it is)",
      ),
    );
  });

  it("lets requested metros wait for it: none declared", () => {
    const files = ["amsterdam", "frankfurt", "london"].reduce(
      (f, m) => edit(f, `metros/${m}.yaml`, "status: active", "status: requested"),
      pending(withLock(labFiles(), undefined)),
    );
    const p = planOf(files);
    expect(p.sp).toMatchObject({ peerAsnValidationState: "Pending", peerAsnApproved: false });
    expect(p.metros.map((m) => m.declared)).toEqual([false, false, false]);
    expect(p.registrations.map((r) => r.state)).toEqual(["waiting", "waiting", "waiting", "waiting"]);
    expect(p.waiting[0].subject).toBe("the PeerAsn AS64500 (Pending)");
  });

  it("reads a stack that does not say as Pending", () => {
    const files = edit(labFiles(), "sp.yaml", "peerAsn:\n  validationState: Approved\n", "");
    expect(inventoryOf(files).sp.peerAsnValidationState).toBe("Pending");
  });
});

describe("lifecycle problems", () => {
  it.each([
    [
      "a leg ahead of its metro",
      "provisioning",
      "active",
      "leg b is active, ahead of its metro, which is provisioning",
    ],
    [
      "a leg decommissioned in a requested metro",
      "requested",
      "decommissioned",
      "leg b is decommissioned, but its metro is requested: only a leg of an active metro is decommissioned on its own",
    ],
    [
      "a leg left behind by a decommissioned metro",
      "decommissioned",
      "active",
      "leg b is active, but its metro is decommissioned (every leg goes with it)",
    ],
  ])("refuses %s", (_name, metro, leg, expected) => {
    const files = edit(
      londonIs(metro as LifecycleState),
      "metros/london.yaml",
      "  - name: b\n",
      `  - name: b\n    status: ${leg}\n`,
    );
    expect(problemsOf(files)).toEqual([
      `stacks/lab/metros/london.yaml:${lineOf("london.yaml", "- name: b", files) + 1} legs[1].status: ${expected}. Fix: a leg moves through the lifecycle with its metro: correct the leg's or the metro's status (README, Metro lifecycle)`,
    ]);
  });

  it("refuses a LAG of mixed port speeds", () => {
    const files = edit(
      labFiles(),
      "metros/amsterdam.yaml",
      "{ interface: ens1f1, speedGbps: 100 }",
      "{ interface: ens1f1, speedGbps: 10 }",
    );
    expect(problemsOf(files)).toEqual([
      `stacks/lab/metros/amsterdam.yaml:${lineOf("amsterdam.yaml", "interface: ens1f1")} legs[0].members[1].speedGbps: the LAG mixes 100G and 10G ports; LACP bundles ports of one speed. Fix: give every member port the same speedGbps`,
    ]);
  });
});
