import * as pulumi from "@pulumi/pulumi";
import * as peering from "@pulumi/azure-native/peering";
import { PEERING_SERVICE_SKU, type Leg, type Metro, type RouterPlan, type ServiceProviderPlan } from "../plan/model";
import { azureName, encodePeeringTags, peeringName as peeringNameOf, registeredPrefixName } from "../plan/peeringTags";
import { redactingResolver, type Renderer } from "../render";
import { renderRouterConfig } from "./support";

export interface PeeringLocationArgs {
  /** The SP as planned: ASN, registered prefixes and ASNs, resource group. */
  sp: ServiceProviderPlan;
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

    const peeringName = peeringNameOf(sp.asn, metro.id);
    const hasMd5Key = metro.legs.some((l) => l.md5KeySecret !== undefined);
    this.peering = new peering.Peering(
      `${name}-peering`,
      {
        peeringName,
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
        tags: locationTags(sp, metro),
      },
      // Under the engine a policy sees secrets unwrapped; declaring `direct` a secret output is what
      // lets the policy pack check that MD5 keys stay secret (and keeps them encrypted in state).
      hasMd5Key ? { ...child, additionalSecretOutputs: ["direct"] } : child,
    );
    // The plain name (not the peering's output) keeps the registrations' props known during preview,
    // so policies can match them to their metro; dependsOn keeps the order.
    const registration = { parent: this, dependsOn: [this.peering] };

    this.registeredAsns = sp.registeredAsns.map(
      (asn) =>
        new peering.RegisteredAsn(
          `${name}-as${asn}`,
          { peeringName, resourceGroupName: sp.resourceGroup, registeredAsnName: `as${asn}`, asn },
          registration,
        ),
    );
    this.registeredPrefixes = sp.prefixes.map(
      (p) =>
        new peering.RegisteredPrefix(
          `${name}-${azureName(p.prefix)}`,
          // The name tells the policy pack (and the Azure portal's reader) the origin ASN.
          { peeringName, resourceGroupName: sp.resourceGroup, registeredPrefixName: registeredPrefixName(p.prefix, p.originAsn), prefix: p.prefix },
          registration,
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

function connectionOf(sp: ServiceProviderPlan, metro: Metro, leg: Leg, secrets: Record<string, pulumi.Output<string>>) {
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

/** What the policies read from the peering's tags (`plan/peeringTags.ts`; README "Policies" says which rule reads which). */
function locationTags(sp: ServiceProviderPlan, metro: Metro): Record<string, string> {
  const limit = (leg: Leg, afi: "ipv4" | "ipv6") => leg.sessions.find((s) => s.afi === afi)?.maxPrefix.limit;
  const region = sp.regions.find((r) => r.name === metro.region);
  return encodePeeringTags({
    metro: metro.id,
    region: metro.region,
    status: metro.status,
    legs: metro.legs.map((l) => ({ name: l.name, router: l.hostname, interface: l.interface, maxPrefixV4: limit(l, "ipv4"), maxPrefixV6: limit(l, "ipv6") })),
    location: { latitude: metro.latitude, longitude: metro.longitude },
    ...(region ? { regionCentre: { latitude: region.latitude, longitude: region.longitude } } : {}),
    servedRegions: sp.regions.map((r) => r.name),
  });
}
