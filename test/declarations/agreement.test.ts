/**
 * The declarations the offline plan checks (declarations/, cli/declared.ts) are exactly what the
 * Pulumi program registers: the program runs under Pulumi's mock runtime, and every resource the
 * engine receives (type, name, parent, inputs with secrets and ids, options, dependencies) must be a
 * declaration, and every declaration a resource. On the lab stack, on a synthetic stack with
 * every lifecycle state, every platform and MD5 keys, on the lab stack with a customer's Peering
 * Service, and on the lab stack with deploy settings (the pushes' commands on every platform).
 */
import * as pulumi from "@pulumi/pulumi";
import { syntheticStackFiles } from "../../bench/synthetic";
import { asRecorded, readStackConfig, type RecordedResource } from "../../cli/declared";
import { resolve, runProgramUnderMocks, type ProgramRun } from "../../cli/mockRuntime";
import { declareOffline, runOfflinePlan } from "../../cli/plan";
import { allStackDeclarations, declareStackParts } from "../../declarations";
import { REPO_ROOT } from "../../load/files";
import { readStackFiles } from "../../load/files";
import type { StackFiles } from "../../load/load";
import { LIFECYCLE_STATES } from "../../plan/lifecycle";
import { planStack } from "../../plan/plan";
import { secretConfigKeys } from "../../plan/secrets";
import { VENDORS } from "../../vendors";

let lab: ProgramRun;
let program: typeof import("../../stacks/program");

beforeAll(async () => {
  lab = await runProgramUnderMocks("lab");
  program = await import("../../stacks/program");
});

/** `type::name` of a URN, whatever its parents (the mock runtime prefixes one parent type, the engine all). */
function ref(urn: string): string {
  const [, , qualified, name] = urn.split("::");
  return `${qualified.split("$").pop()}::${name}`;
}

/** A resource as compared: references by type and name; everything else as the engine received it. */
function comparable(r: RecordedResource) {
  return {
    key: `${r.type}::${r.name}`,
    parent: r.parent === undefined ? undefined : ref(r.parent),
    custom: r.custom,
    inputs: r.inputs,
    options: { ...r.options, dependsOn: r.options.dependsOn.map(ref).sort() },
  };
}

function byKey(resources: readonly RecordedResource[]) {
  return Object.fromEntries(resources.map(comparable).map((c) => [c.key, c]));
}

function declaredOf(files: StackFiles, config: Record<string, string>): RecordedResource[] {
  const planned = planStack(files);
  if (!planned.ok) throw new Error("the stack does not plan");
  return asRecorded("lab", allStackDeclarations(declareStackParts(planned.value)), config);
}

/** What the program registers for `files` under the mock runtime's current config, every output settled. */
async function registeredOf(files: StackFiles): Promise<RecordedResource[]> {
  const from = lab.resources.length;
  const outputs = program.definePeeringStack("lab", { files, config: new pulumi.Config() });
  await resolve(program.declaredNames(outputs));
  await resolve([outputs.configs, outputs.connections, outputs.prefixKeys]);
  await resolve(Object.values(outputs.rollout?.routers ?? {}).map((r) => r.push.stdout));
  await resolve(Object.values(outputs.rollout?.checks ?? {}).map((c) => c.stdout));
  return lab.resources.slice(from);
}

const CONTOSO = `name: Contoso Ltd
peeringService:
  name: ps-contoso
  customerLocation: Noord-Holland
  primaryMetro: amsterdam
  backupMetro: frankfurt
prefixes:
  - prefix: 203.0.113.0/25
  - prefix: 203.0.113.128/25
connectionMonitorTests:
  - name: contoso-ams-office
    sourceAgent: contoso-ams-agent
    destination: 203.0.113.10
    destinationPort: 443
  - name: contoso-fra-office
    sourceAgent: contoso-fra-agent
    destination: 203.0.113.140
    destinationPort: 443
`;

const PRIVATE_KEY =
  "-----BEGIN OPENSSH PRIVATE KEY-----\nagreement-test-key-not-real\n-----END OPENSSH PRIVATE KEY-----";

/** Every lab router, so every platform pushes: FRR and BIRD on the router, IOS-XR, Junos and EOS from the runner. */
const DEPLOY = {
  gate: { timeoutSeconds: 60, holdSeconds: 5 },
  confirmSeconds: 300,
  waves: [["amsterdam"], ["frankfurt", "london"]],
  routers: {
    "ams-edge-1": { host: "192.168.100.1", user: "maps-deploy" },
    "ams-edge-2": { host: "192.168.100.2", user: "maps-deploy", hostKey: "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIlab" },
    "fra-edge-1": { host: "192.168.100.3", user: "maps-deploy" },
    "fra-edge-2": { host: "192.168.100.4", user: "maps-deploy", port: 2222 },
    "lon-edge-1": { host: "192.168.100.5", user: "maps-deploy" },
    "lon-edge-2": { host: "192.168.100.6", user: "maps-deploy" },
  },
};

describe("the declarations agree with what the program registers under the mock runtime", () => {
  it("on the lab stack: every resource, parent, input, secret, id, option and dependency", () => {
    const declared = declaredOf(readStackFiles("lab"), readStackConfig("lab").config);
    expect(lab.resources.length).toBeGreaterThan(10);
    expect(byKey(declared)).toEqual(byKey(lab.resources));
    expect(declared).toHaveLength(lab.resources.length);
  });

  it("the offline plan checks those declarations and writes the configs the program exports", () => {
    const offline = runOfflinePlan("lab");
    expect(offline.resources).toEqual(declareOffline("lab").resources);
    expect(byKey(offline.resources)).toEqual(byKey(lab.resources));
    expect(offline.reviewConfigs).toEqual(lab.reviewConfigs);
    expect(offline.plan).toEqual(lab.plan);
  });

  it("on a synthetic stack with every lifecycle state, every platform and MD5 keys", async () => {
    const files = syntheticStackFiles({ metros: 50, prefixes: 60 });
    const planned = planStack(files);
    if (!planned.ok) throw new Error("the synthetic stack does not plan");
    expect(new Set(planned.value.metros.map((m) => m.status))).toEqual(new Set(LIFECYCLE_STATES));
    expect(new Set(planned.value.routers.map((r) => r.vendor))).toEqual(new Set(VENDORS));
    const keys = secretConfigKeys(planned.value);
    expect(keys.length).toBeGreaterThan(1);
    const config = Object.fromEntries(keys.map((k) => [`peering-as-code:${k}`, `synthetic-key-${k}`]));
    for (const [k, v] of Object.entries(config)) pulumi.runtime.setConfig(k, v);

    const from = lab.resources.length;
    const outputs = program.definePeeringStack("lab", { files });
    await resolve(program.declaredNames(outputs));
    await resolve([outputs.configs, outputs.connections, outputs.prefixKeys]);
    const registered = lab.resources.slice(from);

    const declared = declaredOf(files, config);
    expect(registered.length).toBeGreaterThan(100);
    expect(byKey(declared)).toEqual(byKey(registered));
    expect(declared).toHaveLength(registered.length);
  });

  it("on the lab stack with a customer: its PeeringService, Prefixes (the registration's key, secret) and tests", async () => {
    const { config, secretKeys } = readStackConfig("lab");
    pulumi.runtime.setAllConfig(config, secretKeys);
    const files: StackFiles = {
      ...readStackFiles("lab"),
      customers: [{ file: "stacks/lab/customers/contoso.yaml", text: CONTOSO }],
    };
    const registered = await registeredOf(files);
    const declared = declareOffline("lab", REPO_ROOT, files, config).resources;
    const types = declared.map((r) => r.type);
    expect(types.filter((t) => t === "azure-native:peering:Prefix")).toHaveLength(2);
    expect(types.filter((t) => t === "azure-native:peering:ConnectionMonitorTest")).toHaveLength(2);
    expect(byKey(declared)).toEqual(byKey(registered));
    expect(declared).toHaveLength(registered.length);
  });

  it("on the lab stack with deploy settings: every push, read and check, their triggers, waits and secrets", async () => {
    const lab = readStackConfig("lab");
    const config = {
      ...lab.config,
      "peering-as-code:deploy": JSON.stringify(DEPLOY),
      "peering-as-code:deploySshPrivateKey": PRIVATE_KEY,
    };
    pulumi.runtime.setAllConfig(config, [...lab.secretKeys, "peering-as-code:deploySshPrivateKey"]);
    const files = readStackFiles("lab");
    const registered = await registeredOf(files);
    const declared = declareOffline("lab", REPO_ROOT, files, config).resources;
    const types = new Set(declared.map((r) => r.type));
    expect(types).toContain("command:remote:Command");
    expect(types).toContain("command:local:Command");
    expect(declared.filter((r) => r.name.includes("-check-before-")).length).toBeGreaterThan(0);
    expect(byKey(declared)).toEqual(byKey(registered));
    expect(declared).toHaveLength(registered.length);
  });
});
