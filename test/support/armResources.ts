/**
 * Microsoft.Peering resources as the ARM REST API returns them, api-version 2022-10-01: the shapes
 * of azure-rest-api-specs `specification/peering/resource-manager/Microsoft.Peering/stable/2022-10-01/`
 * (`peering.json` and its examples `ListPeerAsnsBySubscription.json`, `ListPeeringsByResourceGroup.json`,
 * `ValidateRegisteredPrefix.json`, `ListRegisteredAsnsByPeering.json`, `GetPeeringReceivedRoutes.json`).
 * Only what the spec defines, with the spec's property names; enums are `string` because the spec
 * models them as strings (`modelAsString`), so a new value Microsoft adds must not break a reader.
 *
 * The fake ARM endpoint (`fakeArm.ts`) serves these; `armWorld.ts` builds them from a plan.
 */

/** `ContactDetail` */
export interface ArmContactDetail {
  role: string;
  email: string;
  phone?: string;
}

/** `PeerAsn` (subscription scope). */
export interface ArmPeerAsn {
  id: string;
  name: string;
  type: "Microsoft.Peering/peerAsns";
  properties: {
    peerAsn: number;
    peerContactDetail: ArmContactDetail[];
    peerName: string;
    /** None, Pending, Approved, Failed */
    validationState: string;
    errorMessage?: string;
  };
}

/** `BgpSession` */
export interface ArmBgpSession {
  sessionPrefixV4?: string;
  sessionPrefixV6?: string;
  microsoftSessionIPv4Address?: string;
  microsoftSessionIPv6Address?: string;
  peerSessionIPv4Address?: string;
  peerSessionIPv6Address?: string;
  /** None, Idle, Connect, Active, OpenSent, OpenConfirm, OpenReceived, Established, PendingAdd, PendingUpdate, PendingRemove */
  sessionStateV4?: string;
  sessionStateV6?: string;
  maxPrefixesAdvertisedV4?: number;
  maxPrefixesAdvertisedV6?: number;
  md5AuthenticationKey?: string;
}

/** `DirectConnection` */
export interface ArmDirectConnection {
  bandwidthInMbps: number;
  provisionedBandwidthInMbps?: number;
  /** Microsoft, Peer */
  sessionAddressProvider: string;
  useForPeeringService: boolean;
  microsoftTrackingId?: string;
  peeringDBFacilityId: number;
  /** None, PendingApproval, Approved, ProvisioningStarted, ProvisioningFailed, ProvisioningCompleted, Validating, Active, TypeChangeRequested, TypeChangeInProgress */
  connectionState: string;
  bgpSession?: ArmBgpSession;
  connectionIdentifier: string;
  errorMessage?: string;
}

/** `Peering` of kind Direct (resource group scope). */
export interface ArmPeering {
  id: string;
  name: string;
  type: "Microsoft.Peering/peerings";
  location: string;
  kind: string;
  sku: { name: string; tier?: string; family?: string; size?: string };
  tags?: Record<string, string>;
  properties: {
    direct?: {
      connections: ArmDirectConnection[];
      useForPeeringService?: boolean;
      peerAsn: { id: string };
      directPeeringType: string;
    };
    peeringLocation: string;
    /** Succeeded, Updating, Deleting, Failed */
    provisioningState: string;
  };
}

/** `PeeringRegisteredPrefix` */
export interface ArmRegisteredPrefix {
  id: string;
  name: string;
  type: "Microsoft.Peering/registeredPrefixes";
  properties: {
    prefix: string;
    /** None, Invalid, Verified, Failed, Pending, Warning, Unknown */
    prefixValidationState: string;
    peeringServicePrefixKey?: string;
    errorMessage?: string;
    provisioningState: string;
  };
}

/** `PeeringRegisteredAsn` */
export interface ArmRegisteredAsn {
  id: string;
  name: string;
  type: "Microsoft.Peering/registeredAsns";
  properties: {
    asn: number;
    peeringServicePrefixKey?: string;
    provisioningState: string;
  };
}

/** `PeeringReceivedRoute` (receivedRoutes of a peering: what Microsoft received on it). */
export interface ArmReceivedRoute {
  prefix: string;
  nextHop: string;
  asPath: string;
  originAsValidationState: string;
  rpkiValidationState: string;
  trustAnchor: string;
  receivedTimestamp: string;
}

/** `ErrorResponse` */
export interface ArmError {
  error: { code: string; message: string };
}

export const peerAsnId = (subscription: string, name: string) =>
  `/subscriptions/${subscription}/providers/Microsoft.Peering/peerAsns/${name}`;

export { peeringResourceId as peeringId } from "../../telemetry/reader";

export function peerAsnResource(
  subscription: string,
  p: {
    name: string;
    asn: number;
    peerName: string;
    contacts: ArmContactDetail[];
    validationState: string;
    errorMessage?: string;
  },
): ArmPeerAsn {
  return {
    id: peerAsnId(subscription, p.name),
    name: p.name,
    type: "Microsoft.Peering/peerAsns",
    properties: {
      peerAsn: p.asn,
      peerContactDetail: p.contacts,
      peerName: p.peerName,
      validationState: p.validationState,
      ...(p.errorMessage !== undefined ? { errorMessage: p.errorMessage } : {}),
    },
  };
}

export function registeredPrefixResource(
  peering: Pick<ArmPeering, "id">,
  r: {
    name: string;
    prefix: string;
    validationState: string;
    key?: string;
    errorMessage?: string;
    provisioningState?: string;
  },
): ArmRegisteredPrefix {
  return {
    id: `${peering.id}/registeredPrefixes/${r.name}`,
    name: r.name,
    type: "Microsoft.Peering/registeredPrefixes",
    properties: {
      prefix: r.prefix,
      prefixValidationState: r.validationState,
      ...(r.key !== undefined ? { peeringServicePrefixKey: r.key } : {}),
      ...(r.errorMessage !== undefined ? { errorMessage: r.errorMessage } : {}),
      provisioningState: r.provisioningState ?? "Succeeded",
    },
  };
}

export function registeredAsnResource(
  peering: Pick<ArmPeering, "id">,
  r: { name: string; asn: number; key?: string; provisioningState?: string },
): ArmRegisteredAsn {
  return {
    id: `${peering.id}/registeredAsns/${r.name}`,
    name: r.name,
    type: "Microsoft.Peering/registeredAsns",
    properties: {
      asn: r.asn,
      ...(r.key !== undefined ? { peeringServicePrefixKey: r.key } : {}),
      provisioningState: r.provisioningState ?? "Succeeded",
    },
  };
}
