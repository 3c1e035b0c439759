import * as pulumi from "@pulumi/pulumi";
import * as peering from "@pulumi/azure-native/peering";
import { TYPES, type ServiceProviderDeclarations } from "../declarations";
import type { Plan } from "../plan/model";
import type { RouterRenderer } from "../render";
import { PeeringLocation } from "./peeringLocation";
import { inputsOf, optionsOf } from "./support";

export interface ServiceProviderArgs {
  /** The whole plan of the stack (from `buildPlan`). */
  plan: Plan;
  /** Compiled router templates, one batch for the whole program run (`Renderer.batch()`). */
  renderer: RouterRenderer;
  /** MD5 keys by secret config name, as Pulumi secrets (`config.requireSecret`). */
  secrets: Record<string, pulumi.Output<string>>;
  /** What it declares (`declareServiceProvider`, as `declareStackParts` computes it for the stack). */
  declared: ServiceProviderDeclarations;
}

/**
 * The SP as Microsoft sees it: its PeerAsn (name, ASN, contacts), one PeeringLocation per metro that
 * declares a peering (once the PeerAsn is approved), and each registered prefix and origin ASN once,
 * on its home peering. What each of them is declared with is `declareServiceProvider`
 * (declarations/serviceProvider.ts); this component instantiates it.
 */
export class ServiceProvider extends pulumi.ComponentResource {
  readonly peerAsn: peering.PeerAsn;
  readonly locations: Record<string, PeeringLocation>;
  /** By prefix (`198.51.100.0/24`). */
  readonly registeredPrefixes: Record<string, peering.RegisteredPrefix>;
  /** By ASN (`AS64501`). */
  readonly registeredAsns: Record<string, peering.RegisteredAsn>;

  constructor(name: string, args: ServiceProviderArgs, opts?: pulumi.ComponentResourceOptions) {
    super(TYPES.serviceProvider, name, {}, opts);
    const { declared } = args;

    this.peerAsn = new peering.PeerAsn(
      declared.peerAsn.name,
      inputsOf(declared.peerAsn, { secrets: args.secrets }),
      optionsOf(declared.peerAsn, this),
    );

    const routersByMetro = new Map<string, Plan["routers"]>();
    for (const r of args.plan.routers) {
      const list = routersByMetro.get(r.metro.id);
      if (list) list.push(r);
      else routersByMetro.set(r.metro.id, [r]);
    }
    // What the registrations refer to, by declared name: their parent component and the peering they wait for.
    const components: Record<string, PeeringLocation> = {};
    const resources: Record<string, pulumi.Resource> = {};
    this.locations = {};
    for (const location of declared.locations) {
      const created = new PeeringLocation(
        location.component.name,
        {
          declared: location,
          routers: routersByMetro.get(location.metro.id) ?? [],
          renderer: args.renderer,
          secrets: args.secrets,
          peerAsnId: this.peerAsn.id,
        },
        { parent: this },
      );
      this.locations[location.metro.id] = created;
      components[location.component.name] = created;
      resources[location.peering.name] = created.peering;
    }

    this.registeredPrefixes = {};
    this.registeredAsns = {};
    for (const r of declared.registrations) {
      const parent = components[r.declaration.parent?.name ?? ""];
      if (!parent) throw new Error(`internal: ${r.declaration.name} has no PeeringLocation parent`);
      const options = optionsOf(r.declaration, parent, resources);
      if (r.kind === "prefix")
        this.registeredPrefixes[r.registration.key] = new peering.RegisteredPrefix(
          r.declaration.name,
          inputsOf(r.declaration, { secrets: args.secrets }),
          options,
        );
      else
        this.registeredAsns[r.registration.key] = new peering.RegisteredAsn(
          r.declaration.name,
          inputsOf(r.declaration, { secrets: args.secrets }),
          options,
        );
    }

    this.registerOutputs({
      peerAsnName: this.peerAsn.name,
      locations: Object.keys(this.locations),
      registrations: args.plan.registrations.map((r) => `${r.key} ${r.home ?? "waiting"}`),
    });
  }
}
