import * as pulumi from "@pulumi/pulumi";
import * as peering from "@pulumi/azure-native/peering";
import { LIFECYCLE } from "../plan/lifecycle";
import {
  bgpSessionAddresses,
  legsInOrder,
  PEERING_SERVICE_SKU,
  type Leg,
  type LegAwaitingAddresses,
  type Metro,
  type RouterPlan,
  type ServiceProviderPlan,
} from "../plan/model";
import { encodePeeringTags, peeringName as peeringNameOf } from "../plan/peeringTags";
import { redactingResolver, type Renderer } from "../render";
import { renderRouterConfig } from "./support";

export interface PeeringLocationArgs {
  /** The SP as planned: ASN, resource group, what Microsoft should expect from us. */
  sp: ServiceProviderPlan;
  /** The metro as planned: its lifecycle state, its legs, their session addressing and BGP sessions. */
  metro: Metro;
  /** The config models of the metro's SP routers whose legs are rendered (normally two, one per leg). */
  routers: RouterPlan[];
  /** Compiled templates; rendering happens here so secrets never leave Pulumi outputs. */
  renderer: Renderer;
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
    super("peering-as-code:index:PeeringLocation", name, {}, opts);
    const { sp, metro } = args;
    const rules = LIFECYCLE[metro.status];

    this.peeringName = peeringNameOf(sp.asn, metro.id);
    const declaredLegs = legsInOrder(metro).filter((l) => LIFECYCLE[l.status].declared);
    const hasMd5Key = declaredLegs.some((l) => l.md5KeySecret !== undefined);
    this.peering = new peering.Peering(
      `${name}-peering`,
      {
        peeringName: this.peeringName,
        resourceGroupName: sp.resourceGroup,
        ...(sp.location ? { location: sp.location } : {}),
        kind: "Direct",
        sku: { name: PEERING_SERVICE_SKU },
        peeringLocation: metro.peeringLocation,
        direct: {
          directPeeringType: "Edge",
          peerAsn: { id: args.peerAsnId },
          connections: declaredLegs.map((leg) => connectionOf(sp, metro, leg, args.secrets)),
        },
        tags: locationTags(sp, metro, declaredLegs),
      },
      {
        parent: this,
        protect: rules.protect,
        retainOnDelete: rules.retainOnDelete,
        // Under the engine a policy sees secrets unwrapped; declaring `direct` a secret output is what
        // lets the policy pack check that MD5 keys stay secret (and keeps them encrypted in state).
        ...(hasMd5Key ? { additionalSecretOutputs: ["direct"] } : {}),
      },
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
      declaredLegs.map((leg, i) => {
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

function connectionOf(
  sp: ServiceProviderPlan,
  metro: Metro,
  leg: Leg | LegAwaitingAddresses,
  secrets: Record<string, pulumi.Output<string>>,
) {
  const addresses = bgpSessionAddresses(leg);
  return {
    bandwidthInMbps: leg.bandwidthMbps,
    peeringDBFacilityId: metro.peeringDbFacilityId,
    sessionAddressProvider: sp.sessionAddressProvider,
    useForPeeringService: true,
    bgpSession: {
      ...addresses,
      maxPrefixesAdvertisedV4: sp.advertisedMaxPrefix.ipv4,
      maxPrefixesAdvertisedV6: sp.advertisedMaxPrefix.ipv6,
      ...(leg.md5KeySecret ? { md5AuthenticationKey: secrets[leg.md5KeySecret] } : {}),
    },
  };
}

/** What the policies read from the peering's tags (`plan/peeringTags.ts`; README "Policies" says which rule reads which). */
function locationTags(
  sp: ServiceProviderPlan,
  metro: Metro,
  legs: ReadonlyArray<Leg | LegAwaitingAddresses>,
): Record<string, string> {
  const region = sp.regions.find((r) => r.name === metro.region);
  return encodePeeringTags({
    metro: metro.id,
    region: metro.region,
    status: metro.status,
    legs: legs.map((l) => ({
      name: l.name,
      status: l.status,
      router: l.hostname,
      interface: l.interface,
      portGbps: l.portGbps,
      maxPrefixV4: l.maxPrefixLimit.ipv4,
      maxPrefixV6: l.maxPrefixLimit.ipv6,
      ...(l.md5Agreement ? { md5Agreement: l.md5Agreement } : {}),
    })),
    location: { latitude: metro.latitude, longitude: metro.longitude },
    ...(region ? { regionCentre: { latitude: region.latitude, longitude: region.longitude } } : {}),
    servedRegions: sp.regions.map((r) => r.name),
  });
}
