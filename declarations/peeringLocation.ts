/**
 * One Microsoft peering location: a Direct, Peering Service `Peering` with one connection per
 * declared leg, following the metro's lifecycle state (`plan/lifecycle.ts`). `PeeringLocation`
 * (components/peeringLocation.ts) instantiates it. Pure.
 */
import { LIFECYCLE } from "../plan/lifecycle";
import {
  bgpSessionAddresses,
  legsInOrder,
  PEERING_SERVICE_SKU,
  type Leg,
  type LegAwaitingAddresses,
  type BgpSessionAddresses,
  type Metro,
  type ServiceProviderPlan,
} from "../plan/model";
import { encodePeeringTags, peeringName } from "../plan/peeringTags";
import { component, idRef, secretRef, TYPES, type Declaration, type IdRef, type SecretRef } from "./model";

/** The inputs of a `Peering` (`@pulumi/azure-native` PeeringArgs: the fields we set). */
export interface PeeringInputs {
  peeringName: string;
  resourceGroupName: string;
  location?: string;
  kind: "Direct";
  sku: { name: string };
  peeringLocation: string;
  direct: {
    directPeeringType: "Edge";
    /** The PeerAsn's resource id, known once Azure has created it. */
    peerAsn: { id: IdRef };
    connections: ConnectionInputs[];
  };
  tags: Record<string, string>;
}

export interface ConnectionInputs {
  bandwidthInMbps: number;
  peeringDBFacilityId: number;
  sessionAddressProvider: string;
  useForPeeringService: true;
  bgpSession: BgpSessionAddresses & {
    maxPrefixesAdvertisedV4: number;
    maxPrefixesAdvertisedV6: number;
    md5AuthenticationKey?: SecretRef;
  };
}

export interface PeeringLocationDeclarations {
  metro: Metro;
  /** The `PeeringLocation` component. */
  component: Declaration<object>;
  /** Its `Peering`; `inputs.peeringName` is its Azure name, known during preview (registrations name it). */
  peering: Declaration<PeeringInputs>;
  /** The legs the Peering has a connection for, in connection order. */
  declaredLegs: ReadonlyArray<Leg | LegAwaitingAddresses>;
}

/** The name of a metro's `PeeringLocation` under the ServiceProvider `parentName`: `sp-amsterdam`. */
export function peeringLocationName(parentName: string, metroId: string): string {
  return `${parentName}-${metroId}`;
}

/**
 * What a metro declares, under the component named `name`. From provisioning to maintenance the
 * Peering is protected, so deleting a metro file by mistake makes `pulumi up` refuse instead of
 * tearing a live peering down; decommissioned lifts the protection and sets `retainOnDelete`, so
 * Pulumi never deletes what Microsoft must deprovision. `parent` is the ServiceProvider's declaration.
 */
export function declarePeeringLocation(
  name: string,
  sp: ServiceProviderPlan,
  metro: Metro,
  peerAsn: Declaration<object>,
  parent?: Declaration<object>,
): PeeringLocationDeclarations {
  const rules = LIFECYCLE[metro.status];
  const self = component(TYPES.peeringLocation, name, parent);
  const declaredLegs = legsInOrder(metro).filter((l) => LIFECYCLE[l.status].declared);
  const hasMd5Key = declaredLegs.some((l) => l.md5KeySecret !== undefined);
  const peering: Declaration<PeeringInputs> = {
    type: TYPES.peering,
    name: `${name}-peering`,
    parent: self,
    custom: true,
    inputs: {
      peeringName: peeringName(sp.asn, metro.id),
      resourceGroupName: sp.resourceGroup,
      ...(sp.location ? { location: sp.location } : {}),
      kind: "Direct",
      sku: { name: PEERING_SERVICE_SKU },
      peeringLocation: metro.peeringLocation,
      direct: {
        directPeeringType: "Edge",
        peerAsn: { id: idRef(peerAsn) },
        connections: declaredLegs.map((leg) => connectionOf(sp, metro, leg)),
      },
      tags: locationTags(sp, metro, declaredLegs),
    },
    options: {
      protect: rules.protect,
      retainOnDelete: rules.retainOnDelete,
      // Under the engine a policy sees secrets unwrapped; declaring `direct` a secret output is what
      // lets the policy pack check that MD5 keys stay secret (and keeps them encrypted in state).
      ...(hasMd5Key ? { additionalSecretOutputs: ["direct"] } : {}),
    },
  };
  return { metro, component: self, peering, declaredLegs };
}

function connectionOf(sp: ServiceProviderPlan, metro: Metro, leg: Leg | LegAwaitingAddresses): ConnectionInputs {
  // A leg waiting for Microsoft's addresses declares none: Microsoft assigns them after the request.
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
      ...(leg.md5KeySecret ? { md5AuthenticationKey: secretRef(leg.md5KeySecret) } : {}),
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
