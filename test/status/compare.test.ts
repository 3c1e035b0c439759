/**
 * Azure against the inventory (status/compare.ts), without HTTP: the lab stack (or the onboarding
 * fixture) in a lifecycle state, Azure as Microsoft would report it (test/support/armWorld.ts) with
 * one thing changed, and the exact findings and next steps that follow. One row per lifecycle
 * state and step of Microsoft's onboarding, and one per disagreement.
 */
import type { StackFiles } from "../../load/load";
import { readStackFiles } from "../../load/files";
import type { LifecycleState } from "../../plan/lifecycle";
import type { Plan } from "../../plan/model";
import { compareWithAzure, type StatusReport } from "../../status/compare";
import { ONBOARDING_ROOT, onboardingWorld } from "../support/armScenarios";
import {
  azureAsPlanned,
  connectionOf,
  peeringOf,
  registeredPrefixOf,
  snapshotOf,
  type WorldOptions,
} from "../support/armWorld";
import type { ArmWorld } from "../support/fakeArm";
import { edit, inventoryOf, labFiles, lineOf, planOf, registerAt } from "../support/stack";

type Mutate = (world: ArmWorld, plan: Plan) => void;

function status(files: StackFiles, mutate?: Mutate, options?: WorldOptions): StatusReport {
  const plan = planOf(files);
  const world = azureAsPlanned(plan, options);
  mutate?.(world, plan);
  return compareWithAzure(plan, inventoryOf(files), snapshotOf(world, plan.sp.resourceGroup));
}

/** `severity subject: observed`, in the report's order (problems first). */
const findings = (r: StatusReport) => r.findings.map((f) => `${f.severity} ${f.subject}: ${f.observed}`);

const londonIs = (s: LifecycleState, files = labFiles()) =>
  edit(files, "metros/london.yaml", "status: active", `status: ${s}`);
const withoutPeering =
  (metro: string): Mutate =>
  (w) => {
    for (const g of Object.values(w.resourceGroups))
      g.peerings = g.peerings.filter((e) => !e.resource.name.endsWith(`-${metro}`));
  };
/** The lab before the PeerAsn is approved: every metro requested, no registration home yet. */
const beforeApproval = () =>
  edit(
    ["amsterdam", "frankfurt", "london"].reduce(
      (f, m) => edit(f, `metros/${m}.yaml`, "status: active", "status: requested"),
      edit(labFiles(), "sp.yaml", "validationState: Approved", "validationState: Pending"),
    ),
    "allocations.lock.yaml",
    /registeredPrefixes:[\s\S]*/,
    "",
  );
const onboardingFiles = () => readStackFiles("onboarding", ONBOARDING_ROOT);

describe("in sync", () => {
  it("the lab stack as planned: nothing to report, exit 0", () => {
    const r = status(labFiles());
    expect(r.findings).toEqual([]);
    expect(r.inSync).toBe(true);
    expect(r.metros.map((m) => `${m.id} ${m.severity}: ${m.next}`)).toEqual([
      "amsterdam ok: nothing to do now (later: set status: maintenance (drains every leg) before work, decommissioned to leave the metro)",
      "frankfurt ok: nothing to do now (later: set status: maintenance (drains every leg) before work, decommissioned to leave the metro)",
      "london ok: nothing to do now (later: set status: maintenance (drains every leg) before work, decommissioned to leave the metro)",
    ]);
    expect(
      r.registrations.map(
        (x) =>
          `${x.key} ${x.home} ${x.azure.map((a) => `${a.metro} ${a.validationState ?? a.provisioningState}`).join()} ${x.severity}`,
      ),
    ).toEqual([
      "198.51.100.0/24 amsterdam amsterdam Verified ok",
      "203.0.113.0/24 frankfurt frankfurt Verified ok",
      "2001:db8:1000::/48 amsterdam amsterdam Verified ok",
      "AS64501 frankfurt frankfurt Succeeded ok",
    ]);
    expect(
      r.metros.flatMap((m) =>
        m.legs.map((l) => `${l.id} ${l.azure?.state} ${l.azure?.ipv4.state} ${l.azure?.ipv6.state} ${l.severity}`),
      ),
    ).toEqual([
      "amsterdam/a Active Established Established ok",
      "amsterdam/b Active Established Established ok",
      "frankfurt/a Active Established Established ok",
      "frankfurt/b Active Established Established ok",
      "london/a Active Established Established ok",
      "london/b Active Established Established ok",
    ]);
  });
});

describe("every lifecycle state against each step of Microsoft's onboarding (London)", () => {
  it.each<[string, StackFiles, Mutate | undefined, WorldOptions | undefined, string[], boolean]>([
    ["planned, nothing in Azure", londonIs("planned"), undefined, undefined, [], true],
    [
      "planned, but Azure has the request",
      londonIs("planned"),
      undefined,
      { extraPeerings: ["london"] },
      ["drift london: Azure has peering maps-as64500-london (2 connections, PendingApproval); the metro is planned"],
      false,
    ],
    [
      "requested, PendingApproval",
      londonIs("requested"),
      undefined,
      undefined,
      ["waiting london/a: connection PendingApproval", "waiting london/b: connection PendingApproval"],
      true,
    ],
    [
      "requested, Approved",
      londonIs("requested"),
      undefined,
      { stages: { london: "approved" } },
      ["waiting london/a: connection Approved", "waiting london/b: connection Approved"],
      true,
    ],
    [
      "requested, one leg ProvisioningStarted, the other still PendingApproval",
      londonIs("requested"),
      undefined,
      { stages: { "london/a": "provisioning" } },
      [
        "waiting london/a: connection ProvisioningStarted; the leg is requested",
        "waiting london/b: connection PendingApproval",
      ],
      true,
    ],
    [
      "requested, ProvisioningStarted: move on to provisioning",
      londonIs("requested"),
      undefined,
      { stages: { london: "provisioning" } },
      [
        "drift london: Microsoft approved the request and started provisioning (ProvisioningStarted); the inventory says requested",
      ],
      false,
    ],
    [
      "provisioning, ProvisioningStarted",
      londonIs("provisioning"),
      undefined,
      undefined,
      ["waiting london/a: connection ProvisioningStarted", "waiting london/b: connection ProvisioningStarted"],
      true,
    ],
    [
      "provisioning, Validating",
      londonIs("provisioning"),
      undefined,
      { stages: { london: "validating" } },
      ["waiting london/a: connection Validating", "waiting london/b: connection Validating"],
      true,
    ],
    [
      "provisioning, still PendingApproval: the inventory is ahead",
      londonIs("provisioning"),
      undefined,
      { stages: { london: "pending" } },
      [
        "drift london/a: connection PendingApproval: Microsoft has not approved the request, but the leg is provisioning",
        "drift london/b: connection PendingApproval: Microsoft has not approved the request, but the leg is provisioning",
      ],
      false,
    ],
    [
      "provisioning, Active: move on to active",
      londonIs("provisioning"),
      undefined,
      { stages: { london: "active" } },
      ["drift london: connections Active (the inventory says provisioning)"],
      false,
    ],
    [
      "provisioning, ProvisioningFailed",
      londonIs("provisioning"),
      (w, p) => {
        const c = connectionOf(w, p, "london/b");
        c.connectionState = "ProvisioningFailed";
        c.errorMessage = "The LOA has expired";
      },
      undefined,
      [
        "problem london/b: connection ProvisioningFailed: The LOA has expired",
        "waiting london/a: connection ProvisioningStarted",
      ],
      false,
    ],
    ["active, Active", labFiles(), undefined, undefined, [], true],
    [
      "active, one connection Validating again",
      labFiles(),
      undefined,
      { stages: { "london/b": "validating" } },
      ["problem london/b: connection Validating, but the leg is active"],
      false,
    ],
    [
      "active, a state this tool does not know",
      labFiles(),
      (w, p) => (connectionOf(w, p, "london/b").connectionState = "Quarantined"),
      undefined,
      ["problem london/b: connection Quarantined, but the leg is active"],
      false,
    ],
    [
      "active, an IPv6 session down",
      labFiles(),
      (w, p) => (connectionOf(w, p, "london/a").bgpSession!.sessionStateV6 = "Idle"),
      undefined,
      ["problem london/a: IPv6 session Idle on an active leg"],
      false,
    ],
    [
      "active, Microsoft applying a session change",
      labFiles(),
      (w, p) => (connectionOf(w, p, "london/a").bgpSession!.sessionStateV4 = "PendingUpdate"),
      undefined,
      ["waiting london/a: IPv4 session PendingUpdate"],
      true,
    ],
    [
      "maintenance, a session down during the work",
      londonIs("maintenance"),
      (w, p) => (connectionOf(w, p, "london/a").bgpSession!.sessionStateV6 = "Idle"),
      undefined,
      ["waiting london/a: IPv6 session Idle (maintenance)"],
      true,
    ],
    [
      "decommissioned, still Active (Microsoft has yet to deprovision it)",
      londonIs("decommissioned"),
      undefined,
      undefined,
      [
        "waiting london/a: connection Active: not deprovisioned yet",
        "waiting london/b: connection Active: not deprovisioned yet",
      ],
      true,
    ],
    [
      "decommissioned, sessions PendingRemove",
      londonIs("decommissioned"),
      (w, p) => (connectionOf(w, p, "london/a").bgpSession!.sessionStateV4 = "PendingRemove"),
      undefined,
      [
        "waiting london/a: connection Active, sessions PendingRemove: not deprovisioned yet",
        "waiting london/b: connection Active: not deprovisioned yet",
      ],
      true,
    ],
    [
      "decommissioned, and Microsoft has deprovisioned it",
      londonIs("decommissioned"),
      withoutPeering("london"),
      undefined,
      ["drift london: peering maps-as64500-london is gone from Azure: Microsoft has deprovisioned it"],
      false,
    ],
  ])("%s", (_, files, mutate, options, expected, inSync) => {
    const r = status(files, mutate, options);
    expect(findings(r)).toEqual(expected);
    expect(r.inSync).toBe(inSync);
  });

  it("a leg with its own state (a third leg requested at an active metro) moves on by itself", () => {
    const files = edit(
      labFiles(),
      "metros/london.yaml",
      "      ipv6: 2001:db8:ffff::fe/127\n",
      "      ipv6: 2001:db8:ffff::fe/127\n  - name: c\n    status: requested\n    router: { hostname: lon-edge-3, vendor: frr }\n    interface: bond-msft\n    members: [{ interface: ens1f0, speedGbps: 100 }, { interface: ens1f1, speedGbps: 100 }]\n",
    );
    const r = status(files, undefined, { stages: { "london/c": "provisioning" } });
    expect(r.findings.map((f) => [f.severity, f.subject, f.observed, f.next, f.edit])).toEqual([
      [
        "drift",
        "london/c",
        "connection ProvisioningStarted; the leg is requested",
        "set `status: provisioning` for leg c in stacks/lab/metros/london.yaml and merge: its router config is rendered; wire the cross-connect to the LOA",
        {
          file: "stacks/lab/metros/london.yaml",
          line: lineOf("london.yaml", "status: requested", files),
          action: "replace",
          text: "status: provisioning",
        },
      ],
    ]);
  });
});

describe("the issue's next steps, on the onboarding fixture", () => {
  const r = (() => {
    const files = onboardingFiles();
    const plan = planOf(files);
    return compareWithAzure(plan, inventoryOf(files), snapshotOf(onboardingWorld(plan), plan.sp.resourceGroup));
  })();

  it("frankfurt: connections Active, set `status: active` and merge to register prefixes", () => {
    const frankfurt = r.metros.find((m) => m.id === "frankfurt")!;
    expect(frankfurt.next).toBe(
      "connections Active (the inventory says provisioning): set `status: active` in stacks/onboarding/metros/frankfurt.yaml and merge to register prefixes",
    );
    expect(r.findings.find((f) => f.subject === "frankfurt")?.edit).toEqual({
      file: "stacks/onboarding/metros/frankfurt.yaml",
      line: 9,
      action: "replace",
      text: "status: active",
    });
  });

  it("london/b: Microsoft assigned 192.0.2.62/31 (and 2001:db8:ffff::fe/127), pin them", () => {
    const pin = r.findings.find((f) => f.subject === "london/b" && f.severity === "drift")!;
    expect(pin.observed).toBe(
      "Microsoft assigned 192.0.2.62/31 and 2001:db8:ffff::fe/127 (Microsoft 192.0.2.62 and 2001:db8:ffff::fe)",
    );
    expect(pin.next).toBe(
      "pin them in stacks/onboarding/metros/london.yaml and merge; the leg's router config is rendered once it is provisioning",
    );
    expect(pin.edit).toEqual({
      file: "stacks/onboarding/metros/london.yaml",
      line: 20,
      action: "add",
      at: "legs[1] (leg b)",
      text: 'sessionPrefixes: { ipv4: 192.0.2.62/31, ipv6: "2001:db8:ffff::fe/127" }',
    });
  });

  it("and the rest waits: London's approval, a prefix Microsoft validates, registrations waiting for Frankfurt", () => {
    expect(findings(r)).toEqual([
      "drift frankfurt: connections Active (the inventory says provisioning)",
      "drift london/b: Microsoft assigned 192.0.2.62/31 and 2001:db8:ffff::fe/127 (Microsoft 192.0.2.62 and 2001:db8:ffff::fe)",
      "waiting london/a: connection PendingApproval",
      "waiting london/b: connection Approved",
      "waiting 203.0.113.0/24: not registered; the plan waits for frankfurt (registerAt) to be active",
      "waiting 2001:db8:1000::/48: validation Pending",
      "waiting AS64501: not registered; the plan waits for the registration of its prefix 203.0.113.0/24",
    ]);
    expect(r.inSync).toBe(false);
  });
});

describe("session addresses", () => {
  it.each<[string, Mutate, string[]]>([
    [
      "Microsoft has approved but not assigned them yet",
      (w, p) => (connectionOf(w, p, "london/b").connectionState = "Approved"),
      ["waiting london/b: Microsoft has not assigned the session addresses yet"],
    ],
    [
      "Microsoft took the higher address of the /31: pin, but confirm the ends first",
      (w, p) =>
        Object.assign(connectionOf(w, p, "london/b").bgpSession!, {
          microsoftSessionIPv4Address: "192.0.2.63",
          peerSessionIPv4Address: "192.0.2.62",
          microsoftSessionIPv6Address: "2001:db8:ffff::fe",
          peerSessionIPv6Address: "2001:db8:ffff::ff",
        }),
      [
        "problem london/b: Microsoft assigned 192.0.2.62/31 and 2001:db8:ffff::fe/127 (Microsoft 192.0.2.63 and 2001:db8:ffff::fe)",
      ],
    ],
    [
      "only the addresses, no prefix: the /31 and /127 that hold both ends",
      (w, p) =>
        Object.assign(connectionOf(w, p, "london/b").bgpSession!, {
          microsoftSessionIPv4Address: "192.0.2.62",
          peerSessionIPv4Address: "192.0.2.63",
          microsoftSessionIPv6Address: "2001:DB8:FFFF::FE",
          peerSessionIPv6Address: "2001:db8:ffff::ff",
        }),
      [
        "drift london/b: Microsoft assigned 192.0.2.62/31 and 2001:db8:ffff::fe/127 (Microsoft 192.0.2.62 and 2001:db8:ffff::fe)",
      ],
    ],
  ])("a leg waiting for Microsoft's addresses: %s", (_, mutate, expected) => {
    const r = status(onboardingFiles(), (w, p) => {
      connectionOf(w, p, "london/a").connectionState = "PendingApproval";
      connectionOf(w, p, "london/b").connectionState = "Approved";
      mutate(w, p);
    });
    expect(findings(r).filter((f) => f.includes("london/b") && !f.includes("connection Approved"))).toEqual(expected);
  });

  it.each<[string, StackFiles, Mutate, string[]]>([
    [
      "the SP's own addresses: Azure holds another prefix (pulumi up sends the plan's)",
      labFiles(),
      (w, p) => (connectionOf(w, p, "london/a").bgpSession!.sessionPrefixV4 = "192.0.2.10/31"),
      ["drift london/a: Azure holds IPv4 192.0.2.10/31; the plan says 192.0.2.8/31"],
    ],
    [
      "the SP's own addresses, written the way Azure may write them: the same",
      labFiles(),
      (w, p) =>
        Object.assign(connectionOf(w, p, "london/b").bgpSession!, {
          sessionPrefixV6: "2001:DB8:FFFF::FE/127",
          microsoftSessionIPv6Address: "2001:db8:ffff:0:0:0:0:fe",
        }),
      [],
    ],
    [
      "Azure gives Microsoft the other end of the /31",
      labFiles(),
      (w, p) =>
        Object.assign(connectionOf(w, p, "london/a").bgpSession!, {
          microsoftSessionIPv4Address: "192.0.2.9",
          peerSessionIPv4Address: "192.0.2.8",
        }),
      [
        "problem london/a: Azure gives Microsoft IPv4 192.0.2.9; the plan gives Microsoft 192.0.2.8 and the router 192.0.2.9 (README, Session addressing)",
      ],
    ],
    [
      "a pinned leg whose pin is not what Microsoft assigned",
      onboardingFiles(),
      (w, p) => (connectionOf(w, p, "amsterdam/a").bgpSession!.sessionPrefixV4 = "192.0.2.40/31"),
      ["drift amsterdam/a: Azure holds IPv4 192.0.2.40/31; the pin says 192.0.2.0/31"],
    ],
  ])("%s", (_, files, mutate, expected) => {
    const r = status(files, mutate);
    expect(findings(r).filter((f) => !f.startsWith("waiting") && !f.startsWith("drift frankfurt"))).toEqual(expected);
  });

  it("the pin of a pinned leg is replaced on its own line", () => {
    const files = onboardingFiles();
    const r = status(
      files,
      (w, p) => (connectionOf(w, p, "amsterdam/a").bgpSession!.sessionPrefixV4 = "192.0.2.40/31"),
    );
    expect(r.findings.find((f) => f.subject === "amsterdam/a")?.edit).toEqual({
      file: "stacks/onboarding/metros/amsterdam.yaml",
      line: 13,
      action: "replace",
      text: "ipv4: 192.0.2.40/31",
    });
  });
});

describe("peerings and connections that disagree", () => {
  it.each<[string, Mutate, string[]]>([
    [
      "no peering for an active metro",
      withoutPeering("london"),
      ["drift london: no peering maps-as64500-london in resource group rg-maps-lab; the metro is active"],
    ],
    [
      "a leg without its connection",
      (w) => peeringOf(w, "london").resource.properties.direct!.connections.pop(),
      ["drift london/b: no connection in Azure for leg b (active)"],
    ],
    [
      "a connection no leg declares",
      (w) => {
        const d = peeringOf(w, "london").resource.properties.direct!;
        d.connections.push({
          ...d.connections[0],
          connectionIdentifier: "4E2F0C1A-0000-0000-0000-000000000003",
          connectionState: "PendingApproval",
        });
      },
      [
        "drift london: Azure has connection #3 (4E2F0C1A-0000-0000-0000-000000000003, PendingApproval) that no leg of stacks/lab/metros/london.yaml declares",
      ],
    ],
    [
      "provisioned bandwidth short of the LAG",
      (w, p) => (connectionOf(w, p, "london/b").provisionedBandwidthInMbps = 100000),
      ["problem london/b: Microsoft provisioned 100000 of 200000 Mbps"],
    ],
    [
      "requested bandwidth other than the LAG",
      (w, p) => (connectionOf(w, p, "london/b").bandwidthInMbps = 100000),
      ["drift london/b: Azure has 100000 Mbps requested; the LAG is 2x100G = 200000 Mbps"],
    ],
    [
      "an MD5 key the inventory does not name",
      (w, p) => (connectionOf(w, p, "london/a").bgpSession!.md5AuthenticationKey = "not-in-the-inventory"),
      ["drift london/a: Azure holds an MD5 key for the session; the inventory names none"],
    ],
    [
      "a connection not used for Peering Service",
      (w, p) => (connectionOf(w, p, "london/a").useForPeeringService = false),
      ["drift london/a: the connection is not used for Peering Service (useForPeeringService false)"],
    ],
    [
      "the peering's provisioning failed",
      (w) => (peeringOf(w, "london").resource.properties.provisioningState = "Failed"),
      ["problem london: peering maps-as64500-london: provisioningState Failed"],
    ],
    [
      "the wrong SKU",
      (w) => (peeringOf(w, "london").resource.sku.name = "Basic_Direct_Free"),
      ["drift london: peering maps-as64500-london has SKU Basic_Direct_Free, not Premium_Direct_Free"],
    ],
    [
      "a peering of ours whose metro file is gone, and one of somebody else's",
      (w) => {
        const g = w.resourceGroups["rg-maps-lab"];
        const paris = structuredClone(peeringOf(w, "london"));
        paris.resource.name = "maps-as64500-paris";
        paris.resource.tags = { ...paris.resource.tags, metro: "paris" };
        const other = structuredClone(peeringOf(w, "london"));
        other.resource.name = "transit-peering";
        other.resource.tags = {};
        g.peerings.push(paris, other);
      },
      [
        "drift paris: Azure has peering maps-as64500-paris (tagged metro paris), which no metro file of the stack declares",
      ],
    ],
  ])("%s", (_, mutate, expected) => {
    const r = status(labFiles(), mutate);
    expect(findings(r)).toEqual(expected);
    expect(r.inSync).toBe(false);
  });

  it("lists other peerings of the resource group without judging them", () => {
    const r = status(labFiles(), (w) => {
      const other = structuredClone(peeringOf(w, "london"));
      other.resource.name = "transit-peering";
      other.resource.tags = {};
      w.resourceGroups["rg-maps-lab"].peerings.push(other);
    });
    expect([r.otherPeerings, r.findings, r.inSync]).toEqual([["transit-peering"], [], true]);
  });
});

describe("the PeerAsn", () => {
  it.each<[string, StackFiles, Mutate | undefined, WorldOptions | undefined, string[]]>([
    [
      "Pending in Azure and in the inventory: nothing declared, everything waits",
      beforeApproval(),
      undefined,
      undefined,
      [
        "waiting PeerAsn AS64500: validationState Pending in Azure and in the inventory",
        "waiting amsterdam: requested, not declared yet: the inventory records the PeerAsn as Pending",
        "waiting frankfurt: requested, not declared yet: the inventory records the PeerAsn as Pending",
        "waiting london: requested, not declared yet: the inventory records the PeerAsn as Pending",
        "waiting 198.51.100.0/24: not registered; the plan waits for an active metro in region europe-west",
        "waiting 203.0.113.0/24: not registered; the plan waits for frankfurt (registerAt) to be active",
        "waiting 2001:db8:1000::/48: not registered; the plan waits for an active metro in region europe-west",
        "waiting AS64501: not registered; the plan waits for the registration of its prefix 203.0.113.0/24",
      ],
    ],
    [
      "Approved in Azure, Pending in the inventory: record it",
      beforeApproval(),
      undefined,
      { peerAsnState: "Approved" },
      ["drift PeerAsn AS64500: Microsoft approved the PeerAsn (validationState Approved); the inventory says Pending"],
    ],
    [
      "Failed in Azure",
      labFiles(),
      (w) =>
        Object.assign(w.peerAsns[0].properties, {
          validationState: "Failed",
          errorMessage: "ASN 64500 has no PeeringDB record",
        }),
      undefined,
      [
        "problem PeerAsn AS64500: Microsoft refused the PeerAsn (validationState Failed: ASN 64500 has no PeeringDB record)",
      ],
    ],
    [
      "not in Azure",
      labFiles(),
      (w) => (w.peerAsns = []),
      undefined,
      [
        "drift PeerAsn AS64500: no PeerAsn for AS64500 in subscription 00000000-0000-0000-0000-0000000000aa; the inventory says Approved",
      ],
    ],
    [
      "a name and contacts Azure has otherwise (a PeerAsn cannot be modified)",
      labFiles(),
      (w) => {
        w.peerAsns[0].properties.peerName = "Example Networks";
        w.peerAsns[0].properties.peerContactDetail.pop();
      },
      undefined,
      [
        'drift PeerAsn AS64500: peerName in Azure is "Example Networks"; stacks/lab/sp.yaml says "Example Networks Lab"',
        "drift PeerAsn AS64500: contacts in Azure (Noc noc@example.net +1 555 0100) differ from stacks/lab/sp.yaml (Noc noc@example.net +1 555 0100; Technical peering@example.net)",
      ],
    ],
  ])("%s", (_, files, mutate, options, expected) => {
    const r = status(files, mutate, options);
    expect(findings(r).filter((f) => !(options?.peerAsnState && f.startsWith("waiting")))).toEqual(expected);
  });

  it("Approved in Azure: the line to write, and the metros say what they wait for", () => {
    const r = status(beforeApproval(), undefined, { peerAsnState: "Approved" });
    expect(r.findings[0].edit).toEqual({
      file: "stacks/lab/sp.yaml",
      line: 11,
      action: "replace",
      text: "validationState: Approved",
    });
    expect(r.findings.find((f) => f.subject === "london")?.next).toBe(
      "its Peering is declared once stacks/lab/sp.yaml records the PeerAsn Approved (see PeerAsn AS64500)",
    );
  });
});

describe("registrations", () => {
  it.each<[string, StackFiles, Mutate, string[]]>([
    [
      "Pending and Failed validation, with Microsoft's error",
      labFiles(),
      (w) => {
        registeredPrefixOf(w, "198.51.100.0/24").r.properties.prefixValidationState = "Pending";
        Object.assign(registeredPrefixOf(w, "2001:db8:1000::/48").r.properties, {
          prefixValidationState: "Failed",
          errorMessage: "Origin AS64500 not found in any IRR",
        });
      },
      [
        "problem 2001:db8:1000::/48: validation Failed: Origin AS64500 not found in any IRR",
        "waiting 198.51.100.0/24: validation Pending",
      ],
    ],
    [
      "Warning",
      labFiles(),
      (w) =>
        Object.assign(registeredPrefixOf(w, "203.0.113.0/24").r.properties, {
          prefixValidationState: "Warning",
          errorMessage: "Prefix not announced on all sessions",
        }),
      ["problem 203.0.113.0/24: validation Warning: Prefix not announced on all sessions"],
    ],
    [
      "registered twice, registered elsewhere, not registered, and one the inventory does not list",
      labFiles(),
      (w) => {
        const ams = peeringOf(w, "amsterdam");
        const fra = peeringOf(w, "frankfurt");
        peeringOf(w, "london").registeredPrefixes.push(ams.registeredPrefixes.splice(0, 1)[0]);
        const six = ams.registeredPrefixes[0];
        fra.registeredPrefixes.push(structuredClone(six));
        fra.registeredAsns = [];
        ams.registeredPrefixes.push({
          ...six,
          name: "192-0-2-0-24-as64500",
          properties: { ...six.properties, prefix: "192.0.2.0/24" },
        });
      },
      [
        "problem 2001:db8:1000::/48: registered on 2 peerings (amsterdam, frankfurt); Microsoft allows one",
        "drift 198.51.100.0/24: registered at london in Azure; the inventory's home is amsterdam",
        "drift AS64501: not registered in Azure; its home is frankfurt",
        "drift 192.0.2.0/24: registered in Azure at amsterdam; stacks/lab/sp.yaml does not list it",
      ],
    ],
    [
      "a registered ASN whose provisioning failed",
      labFiles(),
      (w) => (peeringOf(w, "frankfurt").registeredAsns[0].properties.provisioningState = "Failed"),
      ["problem AS64501: registration at frankfurt: provisioningState Failed"],
    ],
    [
      "moving (registerAt london), and registered nowhere",
      registerAt(labFiles(), "198.51.100.0/24", "london"),
      (w) => (peeringOf(w, "london").registeredPrefixes = []),
      ["drift 198.51.100.0/24: not registered in Azure; its home is london (moving from amsterdam)"],
    ],
  ])("%s", (_, files, mutate, expected) => {
    const r = status(files, mutate);
    expect(findings(r)).toEqual(expected);
    expect(r.inSync).toBe(false);
  });

  it("a move: at the old home pulumi up moves it; at the new home the lock line to write", () => {
    const files = registerAt(labFiles(), "198.51.100.0/24", "london");
    const plan = planOf(files);
    const atOld = azureAsPlanned(plan);
    const moving = (w: ArmWorld, from: string, to: string) =>
      peeringOf(w, to).registeredPrefixes.push(...peeringOf(w, from).registeredPrefixes.splice(0, 1));
    // azureAsPlanned registers it where the plan homes it (london): put it back at amsterdam.
    moving(atOld, "london", "amsterdam");
    const before = compareWithAzure(plan, inventoryOf(files), snapshotOf(atOld, "rg-maps-lab"));
    expect(before.findings.map((f) => `${f.subject}: ${f.observed}. ${f.next}`)).toEqual([
      "198.51.100.0/24: registered at amsterdam; moving to london (registerAt). run `pulumi up`: it deletes the registration at amsterdam, then registers it at london",
    ]);
    const after = compareWithAzure(plan, inventoryOf(files), snapshotOf(azureAsPlanned(plan), "rg-maps-lab"));
    expect(after.findings.map((f) => [f.observed, f.edit])).toEqual([
      [
        "moved to london in Azure; the lock still pins amsterdam",
        { file: "stacks/lab/allocations.lock.yaml", line: 23, action: "replace", text: "198.51.100.0/24: london" },
      ],
    ]);
  });

  it("a home chosen now (not in the lock yet) but already registered there: record it", () => {
    const files = edit(labFiles(), "allocations.lock.yaml", "  198.51.100.0/24: amsterdam\n", "");
    const r = status(files);
    expect(r.findings.map((f) => [f.observed, f.next, f.edit])).toEqual([
      [
        "registered at amsterdam in Azure; the lock does not record its home",
        "run `npm run plan` and commit stacks/lab/allocations.lock.yaml",
        {
          file: "stacks/lab/allocations.lock.yaml",
          action: "add",
          at: "registeredPrefixes",
          text: "198.51.100.0/24: amsterdam",
        },
      ],
    ]);
  });
});
