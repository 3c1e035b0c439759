/** Every rule of the pack, in the order the README lists them. */
import { customerPeeringService } from "./customerPeeringService";
import { equalCapacity } from "./equalCapacity";
import { geoRedundancy } from "./geoRedundancy";
import { lifecycle } from "./lifecycle";
import { localRedundancy } from "./localRedundancy";
import { microsoftExceptions } from "./microsoftExceptions";
import { nearestEdge } from "./nearestEdge";
import { peeringServiceSettings } from "./peeringServiceSettings";
import { registeredPrefixes } from "./registeredPrefixes";
import { registrations } from "./registrations";
import { sessionAddressing } from "./sessionAddressing";
import type { Rule } from "./types";

/** The pack's name, as the engine and the offline plan show it (its version is policies/package.json's). */
export const PACK_NAME = "peering-as-code";

export const RULES: readonly Rule[] = [
  localRedundancy,
  geoRedundancy,
  equalCapacity,
  sessionAddressing,
  peeringServiceSettings,
  registeredPrefixes,
  registrations,
  lifecycle,
  customerPeeringService,
  nearestEdge,
  microsoftExceptions,
];

export * from "./types";
