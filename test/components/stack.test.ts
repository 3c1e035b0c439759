/**
 * The Pulumi program under Pulumi's mock runtime: which resources it declares, with which
 * properties and options (as the engine receives them), that secrets stay secrets all the way into
 * resources and outputs, and what each lifecycle state of a metro declares.
 */
import * as pulumi from "@pulumi/pulumi";
import { resolve, startMockRuntime, type RecordedResource, type ResourceRecorder } from "../../cli/mockRuntime";
import { isSecretEnvelope, unwrapSecrets } from "../../policies/run";
import { InventoryError } from "../../load/problem";
import type { StackFiles } from "../../load/load";
import type { StackOutputs } from "../../stacks/program";
import { edit, labFiles, lineOf, microsoftAssigned, withLock } from "../support/stack";

let recorder: ResourceRecorder;
let program: typeof import("../../stacks/program");
let lab: StackOutputs;

beforeAll(async () => {
  recorder = await startMockRuntime("lab");
  program = await import("../../stacks/program");
  lab = program.definePeeringStack("lab");
  await resolve(program.declaredNames(lab));
});

const ofType = (type: string) =>
  recorder.resources
    .filter((r) => r.type === type && r.name.startsWith("sp-"))
    .sort((a, b) => a.name.localeCompare(b.name));

/** The program run on a variant of the lab stack: what it declares, once every resource is registered. */
async function declare(files: StackFiles): Promise<{ outputs: StackOutputs; resources: RecordedResource[] }> {
  const from = recorder.resources.length;
  const outputs = program.definePeeringStack("lab", { files });
  await resolve(program.declaredNames(outputs));
  return { outputs, resources: recorder.resources.slice(from) };
}

const custom = (resources: RecordedResource[]) =>
  resources
    .filter((r) => r.custom)
    .map((r) => `${r.type.split(":").pop()} ${r.name}`)
    .sort();

interface ConnectionInputs {
  bandwidthInMbps: number;
  peeringDBFacilityId: number;
  sessionAddressProvider: string;
  useForPeeringService: boolean;
  bgpSession: Record<string, string | number>;
}

describe("the lab stack's resources", () => {
  it("declares one PeerAsn, protected and never edited (Azure does not support modifying a PeerAsn)", () => {
    const peerAsns = ofType("azure-native:peering:PeerAsn");
    expect(peerAsns.map((r) => r.inputs)).toEqual([
      {
        peerAsnName: "as64500",
        peerAsn: 64500,
        peerName: "Example Networks Lab",
        peerContactDetail: [
          { role: "Noc", email: "noc@example.net", phone: "+1 555 0100" },
          { role: "Technical", email: "peering@example.net" },
        ],
      },
    ]);
    expect(peerAsns[0].options).toMatchObject({
      protect: true,
      ignoreChanges: ["peerAsn", "peerName", "peerContactDetail"],
    });
  });

  it("declares each registered prefix and origin ASN once, on its pinned home, named without the home", () => {
    const registrations = [
      ...ofType("azure-native:peering:RegisteredPrefix"),
      ...ofType("azure-native:peering:RegisteredAsn"),
    ];
    expect(
      registrations.map((r) => [
        r.name,
        r.inputs.peeringName,
        r.inputs.registeredPrefixName ?? r.inputs.registeredAsnName,
      ]),
    ).toEqual([
      ["sp-prefix-198-51-100-0-24", "maps-as64500-amsterdam", "198-51-100-0-24-as64500"],
      ["sp-prefix-2001-db8-1000-48", "maps-as64500-amsterdam", "2001-db8-1000-48-as64500"],
      ["sp-prefix-203-0-113-0-24", "maps-as64500-frankfurt", "203-0-113-0-24-as64501"],
      ["sp-origin-as64501", "maps-as64500-frankfurt", "as64501"],
    ]);
    // Protected on an active home, deleted before it is replaced (a move), and created after its home peering.
    for (const r of registrations) {
      const home = String(r.inputs.peeringName).replace("maps-as64500-", "");
      expect(r.options).toMatchObject({ protect: true, deleteBeforeReplace: true });
      expect(r.options.dependsOn).toEqual([expect.stringMatching(new RegExp(`::sp-${home}-peering$`))]);
    }
  });

  it("makes every peering a Direct Edge peering for Peering Service, one connection per leg, protected while active", () => {
    const ams = ofType("azure-native:peering:Peering").find((r) => r.name === "sp-amsterdam-peering");
    expect(ams?.inputs).toMatchObject({
      peeringName: "maps-as64500-amsterdam",
      resourceGroupName: "rg-maps-lab",
      location: "westeurope",
      kind: "Direct",
      sku: { name: "Premium_Direct_Free" },
      peeringLocation: "Amsterdam",
      direct: { directPeeringType: "Edge", peerAsn: { id: "sp-as64500-id" } },
      tags: {
        metro: "amsterdam",
        status: "active",
        "leg-names": "a,b",
        "leg-status": "active,active",
        "leg-routers": "ams-edge-1,ams-edge-2",
        "leg-interfaces": "bond-msft,Bundle-Ether100",
        "leg-port-gbps": "100,100",
      },
    });
    expect(ams?.options).toMatchObject({ protect: true, retainOnDelete: false });
    const connections = (ams?.inputs.direct as { connections: ConnectionInputs[] }).connections;
    expect(connections).toEqual([
      {
        bandwidthInMbps: 200000,
        peeringDBFacilityId: 18,
        sessionAddressProvider: "Peer",
        useForPeeringService: true,
        bgpSession: {
          sessionPrefixV4: "192.0.2.0/31",
          sessionPrefixV6: "2001:db8:ffff::/127",
          microsoftSessionIPv4Address: "192.0.2.0",
          microsoftSessionIPv6Address: "2001:db8:ffff::",
          peerSessionIPv4Address: "192.0.2.1",
          peerSessionIPv6Address: "2001:db8:ffff::1",
          maxPrefixesAdvertisedV4: 20,
          maxPrefixesAdvertisedV6: 20,
        },
      },
      expect.objectContaining({
        bandwidthInMbps: 200000,
        bgpSession: expect.objectContaining({ peerSessionIPv4Address: "192.0.2.3" }) as unknown,
      }),
    ]);
  });

  it("records Microsoft's agreement to the lab's one MD5 key on the peering", () => {
    expect(
      ofType("azure-native:peering:Peering").find((r) => r.name === "sp-frankfurt-peering")?.inputs.tags,
    ).toMatchObject({
      "md5-agreement-b": "LAB ONLY - no Microsoft agreement - keeps MD5 proven in the FRR lab",
    });
  });
});

describe("stack outputs", () => {
  it("gives each metro's connections by leg, with what Azure reports (unknown offline)", async () => {
    expect(Object.keys(lab.connections)).toEqual(["amsterdam", "frankfurt", "london"]);
    // The mock echoes the inputs: Azure's connectionIdentifier and connectionState are only known after pulumi up.
    expect(await resolve(lab.connections.london)).toEqual({ a: {}, b: {} });
  });

  it("keeps the prefix keys Azure generates a secret, one per registration", async () => {
    expect(await pulumi.isSecret(lab.prefixKeys)).toBe(true);
    expect(Object.keys(await resolve(lab.prefixKeys)).sort()).toEqual([
      "198.51.100.0/24",
      "2001:db8:1000::/48",
      "203.0.113.0/24",
      "AS64501",
    ]);
    expect(lab.registrations).toEqual({
      "198.51.100.0/24": "amsterdam",
      "203.0.113.0/24": "frankfurt",
      "2001:db8:1000::/48": "amsterdam",
      AS64501: "frankfurt",
    });
  });
});

describe("secrets", () => {
  it("keeps the MD5 key secret in the peering, and only where the inventory sets one", async () => {
    const fra = lab.sp.locations.frankfurt.peering;
    const ams = lab.sp.locations.amsterdam.peering;
    expect(await pulumi.isSecret(fra.direct)).toBe(true);
    expect(await pulumi.isSecret(ams.direct)).toBe(false);
    // What the engine receives: the whole `direct` property wrapped as a secret.
    const fraPeering = ofType("azure-native:peering:Peering").find((r) => r.name === "sp-frankfurt-peering");
    expect(isSecretEnvelope(fraPeering?.inputs.direct)).toBe(true);
    expect(fraPeering?.options.additionalSecretOutputs).toEqual(["direct"]);
    const fraInputs = unwrapSecrets(fraPeering?.inputs.direct) as { connections: ConnectionInputs[] };
    expect(fraInputs.connections.map((c) => c.bgpSession.md5AuthenticationKey)).toEqual([
      undefined,
      "lab-md5-key-not-secret",
    ]);
  });

  it("makes a config carrying a key a secret output, and redacts it in the review copy", async () => {
    const config = lab.configs["frankfurt/fra-edge-2.conf"];
    expect(await pulumi.isSecret(config)).toBe(true);
    expect(await resolve(config)).toContain("neighbor 192.0.2.6 password lab-md5-key-not-secret");
    expect(lab.reviewConfigs["frankfurt/fra-edge-2.conf"]).toContain("neighbor 192.0.2.6 password REDACTED");
    expect(Object.values(lab.reviewConfigs).join("\n")).not.toContain("lab-md5-key-not-secret");
    expect(await pulumi.isSecret(lab.configs["amsterdam/ams-edge-1.conf"])).toBe(false);
  });

  it("names the leg and the command when a referenced secret is not set", () => {
    const files = edit(
      labFiles(),
      "metros/london.yaml",
      "    interface: bond-msft\n",
      "    interface: bond-msft\n    md5: { keySecret: md5-lon-a, agreement: ticket 42 }\n",
    );
    expect(() => program.definePeeringStack("lab", { files })).toThrow(InventoryError);
    expect(() => program.definePeeringStack("lab", { files })).toThrow(
      `stacks/lab/metros/london.yaml:${lineOf("london.yaml", "interface: bond-msft") + 1} legs[0].md5.keySecret: names MD5 secret "md5-lon-a", which the stack config does not set. Fix: run \`pulumi config set --secret md5-lon-a <key>\` (or remove md5)`,
    );
  });
});

describe("moving a registration (registerAt)", () => {
  const moved = () =>
    edit(
      labFiles(),
      "sp.yaml",
      "    description: Example Networks customers, Europe\n  - prefix: 203.0.113.0/24",
      "    description: Example Networks customers, Europe\n    registerAt: london\n  - prefix: 203.0.113.0/24",
    );

  it("keeps the resource (same name, same URN) and changes its create-only peeringName, so Pulumi replaces it, deleting the old one first", async () => {
    const before = await resolve(lab.sp.registeredPrefixes["198.51.100.0/24"].urn);
    const { outputs, resources } = await declare(moved());
    const prefix = resources.find((r) => r.name === "sp-prefix-198-51-100-0-24");
    expect(prefix?.inputs.peeringName).toBe("maps-as64500-london");
    // Unprotected while it moves (Pulumi replaces a resource only where old or new protect is false).
    expect(prefix?.options).toMatchObject({ protect: false, deleteBeforeReplace: true });
    expect(prefix?.options.dependsOn).toEqual([expect.stringMatching(/::sp-london-peering$/)]);
    expect(await resolve(outputs.sp.registeredPrefixes["198.51.100.0/24"].urn)).toBe(before);
    // Nothing else moves: 2001:db8:1000::/48 stays on its pinned home.
    expect(resources.find((r) => r.name === "sp-prefix-2001-db8-1000-48")?.inputs.peeringName).toBe(
      "maps-as64500-amsterdam",
    );
  });

  it("once the lock pins the new home, protects it again", async () => {
    const pinned = edit(moved(), "allocations.lock.yaml", "198.51.100.0/24: amsterdam", "198.51.100.0/24: london");
    const { resources } = await declare(pinned);
    expect(resources.find((r) => r.name === "sp-prefix-198-51-100-0-24")?.options).toMatchObject({
      protect: true,
      deleteBeforeReplace: true,
    });
  });
});

describe("what each lifecycle state of a metro declares", () => {
  /** London in another state; a fresh registration lock, so homes are chosen anew where they can be. */
  const london = (status: string, files = labFiles()) =>
    edit(files, "metros/london.yaml", "status: active", `status: ${status}`);

  it("planned: nothing in Azure, no router config", async () => {
    const { outputs, resources } = await declare(london("planned"));
    expect(custom(resources).filter((r) => r.includes("london"))).toEqual([]);
    expect(Object.keys(outputs.configs).filter((f) => f.startsWith("london/"))).toEqual([]);
  });

  it("requested: the Peering (the request), unprotected, no router config", async () => {
    const { outputs, resources } = await declare(london("requested"));
    expect(custom(resources).filter((r) => r.includes("london"))).toEqual(["Peering sp-london-peering"]);
    expect(resources.find((r) => r.name === "sp-london-peering")?.options).toMatchObject({
      protect: false,
      retainOnDelete: false,
    });
    expect(Object.keys(outputs.configs).filter((f) => f.startsWith("london/"))).toEqual([]);
  });

  it("requested with Microsoft assigning the addresses: connections without addresses, no router config", async () => {
    const { outputs, resources } = await declare(microsoftAssigned(london("requested")));
    const connections = (
      unwrapSecrets(resources.find((r) => r.name === "sp-london-peering")?.inputs.direct) as {
        connections: ConnectionInputs[];
      }
    ).connections;
    expect(connections.map((c) => [c.sessionAddressProvider, c.bgpSession])).toEqual([
      ["Microsoft", { maxPrefixesAdvertisedV4: 20, maxPrefixesAdvertisedV6: 20 }],
      ["Microsoft", { maxPrefixesAdvertisedV4: 20, maxPrefixesAdvertisedV6: 20 }],
    ]);
    expect(Object.keys(outputs.configs).filter((f) => f.startsWith("london/"))).toEqual([]);
  });

  it("provisioning: the Peering protected, router configs, no registration", async () => {
    // Amsterdam still provisioning on a fresh lock: its region's prefixes find their home at frankfurt.
    const files = withLock(
      edit(labFiles(), "metros/amsterdam.yaml", "status: active", "status: provisioning"),
      undefined,
    );
    const { outputs, resources } = await declare(files);
    expect(resources.find((r) => r.name === "sp-amsterdam-peering")?.options).toMatchObject({
      protect: true,
      retainOnDelete: false,
    });
    expect(Object.keys(outputs.configs).filter((f) => f.startsWith("amsterdam/"))).toEqual([
      "amsterdam/ams-edge-1.conf",
      "amsterdam/ams-edge-2.cfg",
    ]);
    const homes = resources
      .filter((r) => /Registered/.test(r.type))
      .map((r) => `${r.name} ${String(r.inputs.peeringName)}`);
    expect(homes.sort()).toEqual([
      "sp-origin-as64501 maps-as64500-frankfurt",
      "sp-prefix-198-51-100-0-24 maps-as64500-frankfurt",
      "sp-prefix-2001-db8-1000-48 maps-as64500-frankfurt",
      "sp-prefix-203-0-113-0-24 maps-as64500-frankfurt",
    ]);
  });

  it("maintenance: protected, registrations stay, every leg drained in the configs", async () => {
    const { outputs, resources } = await declare(
      edit(labFiles(), "metros/amsterdam.yaml", "status: active", "status: maintenance"),
    );
    expect(resources.find((r) => r.name === "sp-amsterdam-peering")?.options).toMatchObject({ protect: true });
    expect(resources.find((r) => r.name === "sp-prefix-198-51-100-0-24")?.options).toMatchObject({ protect: true });
    expect(outputs.reviewConfigs["amsterdam/ams-edge-1.conf"]).toContain("route-map MAPS-OUT-DRAIN-V4 out");
    expect(outputs.reviewConfigs["frankfurt/fra-edge-2.conf"]).not.toContain("DRAIN");
  });

  it("decommissioned: protection lifted and the Peering retained on delete, legs drained; only that metro", async () => {
    const { outputs, resources } = await declare(london("decommissioned"));
    expect(resources.find((r) => r.name === "sp-london-peering")?.options).toMatchObject({
      protect: false,
      retainOnDelete: true,
    });
    expect(resources.find((r) => r.name === "sp-amsterdam-peering")?.options).toMatchObject({
      protect: true,
      retainOnDelete: false,
    });
    expect(outputs.reviewConfigs["london/lon-edge-1.bird.conf"]).toMatch(/DRAIN/);
  });

  it("a registration whose home is being decommissioned stays there, unprotected (the registrations policy flags it)", async () => {
    const { resources } = await declare(
      edit(labFiles(), "metros/frankfurt.yaml", "status: active", "status: decommissioned"),
    );
    const atFrankfurt = resources.filter(
      (r) => /Registered/.test(r.type) && r.inputs.peeringName === "maps-as64500-frankfurt",
    );
    expect(atFrankfurt.map((r) => `${r.name} protect=${r.options.protect}`).sort()).toEqual([
      "sp-origin-as64501 protect=false",
      "sp-prefix-203-0-113-0-24 protect=false",
    ]);
  });

  it("a PeerAsn not yet approved: only the PeerAsn, the requested metros wait", async () => {
    const pending = ["amsterdam", "frankfurt", "london"].reduce(
      (f, m) => edit(f, `metros/${m}.yaml`, "status: active", "status: requested"),
      edit(labFiles(), "sp.yaml", "validationState: Approved", "validationState: Pending"),
    );
    const { outputs, resources } = await declare(withLock(pending, undefined));
    expect(custom(resources)).toEqual(["PeerAsn sp-as64500"]);
    expect(outputs.plan.waiting[0]).toEqual({
      subject: "the PeerAsn AS64500 (Pending)",
      waitsFor: "Microsoft's validation (up to 12 hours after it is created)",
      next: "set peerAsn.validationState: Approved in stacks/lab/sp.yaml once Azure shows it Approved; the peerings of amsterdam, frankfurt, london are declared then",
    });
  });
});
