/**
 * What "healthy" means for one router after a push: for every session to Microsoft (AS 8075), BGP
 * Established, BFD up, exactly the prefixes we announce sent, at least the configured number
 * received. Derived from the plan, so the gate checks what the rendering promises.
 *
 * Pure: no Pulumi, no I/O.
 */
import { LIFECYCLE } from "../plan/lifecycle";
import type { AddressFamily, RouterPlan } from "../plan/model";
import { birdSymbol } from "../vendors/bird";
import type { HealthGateSettings } from "./settings";

export interface SessionExpectation {
  /** `amsterdam/a/ipv4` */
  id: string;
  afi: AddressFamily;
  /** Microsoft's address: the BGP neighbor and the BFD peer. */
  peer: string;
  /** Prefixes we announce on it: every registered prefix of the family, identical at every metro. */
  sent: number;
  /** Fewest prefixes Microsoft must send. */
  minReceived: number;
  /** BIRD's protocol name for the session (`maps_amsterdam_a_ipv4`). */
  birdProtocol: string;
}

export function healthExpectations(router: RouterPlan, gate: HealthGateSettings): SessionExpectation[] {
  const gated = new Set(router.legs.filter((l) => LIFECYCLE[l.status].sessionsGated).map((l) => l.name));
  return router.sessions
    .filter((s) => gated.has(s.leg))
    .map((s) => ({
      id: s.id,
      afi: s.afi,
      peer: s.peerAddress,
      sent: router.exports[s.afi].length,
      minReceived: gate.minReceived[s.afi],
      birdProtocol: birdSymbol("maps", s.id),
    }));
}
