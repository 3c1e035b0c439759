/**
 * The program's declarations (`declarations/`) as the engine receives them, without Pulumi's
 * runtime: the offline plan checks these, and `test/declarations/agreement.test.ts` checks that
 * Pulumi's mock runtime records exactly the same when it runs the program. Also the stack config
 * as the offline plan and the mock runtime read it.
 */
import type { PushRendering } from "../deploy/drain";
import * as fs from "fs";
import * as path from "path";
import { specialSecretSig, specialSigKey } from "@pulumi/pulumi/runtime/rpc";
import { parse as parseYaml } from "yaml";
import {
  isIdRef,
  isOutputRef,
  isRenderedConfigRef,
  isSecretRef,
  PROJECT,
  qualifiedType,
  resolveRefs,
  TYPES,
  type Declaration,
  type Ref,
} from "../declarations";
import { configHash } from "../deploy/scripts";
import { REPO_ROOT } from "../load/files";
import { isSecretEnvelope } from "../policies/run";
import { stackPaths } from "../load/stackPaths";

export { PROJECT };

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
  /** The parent's URN as the engine received it (undefined: none). */
  parent?: string;
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

/** The id a resource has offline (Azure assigns the real one): the mock runtime returns the same. */
export function offlineId(name: string): string {
  return `${name}-id`;
}

/** A value as Pulumi marks a secret in the inputs the engine receives. */
export function secretEnvelope(value: unknown): Record<string, unknown> {
  return { [specialSigKey]: specialSecretSig, value };
}

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

/**
 * The routers' configs as the program renders them (MD5 keys in them, from the stack config), for the
 * commands that push them: only a stack with `deploy` needs them.
 */
export interface RenderedConfigs {
  config(hostname: string): { text: string; secret: boolean };
  /** What the router's push sends about its next rendering (deploy/drain.ts). */
  pushRendering(hostname: string): PushRendering;
  /** `RouterCommands.pushInput` of the router. */
  pushInput(hostname: string, previous: string, next: PushRendering): string;
}

/** What the mock runtime (and the engine, offline) gives for an output only the provider knows. */
export function offlineOutputs(type: string): Record<string, string> {
  if (type === TYPES.registeredPrefix || type === TYPES.registeredAsn)
    return { peeringServicePrefixKey: ASSIGNED_BY_AZURE };
  // A command's outputs exist only once it ran: offline it printed nothing.
  if (COMMAND_TYPES.has(type)) return { stdout: "", stderr: "" };
  return {};
}

const COMMAND_TYPES: ReadonlySet<string> = new Set([TYPES.remoteCommand, TYPES.localCommand]);

/** @pulumi/command `connectionArgsProvideDefaults` (types/input.js): what the engine receives unless set. */
const REMOTE_CONNECTION_DEFAULTS = { dialErrorLimit: 10, perDialTimeout: 15, port: 22, user: "root" };

function unwrapEnvelope(v: unknown): unknown {
  return isSecretEnvelope(v) ? v.value : v;
}

/** A reference's value offline, whether it is secret, and the resources it makes the input wait for. */
function offlineValue(
  ref: Ref,
  config: Readonly<Record<string, string>>,
  byName: ReadonlyMap<string, Declaration<object>>,
  rendered: RenderedConfigs | undefined,
  dependencies: Set<string>,
): { value: unknown; secret: boolean } {
  if (isSecretRef(ref)) {
    const v = config[`${PROJECT}:${ref.secretConfigKey}`];
    if (v === undefined) throw new Error(`internal: secret ${ref.secretConfigKey} is not in the stack config`);
    return { value: v, secret: true };
  }
  if (isIdRef(ref)) {
    dependencies.add(ref.idOf);
    return { value: offlineId(ref.idOf), secret: false };
  }
  if (isOutputRef(ref)) {
    const d = byName.get(ref.outputOf);
    if (!d) throw new Error(`internal: an input reads ${ref.outputOf}, which is not declared`);
    dependencies.add(ref.outputOf);
    const value = offlineOutputs(d.type)[ref.property];
    if (value === undefined) throw new Error(`internal: ${ref.outputOf} has no offline output ${ref.property}`);
    return { value, secret: ref.secret };
  }
  if (rendered === undefined) throw new Error(`internal: ${JSON.stringify(ref)} needs the rendered configs`);
  if (isRenderedConfigRef(ref)) {
    const { text, secret } = rendered.config(ref.renderedConfigOf);
    return { value: ref.as === "hash" ? configHash(text) : text, secret: secret || ref.secret };
  }
  const previous = offlineValue(ref.previous, config, byName, rendered, dependencies);
  const next = rendered.pushRendering(ref.pushInputOf);
  return { value: rendered.pushInput(ref.pushInputOf, String(previous.value), next), secret: true };
}

/** The URN of a declaration as the engine forms it (the parents' types, then its own). */
export function declaredUrn(stack: string, d: Pick<Declaration<object>, "type" | "name" | "parent">): string {
  return `urn:pulumi:${stack}::${PROJECT}::${qualifiedType(d)}::${d.name}`;
}

/**
 * Each declaration as the engine receives it in `stack`: every top-level property holding a secret
 * in Pulumi's secret marker, the secret's value from the stack config (`config`, keys without the project prefix resolved here),
 * every id as it is offline (and a dependency), the options with Pulumi's defaults, dependencies
 * and parents as URNs.
 */
export function asRecorded(
  stack: string,
  declarations: ReadonlyArray<Declaration<object>>,
  config: Readonly<Record<string, string>>,
  rendered?: RenderedConfigs,
): RecordedResource[] {
  const byName = new Map(declarations.map((d) => [d.name, d]));
  const urn = (name: string) => {
    const d = byName.get(name);
    if (!d) throw new Error(`internal: a declaration depends on ${name}, which is not declared`);
    return declaredUrn(stack, d);
  };
  return declarations.map((d) => {
    // The engine hears of a dependency twice over: dependsOn, and every output an input refers to.
    const dependencies = new Set(d.options.dependsOn ?? []);
    // A secret marks the whole top-level property it sits in: the SDK sends each top-level input
    // as one value (azure-native lifts a nested object into one Output), and a secret is sent whole.
    const inputs: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(d.inputs) as Array<[string, unknown]>) {
      let secret = false;
      const resolved = resolveRefs(value, (ref: Ref) => {
        const offline = offlineValue(ref, config, byName, rendered, dependencies);
        secret ||= offline.secret;
        return offline.value;
      });
      inputs[key] = secret ? secretEnvelope(resolved) : resolved;
    }
    // What @pulumi/command's remote.Command adds: the connection's defaults, the whole connection secret.
    if (d.type === TYPES.remoteCommand && inputs.connection !== undefined)
      inputs.connection = secretEnvelope({
        ...REMOTE_CONNECTION_DEFAULTS,
        ...(unwrapEnvelope(inputs.connection) as object),
      });
    const additionalSecretOutputs = [
      ...(d.options.additionalSecretOutputs ?? []),
      ...(d.type === TYPES.remoteCommand ? ["connection"] : []),
    ];
    return {
      type: d.type,
      name: d.name,
      inputs,
      custom: d.custom,
      options: {
        protect: d.options.protect ?? false,
        retainOnDelete: d.options.retainOnDelete ?? false,
        deleteBeforeReplace: d.options.deleteBeforeReplace ?? false,
        ignoreChanges: [...(d.options.ignoreChanges ?? [])],
        additionalSecretOutputs,
        dependsOn: [...dependencies].map(urn),
      },
      ...(d.parent ? { parent: declaredUrn(stack, d.parent) } : {}),
    };
  });
}
