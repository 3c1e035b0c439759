/**
 * lifecycle: the Azure resources follow the metro's lifecycle state (plan/lifecycle.ts, README
 * "Metro lifecycle"): the status tag names a state; a planned metro declares nothing; a peering is
 * protected from provisioning to maintenance (Azure refuses deleting one in ProvisioningStarted or
 * ProvisioningCompleted, and a live one must not go by accident) and unprotected once decommissioned
 * (Microsoft deprovisions it; Pulumi retains it on delete). The PeerAsn is protected and never
 * edited: Microsoft supports neither modifying nor deleting one (learn.microsoft.com,
 * internet-peering "Associate your ASN with an Azure subscription using the Azure portal").
 */
import { PEER_ASN_IMMUTABLE } from "../../declarations/model";
import { LIFECYCLE, LIFECYCLE_STATES } from "../../plan/lifecycle";
import { TYPES, type ResourceRule } from "./types";
import { inventoryFiles, peeringView } from "./views";

export type LifecycleConfig = Record<string, never>;

export const lifecycle: ResourceRule<LifecycleConfig> = {
  kind: "resource",
  name: "lifecycle",
  description:
    "Resources follow the metro's lifecycle state: a known state, nothing declared while planned, the peering protected from provisioning to maintenance and unprotected once decommissioned; the PeerAsn protected and never edited.",
  enforcementLevel: "mandatory",
  config: {},
  validate(resource, _config, report) {
    if (resource.type === TYPES.peerAsn) {
      const sp = inventoryFiles(resource.urn).sp;
      if (!resource.options.protect)
        report(
          `the PeerAsn is not protected; Microsoft does not support deleting a PeerAsn. Fix: declare it through the ServiceProvider component (${sp})`,
        );
      const edited = PEER_ASN_IMMUTABLE.filter((p) => !resource.options.ignoreChanges.includes(p));
      if (edited.length > 0) {
        report(
          `the PeerAsn would send edits of ${edited.join(", ")} to Azure, which does not support modifying a PeerAsn. ` +
            `Fix: declare it through the ServiceProvider component (ignoreChanges); to change the name or contacts, ask Microsoft (peering@microsoft.com)`,
        );
      }
      return;
    }
    if (resource.type !== TYPES.peering) return;
    const p = peeringView(resource);
    const file = inventoryFiles(p.urn).metro(p.metro);
    if (p.unknownStatus !== undefined) {
      report(
        `metro ${p.metro}: status tag ${JSON.stringify(p.unknownStatus)} is no lifecycle state (${LIFECYCLE_STATES.join(", ")}). Fix: set status in ${file} and declare the metro through the PeeringLocation component`,
      );
      return;
    }
    const rules = LIFECYCLE[p.status];
    if (!rules.declared) {
      report(
        `metro ${p.metro} is ${p.status}, which declares nothing in Azure, yet its Peering is declared. Fix: set status: requested in ${file} to submit the peering request`,
      );
      return;
    }
    if (rules.protect && !resource.options.protect) {
      report(
        `metro ${p.metro} is ${p.status} but its Peering is not protected: deleting the metro file would delete a peering Microsoft provisions (and Azure refuses deleting one while provisioning). ` +
          `Fix: declare the metro through the PeeringLocation component, which protects it`,
      );
    }
    if (!rules.protect && resource.options.protect) {
      report(
        `metro ${p.metro} is ${p.status} but its Peering is still protected, so it can never leave the stack. ` +
          `Fix: declare the metro through the PeeringLocation component, which lifts the protection${p.status === "decommissioned" ? " and retains the Peering on delete for Microsoft to deprovision" : ""}`,
      );
    }
  },
};
