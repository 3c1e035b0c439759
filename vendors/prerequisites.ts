/** Prerequisites several platforms share, in their own words (`prerequisites` of each profile). */
import type { RouterPlan } from "../plan/model";
import type { Prerequisite } from "./profile";

/** The router's BGP instance runs the SP's AS (or there is none yet: the config creates it). */
export function bgpInstance(router: Pick<RouterPlan, "asn">, statement: string): Prerequisite {
  return {
    what: `the router's BGP runs AS ${router.asn}`,
    lines: [statement],
    why: "the product's neighbors live in the router's one BGP instance; a router in another AS refuses the config",
    setByProduct: false,
  };
}
