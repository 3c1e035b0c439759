/**
 * peering-service-settings: what makes a Direct peering a Peering Service one (kind Direct, SKU
 * Premium_Direct_Free, every connection used for Peering Service), max-prefix limits on what
 * Microsoft sends set within bounds on every leg (the lower bounds are Microsoft's recommendation,
 * 2000 and 500: learn.microsoft.com, internet-peering "Peering policy"), an SP ASN that can be a
 * public origin and a peer name as Microsoft documents it, and MD5 keys only as an exception
 * Microsoft agreed to ("MD5 isn't supported", same page), kept as Pulumi secrets.
 */
import { PEERING_SERVICE_SKU } from "../../plan/model";
import { MD5_AGREEMENT_TAG_PREFIX, PEERING_TAGS, text } from "../../plan/peeringTags";
import { asnProblem } from "./numbers";
import { TYPES, type ResourceRule } from "./types";
import { integer, inventoryFiles, peeringView } from "./views";

/** What Microsoft documents for peerName: "supports only characters a-z, A-Z, and space" (learn.microsoft.com, internet-peering "Associate peer ASN to Azure subscription using PowerShell"). */
const PEER_NAME = /^[A-Za-z ]+$/;

export interface PeeringServiceSettingsConfig {
  allowDocumentationRanges: boolean;
  maxPrefixV4Min: number;
  maxPrefixV4Max: number;
  maxPrefixV6Min: number;
  maxPrefixV6Max: number;
}

export const peeringServiceSettings: ResourceRule<PeeringServiceSettingsConfig> = {
  kind: "resource",
  name: "peering-service-settings",
  description:
    "Kind Direct, SKU Premium_Direct_Free, useForPeeringService on every connection, max-prefix on what Microsoft sends set and within bounds, a public SP ASN and a peer name of letters and spaces, MD5 keys only as agreed exceptions, as secrets.",
  enforcementLevel: "mandatory",
  config: {
    allowDocumentationRanges: {
      type: "boolean",
      default: false,
      description: "Accept documentation ASNs (RFC 5398) as the SP ASN: lab stacks only.",
    },
    maxPrefixV4Min: {
      type: "integer",
      minimum: 1,
      default: 2000,
      description:
        "Lowest max-prefix limit on IPv4 routes from Microsoft: its peering policy recommends 2000 (lower and normal growth tears the session down).",
    },
    maxPrefixV4Max: {
      type: "integer",
      minimum: 1,
      default: 100000,
      description:
        "Highest max-prefix limit on IPv4 routes from Microsoft (higher no longer protects the router from a leak).",
    },
    maxPrefixV6Min: {
      type: "integer",
      minimum: 1,
      default: 500,
      description: "Lowest max-prefix limit on IPv6 routes from Microsoft: its peering policy recommends 500.",
    },
    maxPrefixV6Max: {
      type: "integer",
      minimum: 1,
      default: 100000,
      description: "Highest max-prefix limit on IPv6 routes from Microsoft.",
    },
  },
  validate(resource, config, report) {
    const sp = inventoryFiles(resource.urn).sp;
    if (resource.type === TYPES.peerAsn) {
      const asn = integer(resource.props.peerAsn);
      const problem = asn === undefined ? "peerAsn is not set" : asnProblem(asn, config.allowDocumentationRanges);
      if (problem)
        report(
          `the SP ASN: ${problem}; Peering Service needs the SP's public ASN. Fix: set asn in ${sp} to the SP's own public ASN`,
        );
      const peerName = text(resource.props.peerName);
      if (peerName !== undefined && !PEER_NAME.test(peerName)) {
        report(
          `the PeerAsn's peerName ${JSON.stringify(peerName)} has characters Microsoft does not accept: it documents only a-z, A-Z and spaces. Fix: set name in ${sp} to the company name in letters and spaces`,
        );
      }
      return;
    }
    if (resource.type !== TYPES.peering) return;
    const p = peeringView(resource);
    if (p.kind !== "Direct") {
      report(
        `metro ${p.metro}: kind is ${JSON.stringify(p.kind)}; Peering Service runs on Direct peerings. Fix: set kind: "Direct" (declare the metro through the PeeringLocation component)`,
      );
    }
    if (p.sku !== PEERING_SERVICE_SKU) {
      report(
        `metro ${p.metro}: sku.name is ${JSON.stringify(p.sku)}; Peering Service needs ${PEERING_SERVICE_SKU}. Fix: set sku: { name: "${PEERING_SERVICE_SKU}" }`,
      );
    }
    for (const c of p.connections) {
      const at = `metro ${p.metro} ${c.label}`;
      if (c.useForPeeringService !== true) {
        report(
          `${at}: useForPeeringService is not true, so Microsoft does not use the connection for Peering Service. Fix: set useForPeeringService: true on every connection`,
        );
      }
      const limits = [
        ["IPv4", PEERING_TAGS.legMaxPrefixV4, c.receiveLimitV4, config.maxPrefixV4Min, config.maxPrefixV4Max, "ipv4"],
        ["IPv6", PEERING_TAGS.legMaxPrefixV6, c.receiveLimitV6, config.maxPrefixV6Min, config.maxPrefixV6Max, "ipv6"],
      ] as const;
      for (const [family, tag, limit, min, max, key] of limits) {
        if (limit === undefined) {
          report(
            `${at}: no max-prefix limit on ${family} routes from Microsoft (tag ${tag}). Fix: set maxPrefix.${key} in ${sp} (or the leg's maxPrefix.${key})`,
          );
        } else if (limit < min || limit > max) {
          report(
            `${at}: max-prefix on ${family} routes from Microsoft is ${limit}, outside ${min} to ${max}. Fix: set maxPrefix.${key} (${sp} or the leg) between ${min} and ${max}`,
          );
        }
      }
      for (const [family, value] of [
        ["V4", c.maxPrefixesAdvertisedV4],
        ["V6", c.maxPrefixesAdvertisedV6],
      ] as const) {
        if (value === undefined || value < 1) {
          report(
            `${at}: maxPrefixesAdvertised${family} is not set; Microsoft needs to know how many prefixes to expect. Fix: set advertisedMaxPrefix in ${sp}`,
          );
        }
      }
      if (c.hasMd5Key && c.md5Agreement === undefined) {
        report(
          `${at}: has an MD5 key but no record of Microsoft's agreement (tag ${MD5_AGREEMENT_TAG_PREFIX}${c.legName ?? "<leg>"}); Microsoft's peering policy says MD5 isn't supported. ` +
            `Fix: remove the key, or record where Microsoft agreed to it: md5: { keySecret, agreement } on the leg in ${inventoryFiles(resource.urn).metro(p.metro)}`,
        );
      }
      if (c.hasMd5Key && !c.md5IsSecret) {
        report(
          `${at}: md5AuthenticationKey is not a Pulumi secret, so it would be stored and shown in plain text. Fix: set it with \`pulumi config set --secret <name> <key>\` and name it in md5.keySecret on the leg`,
        );
      }
    }
  },
};
