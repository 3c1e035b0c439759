import * as pulumi from "@pulumi/pulumi";
import { drainedRouter, sessionFacts, type PushRendering } from "../deploy/drain";
import { configHash } from "../deploy/scripts";
import {
  isIdRef,
  isOutputRef,
  isRenderedConfigRef,
  isSecretRef,
  resolveRefs,
  type Declaration,
  type DeclaredOptions,
  type Ref,
  type Resolved,
} from "../declarations";
import type { RouterPlan } from "../plan/model";
import type { RouterRenderer } from "../render";

/**
 * Renders a router's config inside Pulumi: when the router has MD5 keys the config is computed from
 * the secret outputs, so Pulumi keeps the whole config secret in state and stack outputs.
 */
export function renderRouterConfig(
  renderer: RouterRenderer,
  router: RouterPlan,
  secrets: Record<string, pulumi.Output<string>>,
): pulumi.Output<string> {
  return withMd5Keys(router, secrets, (resolve) => renderer.render(router, resolve).text);
}

/**
 * What a push sends about a router's next rendering (deploy/drain.ts): the rendering (`text`, as
 * the location renders it), its drained variant and its session facts, computed inside Pulumi like
 * the rendering, so they stay secret where it is.
 */
export function renderPushRendering(
  renderer: RouterRenderer,
  router: RouterPlan,
  secrets: Record<string, pulumi.Output<string>>,
  text: pulumi.Output<string>,
): pulumi.Output<PushRendering> {
  const drained = renderRouterConfig(renderer, drainedRouter(router), secrets);
  const sessions = withMd5Keys(router, secrets, (resolve) => sessionFacts(router, resolve));
  return pulumi.all([text, drained, sessions]).apply(([t, d, s]) => ({ text: t, drained: d, sessions: s }));
}

/** `f` with the router's MD5 keys resolved from the secret outputs (secret whenever the router has one). */
function withMd5Keys(
  router: RouterPlan,
  secrets: Record<string, pulumi.Output<string>>,
  f: (resolve: (name: string) => string) => string,
): pulumi.Output<string> {
  const names = [...new Set(router.sessions.flatMap((s) => (s.md5KeySecret ? [s.md5KeySecret] : [])))].sort();
  if (names.length === 0) {
    return pulumi.output(
      f(() => {
        throw new Error(`internal: ${router.hostname} asked for a secret it does not declare`);
      }),
    );
  }
  return pulumi.all(names.map((n) => secrets[n])).apply((values) => {
    const byName = new Map(names.map((n, i) => [n, values[i]]));
    return f((n) => {
      const v = byName.get(n);
      if (v === undefined) throw new Error(`internal: secret ${n} was not resolved for ${router.hostname}`);
      return v;
    });
  });
}

/** What a component holds for the references of its declarations' inputs. */
export interface RefSources {
  /** Secret stack config values by key (MD5 keys, SSH private keys), as Pulumi secrets. */
  secrets: Record<string, pulumi.Output<string>>;
  /** Ids of declared resources, by declared name. */
  ids?: Record<string, pulumi.Input<string>>;
  /** Declared resources whose outputs an input reads, by declared name. */
  resources?: Record<string, pulumi.Resource>;
  /** Rendered router configs by hostname (secret where they carry a key). */
  configs?: Record<string, pulumi.Output<string>>;
  /** What pushes send about each router's next rendering, by hostname (`renderPushRendering`). */
  pushRenderings?: Record<string, pulumi.Output<PushRendering>>;
  /** A push's stdin from the previous rendering and the next (`RouterCommands.pushInput`), by hostname. */
  pushInput?: (hostname: string, previous: string, next: PushRendering) => string;
}

/**
 * A declaration's inputs as the resource takes them: each secret the Pulumi secret of its config
 * key, each id or output that of the declared resource it names, each rendered config (or its hash)
 * the router's rendered config Output.
 */
export function inputsOf<I extends object>(
  d: Declaration<I>,
  sources: RefSources,
): Resolved<I, pulumi.Output<string> | pulumi.Input<string>> {
  const missing = (ref: Ref): never => {
    throw new Error(`internal: ${d.name} refers to ${JSON.stringify(ref)}, which its component does not hold`);
  };
  const config = (hostname: string, ref: Ref) => sources.configs?.[hostname] ?? missing(ref);
  return resolveRefs(d.inputs, (ref: Ref): pulumi.Output<string> | pulumi.Input<string> => {
    if (isSecretRef(ref)) return sources.secrets[ref.secretConfigKey] ?? missing(ref);
    if (isIdRef(ref)) return sources.ids?.[ref.idOf] ?? missing(ref);
    if (isOutputRef(ref)) {
      const resource = sources.resources?.[ref.outputOf] ?? missing(ref);
      // A boundary: a declared resource's output property, by the name the declaration gives.
      const value = (resource as unknown as Record<string, pulumi.Output<string> | undefined>)[ref.property];
      if (value === undefined) return missing(ref);
      return ref.secret ? pulumi.secret(value) : value;
    }
    if (isRenderedConfigRef(ref)) {
      const text = config(ref.renderedConfigOf, ref);
      const value = ref.as === "hash" ? text.apply(configHash) : text;
      return ref.secret ? pulumi.secret(value) : value;
    }
    const pushInput = sources.pushInput ?? missing(ref);
    const previous = inputsOf({ ...d, inputs: { previous: ref.previous } }, sources).previous;
    const next = sources.pushRenderings?.[ref.pushInputOf] ?? missing(ref);
    return pulumi.secret(pulumi.all([previous, next]).apply(([prev, n]) => pushInput(ref.pushInputOf, prev, n)));
  });
}

/**
 * A declaration's options for its constructor: its parent component, and each resource it depends
 * on, by declared name, from `resources`. Nothing is added that the declaration does not say.
 */
export function optionsOf(
  d: Declaration<object>,
  parent: pulumi.Resource,
  resources: Record<string, pulumi.Resource> = {},
): pulumi.CustomResourceOptions {
  const { dependsOn, ignoreChanges, additionalSecretOutputs, ...flags }: DeclaredOptions = d.options;
  return {
    parent,
    ...flags,
    ...(ignoreChanges ? { ignoreChanges: [...ignoreChanges] } : {}),
    ...(additionalSecretOutputs ? { additionalSecretOutputs: [...additionalSecretOutputs] } : {}),
    ...(dependsOn
      ? {
          dependsOn: dependsOn.map((name) => {
            const r = resources[name];
            if (!r) throw new Error(`internal: ${d.name} depends on ${name}, which its component does not hold`);
            return r;
          }),
        }
      : {}),
  };
}
