/**
 * Runs the Pulumi program without the Pulumi CLI or Azure: Pulumi's own mock runtime stands in for
 * the engine, records every resource the program registers, and hands back the program's exports.
 * The tests use it, and check with it that the declarations the offline plan reads (cli/declared.ts)
 * are exactly what the program registers.
 */
import * as pulumi from "@pulumi/pulumi";
import { readStackFiles, REPO_ROOT } from "../load/files";
import type { Plan } from "../plan/model";
import {
  offlineId,
  offlineOutputs,
  PROJECT,
  readStackConfig,
  type RecordedOptions,
  type RecordedResource,
} from "./declared";

export {
  ASSIGNED_BY_AZURE,
  ENCRYPTED_PLACEHOLDER,
  PROJECT,
  readStackConfig,
  type RecordedOptions,
  type RecordedResource,
} from "./declared";

/** The part of a RegisterResource request the recorder reads (`@pulumi/pulumi/proto/resource_pb`). */
interface RegisterRequest {
  getType(): string;
  getName(): string;
  getProtect(): boolean | undefined;
  getRetainondelete(): boolean | undefined;
  getDeletebeforereplace(): boolean;
  getIgnorechangesList(): string[];
  getAdditionalsecretoutputsList(): string[];
  getDependenciesList(): string[];
  getParent(): string;
}

const NO_OPTIONS: RecordedOptions = {
  protect: false,
  retainOnDelete: false,
  deleteBeforeReplace: false,
  ignoreChanges: [],
  additionalSecretOutputs: [],
  dependsOn: [],
};

export class ResourceRecorder implements pulumi.runtime.Mocks {
  readonly resources: RecordedResource[] = [];
  private readonly pendingOptions = new Map<string, { options: RecordedOptions; parent?: string }>();

  /** Called with each RegisterResource request just before the mock monitor turns it into `newResource`. */
  noteRequest(req: RegisterRequest): void {
    this.pendingOptions.set(`${req.getType()}::${req.getName()}`, {
      options: {
        protect: req.getProtect() ?? false,
        retainOnDelete: req.getRetainondelete() ?? false,
        deleteBeforeReplace: req.getDeletebeforereplace(),
        ignoreChanges: req.getIgnorechangesList(),
        additionalSecretOutputs: req.getAdditionalsecretoutputsList(),
        dependsOn: req.getDependenciesList(),
      },
      ...(req.getParent() ? { parent: req.getParent() } : {}),
    });
  }

  newResource(args: pulumi.runtime.MockResourceArgs): { id: string | undefined; state: Record<string, unknown> } {
    const inputs = (args.inputs ?? {}) as Record<string, unknown>;
    const key = `${args.type}::${args.name}`;
    const { options, parent } = this.pendingOptions.get(key) ?? { options: NO_OPTIONS };
    this.pendingOptions.delete(key);
    this.resources.push({
      type: args.type,
      name: args.name,
      inputs,
      custom: args.custom ?? true,
      options,
      ...(parent ? { parent } : {}),
    });
    // Azure names its resources by the `...Name` input; the mock echoes every input as an output so
    // that nothing the program reads stays unknown (with preview=true a missing output never resolves).
    const azureName = Object.entries(inputs).find(
      ([k, v]) => /Name$/.test(k) && k !== "resourceGroupName" && typeof v === "string",
    )?.[1];
    const assigned = offlineOutputs(args.type);
    return {
      id: offlineId(args.name),
      state: { ...inputs, ...assigned, name: azureName ?? args.name, provisioningState: "Succeeded" },
    };
  }

  call(args: pulumi.runtime.MockCallArgs): Record<string, unknown> {
    return args.inputs as Record<string, unknown>;
  }
}

/** Resolves an Output (or a structure of them) to its plain value. */
export function resolve<T>(value: pulumi.Input<T>): Promise<pulumi.Unwrap<T>> {
  return new Promise((ok) => pulumi.output(value).apply((v) => ok(v)));
}

/**
 * Sets up the mock runtime for `stack` with its stack config. Must complete before the program is
 * imported: the program reads config and registers resources at import time.
 */
export async function startMockRuntime(stack: string, root = REPO_ROOT): Promise<ResourceRecorder> {
  const recorder = new ResourceRecorder();
  const { config, secretKeys } = readStackConfig(stack, root);
  pulumi.runtime.setAllConfig(config, secretKeys);
  await pulumi.runtime.setMocks(recorder, PROJECT, stack, true);
  // The mock monitor hands `newResource` the inputs only; the options come with the request itself.
  const monitor = pulumi.runtime.getMonitor() as unknown as {
    registerResource(req: RegisterRequest, callback: unknown): void;
  };
  const register = monitor.registerResource.bind(monitor);
  monitor.registerResource = (req, callback) => {
    recorder.noteRequest(req);
    register(req, callback);
  };
  return recorder;
}

/** What the program declared and exported, run under the mock runtime. */
export interface ProgramRun {
  plan: Plan;
  resources: RecordedResource[];
  reviewConfigs: Record<string, string>;
}

/**
 * Runs the Pulumi program (`stacks/program.ts`) for `stack` under the mock runtime, once every
 * output has settled. Throws InventoryError on bad input. Once per process: the mock runtime is
 * global.
 */
export async function runProgramUnderMocks(stack: string, root = REPO_ROOT): Promise<ProgramRun> {
  const files = readStackFiles(stack, root);
  const recorder = await startMockRuntime(stack, root);
  // Imported only now: the program reads config and registers resources when it is loaded.
  const { definePeeringStack, declaredNames } = await import("../stacks/program");
  const outputs = definePeeringStack(stack, { files });
  const reviewConfigs = await resolve(outputs.reviewConfigs);
  // Every resource registers before its outputs resolve; awaiting their names settles them all,
  // and awaiting every export leaves no promise behind (Pulumi fails a process that leaks one).
  await resolve(declaredNames(outputs));
  await resolve([outputs.configs, outputs.connections, outputs.prefixKeys]);
  return { plan: outputs.plan, resources: recorder.resources, reviewConfigs };
}
