import * as pulumi from "@pulumi/pulumi";
import * as peering from "@pulumi/azure-native/peering";
import type { Plan, Registration } from "../plan/model";
import { registeredAsnName, registeredPrefixName, registrationResourceName } from "../plan/peeringTags";
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
 * What Microsoft does not let change after creation: a PeerAsn's ASN, name and contacts
 * ("Modifying a PeerAsn isn't currently supported", learn.microsoft.com, internet-peering "Associate
 * your ASN with an Azure subscription using the Azure portal"). Pulumi never sends an edit of them.
 */
export const PEER_ASN_IMMUTABLE: readonly string[] = ["peerAsn", "peerName", "peerContactDetail"];

/**
 * The SP as Microsoft sees it: its PeerAsn (name, ASN, contacts), one PeeringLocation per metro that
 * declares a peering (once the PeerAsn is approved), and each registered prefix and origin ASN once,
 * on its home peering.
 */
export class ServiceProvider extends pulumi.ComponentResource {
  readonly peerAsn: peering.PeerAsn;
  readonly locations: Record<string, PeeringLocation>;
  /** By prefix (`198.51.100.0/24`). */
  readonly registeredPrefixes: Record<string, peering.RegisteredPrefix>;
  /** By ASN (`AS64501`). */
  readonly registeredAsns: Record<string, peering.RegisteredAsn>;

  constructor(name: string, args: ServiceProviderArgs, opts?: pulumi.ComponentResourceOptions) {
    super("peering-as-code:index:ServiceProvider", name, {}, opts);
    const { sp, metros } = args.plan;

    // The ASN registration comes first and outlives every metro: protected, and never edited.
    this.peerAsn = new peering.PeerAsn(
      `${name}-as${sp.asn}`,
      {
        peerAsnName: `as${sp.asn}`,
        peerAsn: sp.asn,
        peerName: sp.name,
        peerContactDetail: sp.contacts.map((c) => ({
          role: c.role,
          email: c.email,
          ...(c.phone ? { phone: c.phone } : {}),
        })),
      },
      { parent: this, protect: true, ignoreChanges: [...PEER_ASN_IMMUTABLE] },
    );

    this.locations = {};
    for (const metro of metros.filter((m) => m.declared)) {
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

    this.registeredPrefixes = {};
    this.registeredAsns = {};
    for (const r of args.plan.registrations) {
      const home = r.home === undefined ? undefined : this.locations[r.home];
      if (!home) continue; // waiting: declared nowhere yet
      if (r.kind === "prefix") this.registeredPrefixes[r.key] = this.registerPrefix(name, r, home, sp.resourceGroup);
      else this.registeredAsns[r.key] = this.registerAsn(name, r, home, sp.resourceGroup);
    }

    this.registerOutputs({
      peerAsnName: this.peerAsn.name,
      locations: Object.keys(this.locations),
      registrations: args.plan.registrations.map((r) => `${r.key} ${r.home ?? "waiting"}`),
    });
  }

  /**
   * A registration on its home peering. The Pulumi name never names the home, and `peeringName` is
   * create-only, so a new home replaces the resource in place; `deleteBeforeReplace` deletes the old
   * registration first, because Azure refuses a prefix registered twice. The plain peering name
   * (not the peering's output) keeps the inputs known during preview, so the policies can match a
   * registration to its metro; `dependsOn` keeps the order.
   */
  private options(r: Registration, home: PeeringLocation): pulumi.CustomResourceOptions {
    return { parent: home, dependsOn: [home.peering], protect: r.protect, deleteBeforeReplace: true };
  }

  private registerPrefix(
    name: string,
    r: Registration,
    home: PeeringLocation,
    resourceGroupName: string,
  ): peering.RegisteredPrefix {
    const prefix = r.prefix?.prefix ?? r.key;
    return new peering.RegisteredPrefix(
      registrationResourceName(name, r),
      // The name tells the policy pack (and the Azure portal's reader) the origin ASN.
      {
        peeringName: home.peeringName,
        resourceGroupName,
        registeredPrefixName: registeredPrefixName(prefix, r.asn),
        prefix,
      },
      this.options(r, home),
    );
  }

  private registerAsn(
    name: string,
    r: Registration,
    home: PeeringLocation,
    resourceGroupName: string,
  ): peering.RegisteredAsn {
    return new peering.RegisteredAsn(
      registrationResourceName(name, r),
      { peeringName: home.peeringName, resourceGroupName, registeredAsnName: registeredAsnName(r.asn), asn: r.asn },
      this.options(r, home),
    );
  }
}
