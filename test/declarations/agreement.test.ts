/**
 * The declarations the offline plan checks (declarations/, cli/declared.ts) are exactly what the
 * Pulumi program registers: the program runs under Pulumi's mock runtime, and every resource the
 * engine receives (type, name, parent, inputs with secrets and ids, options, dependencies) must be a
 * declaration, and every declaration a resource. On the lab stack, and on a synthetic stack with
 * every lifecycle state, every platform and MD5 keys.
 */
import * as pulumi from "@pulumi/pulumi";
import { syntheticStackFiles } from "../../bench/synthetic";
import { asRecorded, readStackConfig, type RecordedResource } from "../../cli/declared";
import { resolve, runProgramUnderMocks, type ProgramRun } from "../../cli/mockRuntime";
import { declareOffline, runOfflinePlan } from "../../cli/plan";
import { allDeclarations, declareServiceProvider } from "../../declarations";
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
  return asRecorded("lab", allDeclarations(declareServiceProvider("sp", planned.value)), config);
}

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
});
