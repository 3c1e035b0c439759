/** Every rule of the pack, in the order the README lists them. */
import { equalCapacity } from "./equalCapacity";
import { geoRedundancy } from "./geoRedundancy";
import { localRedundancy } from "./localRedundancy";
import { nearestEdge } from "./nearestEdge";
import { peeringServiceSettings } from "./peeringServiceSettings";
import { registeredPrefixes } from "./registeredPrefixes";
import { sessionAddressing } from "./sessionAddressing";
import type { Rule } from "./types";

export const RULES: readonly Rule[] = [localRedundancy, geoRedundancy, equalCapacity, sessionAddressing, peeringServiceSettings, registeredPrefixes, nearestEdge];

export * from "./types";
