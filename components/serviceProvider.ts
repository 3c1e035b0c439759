import * as pulumi from "@pulumi/pulumi";
import * as peering from "@pulumi/azure-native/peering";
import type { Plan } from "../plan/model";
import type { Renderer } from "../render";
import { PeeringLocation } from "./peeringLocation";

export interface ServiceProviderArgs {
  /** The whole plan of the stack (from `buildPlan`). */
  plan: Plan;
  /** Compiled router templates. */
  renderer: Renderer;
  /** MD5 keys by secret config name, as Pulumi secrets (`config.requireSecret`). */
  secrets: Record<string, pulumi.Output<string>>;
}

/**
 * The SP as Microsoft sees it: its PeerAsn (name, ASN, contacts) and one PeeringLocation per metro.
 */
export class ServiceProvider extends pulumi.ComponentResource {
  readonly peerAsn: peering.PeerAsn;
  readonly locations: Record<string, PeeringLocation>;

  constructor(name: string, args: ServiceProviderArgs, opts?: pulumi.ComponentResourceOptions) {
    super("peering-as-code:index:ServiceProvider", name, {}, opts);
    const { sp, metros } = args.plan;

    // The ASN registration outlives any single metro: protected, like live peerings.
    this.peerAsn = new peering.PeerAsn(
      `${name}-as${sp.asn}`,
      {
        peerAsnName: `as${sp.asn}`,
        peerAsn: sp.asn,
        peerName: sp.name,
        peerContactDetail: sp.contacts.map((c) => ({ role: c.role, email: c.email, ...(c.phone ? { phone: c.phone } : {}) })),
      },
      { parent: this, protect: true },
    );

    this.locations = {};
    for (const metro of metros) {
      this.locations[metro.id] = new PeeringLocation(
        `${name}-${metro.id}`,
        {
          sp,
          metro,
          routers: args.plan.routers.filter((r) => r.metro.id === metro.id),
          renderer: args.renderer,
          secrets: args.secrets,
          peerAsnId: this.peerAsn.id,
        },
        { parent: this },
      );
    }

    this.registerOutputs({ peerAsnName: this.peerAsn.name, locations: Object.keys(this.locations) });
  }
}
