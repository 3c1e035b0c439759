import * as pulumi from "@pulumi/pulumi";
import * as peering from "@pulumi/azure-native/peering";
import { TYPES, type PeeringLocationDeclarations } from "../declarations";
import type { RouterPlan } from "../plan/model";
import { redactingResolver, type RouterRenderer } from "../render";
import { inputsOf, optionsOf, renderRouterConfig } from "./support";

export interface PeeringLocationArgs {
  /**
   * What the metro declares, under this component's name (`declarePeeringLocation`,
   * declarations/peeringLocation.ts): its Peering, with the inputs and options the plan gives it.
   */
  declared: PeeringLocationDeclarations;
  /** The config models of the metro's SP routers whose legs are rendered (normally two, one per leg). */
  routers: RouterPlan[];
  /**
   * Compiled templates, one batch for the whole program run (`Renderer.batch()`): rendering happens
   * here so secrets never leave Pulumi outputs.
   */
  renderer: RouterRenderer;
  /** MD5 keys by secret config name, as Pulumi secrets. */
  secrets: Record<string, pulumi.Output<string>>;
  /** The SP's PeerAsn resource id, referenced by the peering. */
  peerAsnId: pulumi.Input<string>;
}

/** What Azure reports of one leg's connection (read-only outputs; unknown until Azure reports them). */
export interface ConnectionStatus {
  leg: string;
  connectionIdentifier?: string;
  connectionState?: string;
  sessionStateV4?: string;
  sessionStateV6?: string;
}

/**
 * One Microsoft peering location: a Direct, Peering Service `Peering` with one connection per
 * declared leg, and each SP router's rendered config as an output. The registrations whose home
 * this is are declared by the ServiceProvider, as children of this component.
 *
 * What is declared, and how it is protected, follows the metro's lifecycle state
 * (`plan/lifecycle.ts`): from provisioning to maintenance the Peering is Pulumi-`protect`ed, so
 * deleting a metro file by mistake makes `pulumi up` refuse instead of tearing a live peering down;
 * decommissioned lifts the protection and sets `retainOnDelete`, so Pulumi never deletes what
 * Microsoft must deprovision.
 */
export class PeeringLocation extends pulumi.ComponentResource {
  readonly peering: peering.Peering;
  /** The Azure name of the peering, known during preview (registrations name it). */
  readonly peeringName: string;
  /** Rendered config per router hostname; secret when the config carries an MD5 key. */
  readonly configs: Record<string, pulumi.Output<string>>;
  /** The same configs with every secret replaced by REDACTED: fit for review and change tickets. */
  readonly reviewConfigs: Record<string, string>;
  /** Which router config serves which leg (`a` → `ams-edge-1`). */
  readonly legRouters: Record<string, string>;
  /** Per declared leg, in connection order, what Azure reports of its connection. */
  readonly connections: pulumi.Output<ConnectionStatus[]>;

  constructor(name: string, args: PeeringLocationArgs, opts?: pulumi.ComponentResourceOptions) {
    super(TYPES.peeringLocation, name, {}, opts);
    const { declared } = args;
    const peerAsnRef = declared.peering.inputs.direct.peerAsn.id.idOf;

    this.peeringName = declared.peering.inputs.peeringName;
    this.peering = new peering.Peering(
      declared.peering.name,
      inputsOf(declared.peering, { secrets: args.secrets, ids: { [peerAsnRef]: args.peerAsnId } }),
      optionsOf(declared.peering, this),
    );

    this.configs = {};
    this.reviewConfigs = {};
    for (const router of args.routers) {
      this.configs[router.hostname] = renderRouterConfig(args.renderer, router, args.secrets);
      this.reviewConfigs[router.hostname] = args.renderer.render(router, redactingResolver).text;
    }
    this.legRouters = Object.fromEntries(args.routers.flatMap((r) => r.legs.map((l) => [l.name, r.hostname])));
    // Azure's read-only connection fields, matched to the legs by position (connections keep their order).
    this.connections = this.peering.direct.apply((direct) =>
      declared.declaredLegs.map((leg, i) => {
        const c = direct?.connections?.[i];
        return {
          leg: leg.name,
          ...(c?.connectionIdentifier ? { connectionIdentifier: c.connectionIdentifier } : {}),
          ...(c?.connectionState ? { connectionState: c.connectionState } : {}),
          ...(c?.bgpSession?.sessionStateV4 ? { sessionStateV4: c.bgpSession.sessionStateV4 } : {}),
          ...(c?.bgpSession?.sessionStateV6 ? { sessionStateV6: c.bgpSession.sessionStateV6 } : {}),
        };
      }),
    );

    this.registerOutputs({
      peeringName: this.peering.name,
      configs: this.configs,
      reviewConfigs: this.reviewConfigs,
      legRouters: this.legRouters,
      connections: this.connections,
    });
  }
}
