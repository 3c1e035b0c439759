/**
 * Runs the Pulumi program without the Pulumi CLI or Azure: Pulumi's own mock runtime stands in for
 * the engine, records every resource the program registers, and hands back the program's exports.
 * The offline plan and the tests both use this, so both see exactly what `pulumi preview` would.
 */
import * as fs from "fs";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { parse as parseYaml } from "yaml";
import { REPO_ROOT } from "../load/files";
import { stackPaths } from "../load/stackPaths";

export const PROJECT = "peering-as-code";

export interface RecordedResource {
  type: string;
  name: string;
  /**
   * Inputs as the program declared them: a secret value is still wrapped in Pulumi's secret marker
   * (`isSecretEnvelope`, policies/run.ts), which is how the policies' in-process run tells it is secret.
   */
  inputs: Record<string, unknown>;
  custom: boolean;
  /** The resource options the engine received (what a policy sees of them, and what Pulumi acts on). */
  options: RecordedOptions;
}

/** Resource options as the engine receives them in the RegisterResource request. */
export interface RecordedOptions {
  protect: boolean;
  retainOnDelete: boolean;
  deleteBeforeReplace: boolean;
  ignoreChanges: string[];
  additionalSecretOutputs: string[];
  /** URNs of the resources it waits for (`dependsOn`, parents excluded). */
  dependsOn: string[];
}

/** What the mock returns for a value only Azure assigns (a registration's prefix key): known after `pulumi up`. */
export const ASSIGNED_BY_AZURE = "assigned-by-azure-on-registration";

/** Marker the offline plan substitutes for config values encrypted by `pulumi config set --secret`. */
export const ENCRYPTED_PLACEHOLDER = "encrypted-config-not-available-offline";

/**
 * Reads `stacks/Pulumi.<stack>.yaml` into the `<project>:key` → string map that `setAllConfig`
 * wants. Encrypted values (`secure:`) cannot be decrypted without the CLI: they become a placeholder
 * (they only ever reach redacted output). Returns the keys that must be treated as secrets.
 */
export function readStackConfig(
  stack: string,
  root = REPO_ROOT,
): { config: Record<string, string>; secretKeys: string[] } {
  const file = path.join(root, stackPaths(stack).pulumiConfig);
  const config: Record<string, string> = {};
  const secretKeys: string[] = [];
  if (!fs.existsSync(file)) return { config, secretKeys };
  const doc = (parseYaml(fs.readFileSync(file, "utf8")) ?? {}) as { config?: Record<string, unknown> };
  for (const [key, value] of Object.entries(doc.config ?? {})) {
    const fullKey = key.includes(":") ? key : `${PROJECT}:${key}`;
    if (value && typeof value === "object" && "secure" in value) {
      config[fullKey] = ENCRYPTED_PLACEHOLDER;
      secretKeys.push(fullKey);
    } else {
      config[fullKey] = typeof value === "string" ? value : JSON.stringify(value);
    }
  }
  return { config, secretKeys };
}

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
  private readonly pendingOptions = new Map<string, RecordedOptions>();

  /** Called with each RegisterResource request just before the mock monitor turns it into `newResource`. */
  noteRequest(req: RegisterRequest): void {
    this.pendingOptions.set(`${req.getType()}::${req.getName()}`, {
      protect: req.getProtect() ?? false,
      retainOnDelete: req.getRetainondelete() ?? false,
      deleteBeforeReplace: req.getDeletebeforereplace(),
      ignoreChanges: req.getIgnorechangesList(),
      additionalSecretOutputs: req.getAdditionalsecretoutputsList(),
      dependsOn: req.getDependenciesList(),
    });
  }

  newResource(args: pulumi.runtime.MockResourceArgs): { id: string | undefined; state: Record<string, unknown> } {
    const inputs = (args.inputs ?? {}) as Record<string, unknown>;
    const key = `${args.type}::${args.name}`;
    const options = this.pendingOptions.get(key) ?? NO_OPTIONS;
    this.pendingOptions.delete(key);
    this.resources.push({ type: args.type, name: args.name, inputs, custom: args.custom ?? true, options });
    // Azure names its resources by the `...Name` input; the mock echoes every input as an output so
    // that nothing the program reads stays unknown (with preview=true a missing output never resolves).
    const azureName = Object.entries(inputs).find(
      ([k, v]) => /Name$/.test(k) && k !== "resourceGroupName" && typeof v === "string",
    )?.[1];
    const assigned = /^azure-native:peering:Registered(Prefix|Asn)$/.test(args.type)
      ? { peeringServicePrefixKey: ASSIGNED_BY_AZURE }
      : // A command's outputs exist only once it ran; the mock says it printed nothing.
        args.type.startsWith("command:")
        ? { stdout: "", stderr: "" }
        : {};
    return {
      id: `${args.name}-id`,
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
