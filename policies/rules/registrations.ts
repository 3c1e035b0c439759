/**
 * registrations: each registered prefix and origin ASN is registered once, on one peering whose
 * connections Microsoft reports Active, and never on a peering being decommissioned.
 *
 * Microsoft (learn.microsoft.com, internet-peering "Set up a direct interconnect for internet
 * peering"): "A prefix can be registered with only a single peering", its key "is used for the
 * prefix, even in locations other than the location of the peering it was registered under", and
 * "The connection state of your peering connections must be Active before you can register any
 * prefixes". A registration's peering is its home; the inventory chooses and pins it
 * (`registerAt`, allocations.lock.yaml), and a move deletes the old registration first, so the
 * registration resources must declare `deleteBeforeReplace`.
 */
import { LIFECYCLE } from "../../plan/lifecycle";
import type { StackRule } from "./types";
import { inventoryFiles, peeringsOf, registrationsOf, type PeeringView, type RegistrationView } from "./views";

export type RegistrationsConfig = Record<string, never>;

export const registrations: StackRule<RegistrationsConfig> = {
  kind: "stack",
  name: "registrations",
  description:
    "Each registered prefix and origin ASN is registered once, on one peering of the stack whose connections are Active (metro active or maintenance), never on one being decommissioned; a move deletes the old registration first.",
  enforcementLevel: "mandatory",
  config: {},
  validate(resources, _config, report) {
    const files = inventoryFiles(resources[0]?.urn);
    const peerings = new Map(
      peeringsOf(resources).flatMap((p) => (p.peeringName ? [[p.peeringName, p] as const] : [])),
    );
    const where = (r: RegistrationView) => {
      const p = r.peeringName === undefined ? undefined : peerings.get(r.peeringName);
      return p ? `metro ${p.metro}` : `peering ${r.peeringName ?? "(none)"}`;
    };
    const listedIn = (r: RegistrationView) =>
      r.kind === "prefix" ? `${files.sp} prefixes` : `${files.sp} (the originAsn of its prefixes, originAsns)`;

    const byKey = new Map<string, RegistrationView[]>();
    for (const r of registrationsOf(resources)) {
      if (r.key === undefined) continue; // an unset prefix or ASN: registered-prefixes says so
      byKey.set(`${r.kind} ${r.key}`, [...(byKey.get(`${r.kind} ${r.key}`) ?? []), r]);
    }
    for (const [, regs] of [...byKey].sort(([a], [b]) => a.localeCompare(b))) {
      const [first, ...others] = regs;
      const key = first.key ?? "";
      for (const r of others) {
        report(
          `${key} is registered ${regs.length} times (${regs.map(where).join(", ")}); Microsoft registers ${first.kind === "prefix" ? "a prefix" : "an ASN"} with only a single peering, and its key serves every location. ` +
            `Fix: list ${key} once in ${listedIn(r)}; it is registered on one home (registerAt, or the home pinned in ${files.lock})`,
          r.resource.urn,
        );
      }
    }

    for (const regs of byKey.values()) {
      for (const r of regs) {
        const key = r.key ?? "";
        if (!r.resource.options.deleteBeforeReplace) {
          report(
            `${key} (${where(r)}) does not declare deleteBeforeReplace: moving it would create the new registration before deleting the old one, and Azure refuses a second registration. ` +
              `Fix: declare registrations through the ServiceProvider component`,
            r.resource.urn,
          );
        }
        const home = r.peeringName === undefined ? undefined : peerings.get(r.peeringName);
        if (!home) {
          report(
            `${key} is registered on ${r.peeringName ?? "no peering"}, which this stack does not declare. Fix: register it on one of the stack's active metros (registerAt in ${files.sp})`,
            r.resource.urn,
          );
          continue;
        }
        if (LIFECYCLE[home.status].hostsRegistrations) continue;
        const file = inventoryFiles(home.urn).metro(home.metro);
        if (home.status === "decommissioned") {
          report(
            `${key} is registered at ${home.metro}, which is being decommissioned: when Microsoft deprovisions that peering, the registration and the key customers activate with go with it. ` +
              `Fix: move it to an active metro: set registerAt: ${suggestHome(home, [...peerings.values()])} for ${key} in ${files.sp} (pulumi up deletes it at ${home.metro} and registers it there; hand customers the new key)`,
            r.resource.urn,
          );
        } else {
          report(
            `${key} is registered at ${home.metro}, which is ${home.status}: Microsoft registers prefixes only once the peering's connections are Active. ` +
              `Fix: set status: active in ${file} once Microsoft reports its connections Active, or register ${key} at an active metro (registerAt in ${files.sp})`,
            r.resource.urn,
          );
        }
      }
    }
  },
};

/** An active metro of the same region to name in a fix, else any active one. */
function suggestHome(leaving: PeeringView, all: PeeringView[]): string {
  const active = all
    .filter((p) => LIFECYCLE[p.status].hostsRegistrations)
    .sort((a, b) => a.metro.localeCompare(b.metro));
  return (active.find((p) => p.region === leaving.region) ?? active[0])?.metro ?? "<an active metro>";
}
