/**
 * microsoft-exceptions (advisory): what departs from Microsoft's published requirements and stands
 * only because Microsoft agreed, noted on every preview so it stays a decision, not an accident:
 *
 * - an MD5 key: Microsoft's peering policy says "MD5 isn't supported" (learn.microsoft.com,
 *   internet-peering "Peering policy"); the inventory records where Microsoft agreed to the key;
 * - ports below 100 Gbit/s: the same policy asks Direct peering over 100 Gbps single-mode fiber,
 *   while the partner walkthrough's FAQ ("Set up a direct interconnect for internet peering") names
 *   10 Gbps the minimum link speed.
 */
import { TYPES, type ResourceRule } from "./types";
import { inventoryFiles, peeringView } from "./views";

export type MicrosoftExceptionsConfig = Record<string, never>;

export const microsoftExceptions: ResourceRule<MicrosoftExceptionsConfig> = {
  kind: "resource",
  name: "microsoft-exceptions",
  description:
    "Departures from Microsoft's published requirements that need its agreement: MD5 keys (the peering policy says MD5 isn't supported) and ports below 100 Gbit/s.",
  enforcementLevel: "advisory",
  config: {},
  validate(resource, _config, report) {
    if (resource.type !== TYPES.peering) return;
    const p = peeringView(resource);
    const file = inventoryFiles(p.urn).metro(p.metro);
    for (const c of p.connections) {
      if (c.hasMd5Key && c.md5Agreement !== undefined) {
        report(
          `metro ${p.metro} ${c.label}: MD5 key, an exception to Microsoft's peering policy (MD5 isn't supported), agreed: ${c.md5Agreement}. ` +
            `Fix: nothing while the agreement holds; Microsoft's edge must carry the same key. Remove md5 from the leg in ${file} when it ends`,
        );
      }
      if (c.portGbps !== undefined && c.portGbps < 100) {
        report(
          `metro ${p.metro} ${c.label}: ${c.portGbps} Gbit/s ports; Microsoft's peering policy asks for 100 Gbps for Direct peering (the partner walkthrough's FAQ names 10 Gbps the minimum). ` +
            `Fix: confirm with Microsoft (peeringservice@microsoft.com) that ${c.portGbps}G is accepted here, or move the leg to 100G ports (members in ${file})`,
        );
      }
    }
  },
};
