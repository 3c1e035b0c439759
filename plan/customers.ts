/**
 * Customers' Peering Services, as the SP declares them on their behalf: the PeeringService with
 * its primary and backup peering locations (the metros' Azure names), each prefix with the
 * registration whose prefix key activates it, and the connection monitor tests. Pure.
 *
 * What waits: a PeeringService until both its metros carry registrations (`active` or
 * `maintenance`: Microsoft reports their connections Active); a prefix until its registration is
 * declared on its home.
 */
import type { CustomerInventory } from "../load/inventory";
import { mostSpecificCovering, readPrefix } from "./addressing";
import { LIFECYCLE } from "./lifecycle";
import type { Metro, Registration, Waiting } from "./model";

export interface CustomerPlan {
  id: string;
  name: string;
  file: string;
  peeringServiceName: string;
  customerLocation: string;
  /** Azure region of the resource; undefined: the resource group's. */
  location?: string;
  primary: { metro: string; peeringLocation: string };
  backup: { metro: string; peeringLocation: string };
  /** The PeeringService is declared (both metros carry registrations). */
  declared: boolean;
  prefixes: Array<{
    prefix: string;
    /** The SP's registered prefix whose key activates it. */
    registration: string;
    /** Declared: the PeeringService is, and the registration lives on its home. */
    declared: boolean;
  }>;
  connectionMonitorTests: CustomerInventory["connectionMonitorTests"];
}

export function planCustomers(
  customers: readonly CustomerInventory[],
  metros: readonly Metro[],
  registrations: readonly Registration[],
): { customers: CustomerPlan[]; waiting: Waiting[] } {
  const waiting: Waiting[] = [];
  const metroById = new Map(metros.map((m) => [m.id, m]));
  const metro = (id: string) => metroById.get(id);
  // The loader made sure one covers each customer prefix; the most specific one holds the key.
  const coveringRegistration = mostSpecificCovering(
    registrations.filter((r) => r.kind === "prefix"),
    (r) => r.key,
  );
  const out = customers.map((c): CustomerPlan => {
    const end = (id: string) => ({ metro: id, peeringLocation: metro(id)?.peeringLocation ?? id });
    const live = [c.peeringService.primaryMetro, c.peeringService.backupMetro].filter((id) => {
      const m = metro(id);
      return !m || !LIFECYCLE[m.status].hostsRegistrations;
    });
    const declared = live.length === 0;
    if (!declared)
      waiting.push({
        subject: `customer ${c.id} Peering Service ${c.peeringService.name}`,
        waitsFor: `metro ${live.join(" and ")} to be active (Microsoft reports its connections Active)`,
        next: `set status: active in the metro file once Microsoft has provisioned it; ${c.file} is declared then`,
      });
    const prefixes = c.prefixes.map((p) => {
      const covering = coveringRegistration(readPrefix(p.prefix));
      const registered = covering?.home !== undefined;
      if (declared && !registered)
        waiting.push({
          subject: `customer ${c.id} prefix ${p.prefix}`,
          waitsFor: `the registration of ${covering?.key ?? p.prefix}, which waits itself`,
          next: "its prefix key exists once Microsoft has validated the registration",
        });
      return { prefix: p.prefix, registration: covering?.key ?? p.prefix, declared: declared && registered };
    });
    return {
      id: c.id,
      name: c.name,
      file: c.file,
      peeringServiceName: c.peeringService.name,
      customerLocation: c.peeringService.customerLocation,
      ...(c.peeringService.location !== undefined ? { location: c.peeringService.location } : {}),
      primary: end(c.peeringService.primaryMetro),
      backup: end(c.peeringService.backupMetro),
      declared,
      prefixes,
      connectionMonitorTests: c.connectionMonitorTests,
    };
  });
  return { customers: out, waiting };
}
