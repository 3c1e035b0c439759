/**
 * What the Pulumi program declares, as plain data: for every resource its type, name, parent,
 * inputs and options, computed from the plan by pure functions (`declarations/*.ts`). The
 * components instantiate exactly these (`components/`), and the offline plan checks them directly
 * (`cli/plan.ts`): the policy pack runs on them without Pulumi's runtime, which costs milliseconds
 * per resource. `test/declarations/agreement.test.ts` runs the program under Pulumi's mock runtime
 * and checks that what the engine receives is exactly this, resource for resource.
 *
 * A new component plugs in the same way: a `declare…` function here that returns its component
 * and its children, called from its parent's; the component's constructor instantiates what it
 * returns. Pure: no Pulumi, no I/O.
 */

/** The project name (Pulumi.yaml `name`): the second part of every URN. */
export const PROJECT = "peering-as-code";

/** Type tokens of everything the program declares. */
export const TYPES = {
  peering: "azure-native:peering:Peering",
  peerAsn: "azure-native:peering:PeerAsn",
  registeredAsn: "azure-native:peering:RegisteredAsn",
  registeredPrefix: "azure-native:peering:RegisteredPrefix",
  peeringService: "azure-native:peering:PeeringService",
  prefix: "azure-native:peering:Prefix",
  connectionMonitorTest: "azure-native:peering:ConnectionMonitorTest",
  remoteCommand: "command:remote:Command",
  localCommand: "command:local:Command",
  serviceProvider: "peering-as-code:index:ServiceProvider",
  peeringLocation: "peering-as-code:index:PeeringLocation",
  customerPeeringService: "peering-as-code:index:CustomerPeeringService",
  rollout: "peering-as-code:index:Rollout",
  routerConfig: "peering-as-code:index:RouterConfig",
} as const;

/**
 * What Microsoft does not let change after creation: a PeerAsn's ASN, name and contacts
 * ("Modifying a PeerAsn isn't currently supported", learn.microsoft.com, internet-peering "Associate
 * your ASN with an Azure subscription using the Azure portal"). Pulumi never sends an edit of them.
 */
export const PEER_ASN_IMMUTABLE: readonly string[] = ["peerAsn", "peerName", "peerContactDetail"];

/**
 * A secret in a resource's inputs, by the name of its Pulumi secret config key: the component puts
 * the secret `Output` in its place (`config.getSecret`), the offline plan Pulumi's secret marker.
 */
export interface SecretRef {
  readonly secretConfigKey: string;
}

/** The `id` of another declared resource: known once Azure has created it. */
export interface IdRef {
  readonly idOf: string;
}

/**
 * An output of another declared resource, known once it exists: a registration's prefix key, a
 * command's stdout. `secret`: the program wraps it in `pulumi.secret` where it uses it.
 */
export interface OutputRef {
  readonly outputOf: string;
  readonly property: string;
  readonly secret: boolean;
}

/**
 * A router's rendered config (its MD5 keys in it, so secret where it has any), or its `sha256:`
 * hash (`deploy/scripts.ts` configHash): what a push sends, and the trigger that replaces it.
 * `secret`: the program wraps it in `pulumi.secret` whatever the config holds.
 */
export interface RenderedConfigRef {
  readonly renderedConfigOf: string;
  readonly as: "text" | "hash";
  readonly secret: boolean;
}

/**
 * What a push hands the router on stdin, from what the last push kept there (its removals and
 * stages are computed from it): `RouterCommands.pushInput(previous stdout, next rendering)`.
 * Always secret (the config may carry MD5 keys).
 */
export interface PushInputRef {
  readonly pushInputOf: string;
  readonly previous: OutputRef;
}

/** A value of the inputs that only the runtime knows: a secret, another resource's id or output, a rendered config. */
export type Ref = SecretRef | IdRef | OutputRef | RenderedConfigRef | PushInputRef;

export function secretRef(secretConfigKey: string): SecretRef {
  return { secretConfigKey };
}

export function idRef(of: Pick<Declaration<object>, "name">): IdRef {
  return { idOf: of.name };
}

function hasOnly(v: unknown, key: string): boolean {
  return (
    typeof v === "object" &&
    v !== null &&
    typeof (v as Record<string, unknown>)[key] === "string" &&
    Object.keys(v).length === 1
  );
}

export function isSecretRef(v: unknown): v is SecretRef {
  return hasOnly(v, "secretConfigKey");
}

export function isIdRef(v: unknown): v is IdRef {
  return hasOnly(v, "idOf");
}

export function outputRef(of: Pick<Declaration<object>, "name">, property: string, secret = false): OutputRef {
  return { outputOf: of.name, property, secret };
}

function hasKeys(v: unknown, keys: readonly string[]): boolean {
  if (typeof v !== "object" || v === null) return false;
  const own = Object.keys(v);
  return own.length === keys.length && keys.every((k) => own.includes(k));
}

export function isOutputRef(v: unknown): v is OutputRef {
  return hasKeys(v, ["outputOf", "property", "secret"]) && typeof (v as OutputRef).outputOf === "string";
}

export function isRenderedConfigRef(v: unknown): v is RenderedConfigRef {
  return (
    hasKeys(v, ["renderedConfigOf", "as", "secret"]) && typeof (v as RenderedConfigRef).renderedConfigOf === "string"
  );
}

export function isPushInputRef(v: unknown): v is PushInputRef {
  return hasKeys(v, ["pushInputOf", "previous"]) && isOutputRef((v as PushInputRef).previous);
}

export function isRef(v: unknown): v is Ref {
  return isSecretRef(v) || isIdRef(v) || isOutputRef(v) || isRenderedConfigRef(v) || isPushInputRef(v);
}

/** The inputs with every Ref replaced by what the runtime makes of it (`R`); the same shape otherwise. */
export type Resolved<T, R> = T extends Ref
  ? R
  : T extends ReadonlyArray<infer E>
    ? Array<Resolved<E, R>>
    : T extends object
      ? { [K in keyof T]: Resolved<T[K], R> }
      : T;

/** Replaces every Ref of the inputs: a component with Outputs, the offline plan with what the mock runtime records. */
export function resolveRefs<T, R>(inputs: T, resolve: (ref: Ref) => R): Resolved<T, R> {
  const walk = (v: unknown): unknown => {
    if (isRef(v)) return resolve(v);
    if (Array.isArray(v)) return v.map(walk);
    if (typeof v === "object" && v !== null) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x)]));
    return v;
  };
  return walk(inputs) as Resolved<T, R>;
}

/** Resource options as declared; what is left out is Pulumi's default (never inherited from a parent here). */
export interface DeclaredOptions {
  protect?: boolean;
  retainOnDelete?: boolean;
  deleteBeforeReplace?: boolean;
  ignoreChanges?: readonly string[];
  additionalSecretOutputs?: readonly string[];
  /** Names of declared resources it waits for (`dependsOn`: orders, nothing more). */
  dependsOn?: readonly string[];
}

export interface Declaration<Inputs extends object = Record<string, unknown>> {
  type: string;
  /** The Pulumi resource name: unique in the stack. */
  name: string;
  /** The declaration of its parent component (undefined: the stack itself). */
  parent?: Declaration<object>;
  /** A custom resource (Azure), or a component. */
  custom: boolean;
  inputs: Inputs;
  options: DeclaredOptions;
}

/** A component: no inputs of its own (its children carry them). */
export function component(type: string, name: string, parent?: Declaration<object>): Declaration<object> {
  return { type, name, ...(parent ? { parent } : {}), custom: false, inputs: {}, options: {} };
}

/** The type part of a URN: the parent's, then `$`, then its own (`…ServiceProvider$azure-native:peering:PeerAsn`). */
export function qualifiedType(d: Pick<Declaration<object>, "type" | "parent">): string {
  return d.parent ? `${qualifiedType(d.parent)}$${d.type}` : d.type;
}
