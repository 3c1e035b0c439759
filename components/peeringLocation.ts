import * as pulumi from "@pulumi/pulumi";
import * as peering from "@pulumi/azure-native/peering";
import { PEERING_SERVICE_SKU, type Leg, type Metro, type RouterPlan, type ServiceProvider } from "../plan/model";
import { redactingResolver, type Renderer } from "../render";
import { azureName, renderRouterConfig } from "./support";

export interface PeeringLocationArgs {
  /** The SP as planned: ASN, registered prefixes and ASNs, resource group. */
  sp: ServiceProvider;
  /** The metro as planned: its legs, their session addressing and BGP sessions. */
  metro: Metro;
  /** The config models of the metro's SP routers (normally two, one per leg). */
  routers: RouterPlan[];
  /** Compiled templates; rendering happens here so secrets never leave Pulumi outputs. */
  renderer: Renderer;
  /** MD5 keys by secret config name, as Pulumi secrets. */
  secrets: Record<string, pulumi.Output<string>>;
  /** The SP's PeerAsn resource id, referenced by the peering. */
  peerAsnId: pulumi.Input<string>;
}

/**
 * One Microsoft peering location: a Direct, Peering Service `Peering` with one connection per leg,
 * the SP's registered ASNs and prefixes on it, and each SP router's rendered config as an output.
 *
 * While the metro is `active` every resource here is protected: deleting a metro file by mistake
 * makes `pulumi up` refuse instead of tearing a live peering down. Decommissioning is explicit: set
 * `status: decommissioned` (one `pulumi up` lifts the protection), then delete the file.
 */
export class PeeringLocation extends pulumi.ComponentResource {
  readonly peering: peering.Peering;
  readonly registeredAsns: peering.RegisteredAsn[];
  readonly registeredPrefixes: peering.RegisteredPrefix[];
  /** Rendered config per router hostname; secret when the config carries an MD5 key. */
  readonly configs: Record<string, pulumi.Output<string>>;
  /** The same configs with every secret replaced by REDACTED: fit for review and change tickets. */
  readonly reviewConfigs: Record<string, string>;
  /** Which router config serves which leg (`a` → `ams-edge-1`). */
  readonly legRouters: Record<string, string>;

  constructor(name: string, args: PeeringLocationArgs, opts?: pulumi.ComponentResourceOptions) {
    super("peering-as-code:index:PeeringLocation", name, {}, { protect: args.metro.status === "active", ...opts });
    const { sp, metro } = args;
    const child = { parent: this };

    this.peering = new peering.Peering(
      `${name}-peering`,
      {
        peeringName: azureName(`maps-as${sp.asn}-${metro.id}`),
        resourceGroupName: sp.resourceGroup,
        ...(sp.location ? { location: sp.location } : {}),
        kind: "Direct",
        sku: { name: PEERING_SERVICE_SKU },
        peeringLocation: metro.peeringLocation,
        direct: {
          directPeeringType: "Edge",
          peerAsn: { id: args.peerAsnId },
          connections: metro.legs.map((leg) => connectionOf(sp, metro, leg, args.secrets)),
        },
        tags: locationTags(metro),
      },
      child,
    );

    this.registeredAsns = sp.registeredAsns.map(
      (asn) =>
        new peering.RegisteredAsn(
          `${name}-as${asn}`,
          { peeringName: this.peering.name, resourceGroupName: sp.resourceGroup, registeredAsnName: `as${asn}`, asn },
          child,
        ),
    );
    this.registeredPrefixes = sp.prefixes.map(
      (p) =>
        new peering.RegisteredPrefix(
          `${name}-${azureName(p.prefix)}`,
          { peeringName: this.peering.name, resourceGroupName: sp.resourceGroup, registeredPrefixName: azureName(p.prefix), prefix: p.prefix },
          child,
        ),
    );

    this.configs = {};
    this.reviewConfigs = {};
    for (const router of args.routers) {
      this.configs[router.hostname] = renderRouterConfig(args.renderer, router, args.secrets);
      this.reviewConfigs[router.hostname] = args.renderer.render(router, redactingResolver).text;
    }
    this.legRouters = Object.fromEntries(metro.legs.map((l) => [l.name, l.hostname]));

    this.registerOutputs({
      peeringName: this.peering.name,
      configs: this.configs,
      reviewConfigs: this.reviewConfigs,
      legRouters: this.legRouters,
    });
  }
}

function connectionOf(sp: ServiceProvider, metro: Metro, leg: Leg, secrets: Record<string, pulumi.Output<string>>) {
  return {
    bandwidthInMbps: leg.bandwidthMbps,
    peeringDBFacilityId: metro.peeringDbFacilityId,
    sessionAddressProvider: sp.sessionAddressProvider,
    useForPeeringService: true,
    bgpSession: {
      sessionPrefixV4: leg.ipv4.prefix,
      sessionPrefixV6: leg.ipv6.prefix,
      microsoftSessionIPv4Address: leg.ipv4.microsoft,
      microsoftSessionIPv6Address: leg.ipv6.microsoft,
      peerSessionIPv4Address: leg.ipv4.sp,
      peerSessionIPv6Address: leg.ipv6.sp,
      maxPrefixesAdvertisedV4: sp.advertisedMaxPrefix.ipv4,
      maxPrefixesAdvertisedV6: sp.advertisedMaxPrefix.ipv6,
      ...(leg.md5KeySecret ? { md5AuthenticationKey: secrets[leg.md5KeySecret] } : {}),
    },
  };
}

/**
 * Azure tags that let a policy (which sees only resource properties, not component inputs) know which
 * SP router and interface serve each connection, in connection order.
 */
function locationTags(metro: Metro): Record<string, string> {
  return {
    "managed-by": "peering-as-code",
    metro: metro.id,
    region: metro.region,
    status: metro.status,
    "leg-names": metro.legs.map((l) => l.name).join(","),
    "leg-routers": metro.legs.map((l) => l.hostname).join(","),
    "leg-interfaces": metro.legs.map((l) => l.interface).join(","),
  };
}
