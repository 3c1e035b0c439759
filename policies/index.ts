/**
 * The policy pack of peering-as-code, as the Pulumi CLI loads it:
 *   pulumi preview --policy-pack policies --policy-pack-config stacks/Pulumi.<stack>.policy.json
 * The rules live in `rules/`; the offline plan runs the same rules in-process (`run.ts`).
 */
import { PolicyPack } from "@pulumi/policy";
import { enginePolicies } from "./pack";
import { PACK_NAME, RULES } from "./rules";

new PolicyPack(PACK_NAME, { policies: enginePolicies(RULES) });
