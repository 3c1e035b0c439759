/**
 * customer-peering-service: a customer's Peering Service that the SP declares on the customer's
 * behalf fails over between two metros: its primary and backup peering locations are both given
 * and differ (one location as both is no backup); and each of its prefixes carries the prefix key
 * as a Pulumi secret (the key activates the customer's prefix; learn.microsoft.com, internet-peering
 * "Set up a direct interconnect for internet peering": hand the key to the customer).
 */
import { text } from "../../plan/peeringTags";
import { TYPES, type ResourceRule } from "./types";
import { inventoryFiles } from "./views";

export const customerPeeringService: ResourceRule<Record<string, never>> = {
  kind: "resource",
  name: "customer-peering-service",
  description:
    "A customer's PeeringService has a primary and a backup peering location in two different metros; each of its prefixes carries the prefix key as a secret.",
  enforcementLevel: "mandatory",
  config: {},
  validate(resource, _config, report) {
    if (resource.type === TYPES.peeringService) {
      const customers = `${inventoryFiles(resource.urn).dir}/customers/`;
      const primary = text(resource.props.providerPrimaryPeeringLocation);
      const backup = text(resource.props.providerBackupPeeringLocation);
      const name = text(resource.props.peeringServiceName) ?? resource.name;
      if (primary === undefined || backup === undefined)
        report(
          `Peering Service ${name}: ${primary === undefined ? "no primary" : "no backup"} peering location, so the customer has no failover between metros. Fix: set peeringService.primaryMetro and backupMetro in its file under ${customers}`,
        );
      else if (primary.toLowerCase() === backup.toLowerCase())
        report(
          `Peering Service ${name}: primary and backup peering location are both ${primary}, so a failure there takes the customer's traffic with it. Fix: set peeringService.backupMetro to another metro in its file under ${customers}`,
        );
    } else if (resource.type === TYPES.prefix) {
      const prefix = text(resource.props.prefix) ?? resource.name;
      if (resource.props.peeringServicePrefixKey === undefined)
        report(
          `Prefix ${prefix}: no peeringServicePrefixKey, so Azure cannot activate it. Fix: declare it through the CustomerPeeringService component, which takes the key of the SP's registration of the prefix`,
        );
      else if (!resource.isSecret(["peeringServicePrefixKey"]))
        report(
          `Prefix ${prefix}: the prefix key is not a Pulumi secret, so it would be shown in plain text in the state and the preview. Fix: pass it as a secret (pulumi.secret), as the CustomerPeeringService component does`,
        );
    }
  },
};
