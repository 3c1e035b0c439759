/**
 * The Pulumi program under Pulumi's mock runtime: which resources it declares, with which
 * properties, and that secrets stay secrets all the way into resources and outputs.
 */
import * as pulumi from "@pulumi/pulumi";
import { resolve, startMockRuntime, type ResourceRecorder } from "../../cli/mockRuntime";
import { isSecretEnvelope, unwrapSecrets } from "../../policies/run";
import { InventoryError } from "../../load/problem";
import type { StackOutputs } from "../../stacks/program";
import { edit, labFiles, lineOf } from "../support/stack";

let recorder: ResourceRecorder;
let program: typeof import("../../stacks/program");
let lab: StackOutputs;

beforeAll(async () => {
  recorder = await startMockRuntime("lab");
  program = await import("../../stacks/program");
  lab = program.definePeeringStack("lab");
  await resolve(Object.values(lab.sp.locations).map((l) => [l.peering.name, ...l.registeredPrefixes.map((p) => p.name), ...l.registeredAsns.map((a) => a.name)]));
});

const ofType = (type: string) =>
  recorder.resources.filter((r) => r.type === type && r.name.startsWith("sp-")).sort((a, b) => a.name.localeCompare(b.name));

interface ConnectionInputs {
  bandwidthInMbps: number;
  peeringDBFacilityId: number;
  sessionAddressProvider: string;
  useForPeeringService: boolean;
  bgpSession: Record<string, string | number>;
}

describe("the lab stack's resources", () => {
  it("declares one PeerAsn, one Direct peering per metro, and the registrations on each", () => {
    expect(ofType("azure-native:peering:PeerAsn").map((r) => r.inputs)).toEqual([
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
    expect(ofType("azure-native:peering:Peering").map((r) => r.name)).toEqual(["sp-amsterdam-peering", "sp-frankfurt-peering", "sp-london-peering"]);
    expect(ofType("azure-native:peering:RegisteredAsn").map((r) => r.inputs)).toEqual(
      ["amsterdam", "frankfurt", "london"].map((m) => ({ peeringName: `maps-as64500-${m}`, resourceGroupName: "rg-maps-lab", registeredAsnName: "as64501", asn: 64501 })),
    );
    expect(ofType("azure-native:peering:RegisteredPrefix").filter((r) => r.name.startsWith("sp-london")).map((r) => r.inputs.prefix).sort()).toEqual([
      "198.51.100.0/24",
      "2001:db8:1000::/48",
      "203.0.113.0/24",
    ]);
  });

  it("makes every peering a Direct Edge peering for Peering Service, one connection per leg", () => {
    const ams = ofType("azure-native:peering:Peering").find((r) => r.name === "sp-amsterdam-peering");
    expect(ams?.inputs).toMatchObject({
      peeringName: "maps-as64500-amsterdam",
      resourceGroupName: "rg-maps-lab",
      location: "westeurope",
      kind: "Direct",
      sku: { name: "Premium_Direct_Free" },
      peeringLocation: "Amsterdam",
      direct: { directPeeringType: "Edge", peerAsn: { id: "sp-as64500-id" } },
      tags: { metro: "amsterdam", "leg-names": "a,b", "leg-routers": "ams-edge-1,ams-edge-2", "leg-interfaces": "bond-msft,Bundle-Ether100" },
    });
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
      expect.objectContaining({ bandwidthInMbps: 200000, bgpSession: expect.objectContaining({ peerSessionIPv4Address: "192.0.2.3" }) as unknown }),
    ]);
  });

  it("protects every resource of an active metro and the PeerAsn", () => {
    // Resource options are not part of what the mock monitor sees; the SDK keeps them on the resource.
    const isProtected = (r: pulumi.Resource) => (r as unknown as { __protect?: boolean }).__protect === true;
    for (const location of Object.values(lab.sp.locations)) {
      expect([location.peering, ...location.registeredAsns, ...location.registeredPrefixes].every(isProtected)).toBe(true);
    }
    expect(isProtected(lab.sp.peerAsn)).toBe(true);
  });
});

describe("secrets", () => {
  it("keeps the MD5 key secret in the peering, and only where the inventory sets one", async () => {
    const fra = lab.sp.locations.frankfurt.peering;
    const ams = lab.sp.locations.amsterdam.peering;
    expect(await pulumi.isSecret(fra.direct)).toBe(true);
    expect(await pulumi.isSecret(ams.direct)).toBe(false);
    // What the engine receives: the whole `direct` property wrapped as a secret.
    const fraDirect = ofType("azure-native:peering:Peering").find((r) => r.name === "sp-frankfurt-peering")?.inputs.direct;
    expect(isSecretEnvelope(fraDirect)).toBe(true);
    const fraInputs = unwrapSecrets(fraDirect) as { connections: ConnectionInputs[] };
    expect(fraInputs.connections.map((c) => c.bgpSession.md5AuthenticationKey)).toEqual([undefined, "lab-md5-key-not-secret"]);
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
    const files = edit(labFiles(), "metros/london.yaml", "    interface: bond-msft\n", "    interface: bond-msft\n    md5KeySecret: md5-lon-a\n");
    expect(() => program.definePeeringStack("lab", { files })).toThrow(InventoryError);
    expect(() => program.definePeeringStack("lab", { files })).toThrow(
      `stacks/lab/metros/london.yaml:${lineOf("london.yaml", "interface: bond-msft") + 1} legs[0].md5KeySecret: names MD5 secret "md5-lon-a", which the stack config does not set. Fix: run \`pulumi config set --secret md5-lon-a <key>\` (or remove md5KeySecret)`,
    );
  });
});

describe("decommissioning", () => {
  it("lifts the protection of a metro marked decommissioned, and only of that metro", () => {
    const files = edit(labFiles(), "metros/london.yaml", "longitude: -0.13", "longitude: -0.13\nstatus: decommissioned");
    const outputs = program.definePeeringStack("lab", { files });
    const isProtected = (r: pulumi.Resource) => (r as unknown as { __protect?: boolean }).__protect === true;
    expect(isProtected(outputs.sp.locations.london.peering)).toBe(false);
    expect(outputs.sp.locations.london.registeredPrefixes.some(isProtected)).toBe(false);
    expect(isProtected(outputs.sp.locations.amsterdam.peering)).toBe(true);
  });
});
