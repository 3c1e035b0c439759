/**
 * The lifecycle of a metro (and of a leg), following Microsoft's own steps for a Direct peering
 * (learn.microsoft.com, internet-peering "Set up and monitor a direct peering" and "Set up a direct
 * interconnect for internet peering"): request the peering, receive the LOA, wire it, Microsoft
 * validates and reports the connections Active; deprovisioning goes through Microsoft. One table
 * says, per state, what the program declares in Azure, what the routers get and which Pulumi
 * options protect it; the plan, the component, the policies and the report all read this table.
 *
 * Pure: no Pulumi here.
 */

/** In lifecycle order. */
export const LIFECYCLE_STATES = [
  "planned",
  "requested",
  "provisioning",
  "active",
  "maintenance",
  "decommissioned",
] as const;
export type LifecycleState = (typeof LIFECYCLE_STATES)[number];

/** What a leg may say about itself: maintenance of one leg is `drain: true` (README, Draining a leg). */
export const LEG_STATES = ["planned", "requested", "provisioning", "active", "decommissioned"] as const;
export type LegState = (typeof LEG_STATES)[number];

export interface LifecycleRules {
  /** What the state means, in the engineer's words (the report and the README say it). */
  meaning: string;
  /** The metro's `Peering` (a leg: its connection) is declared in Azure. */
  declared: boolean;
  /** Router configs carry the sessions. */
  rendered: boolean;
  /** The sessions are drained (RFC 8326): traffic moves to the other legs before the work. */
  drained: boolean;
  /** Registered prefixes and ASNs may be declared on the metro's peering (its home). */
  hostsRegistrations: boolean;
  /** Pulumi `protect` on the Peering: deleting the metro file by mistake makes `pulumi up` refuse. */
  protect: boolean;
  /** Pulumi `retainOnDelete`: Pulumi forgets the Peering but never deletes it; Microsoft deprovisions. */
  retainOnDelete: boolean;
  /** Counts as one of the SP's metros (geo redundancy, equal capacity, nearest edge). */
  inService: boolean;
  /** Legs may lack session addresses while Microsoft assigns them (sessionAddressProvider: Microsoft). */
  addressesOptional: boolean;
  /**
   * A push's health gate requires the sessions healthy (deploy/health.ts). Not in `provisioning`
   * (Microsoft is still validating them; they come up when it does) nor `decommissioned` (it is
   * taking them down): a push there applies and confirms without waiting for a session.
   */
  sessionsGated: boolean;
  /** What the engineer does next, and when. */
  next: string;
}

export const LIFECYCLE: Record<LifecycleState, LifecycleRules> = {
  planned: {
    meaning: "in the inventory only: nothing in Azure, no router config",
    declared: false,
    rendered: false,
    drained: false,
    hostsRegistrations: false,
    protect: false,
    retainOnDelete: false,
    inService: false,
    addressesOptional: true,
    sessionsGated: false,
    next: "set status: requested to submit the peering request to Microsoft",
  },
  requested: {
    meaning:
      "Peering declared (the request); Microsoft approves it, assigns session addresses where it provides them and sends the LOA",
    declared: true,
    rendered: false,
    drained: false,
    hostsRegistrations: false,
    protect: false,
    retainOnDelete: false,
    inService: true,
    addressesOptional: true,
    sessionsGated: false,
    next: "set status: provisioning once Microsoft approves the request (connection state ProvisioningStarted) and sends the LOA",
  },
  provisioning: {
    meaning: "cross-connects wired to the LOA, router configs rendered; Microsoft validates the sessions",
    declared: true,
    rendered: true,
    drained: false,
    hostsRegistrations: false,
    protect: true,
    retainOnDelete: false,
    inService: true,
    addressesOptional: false,
    sessionsGated: false,
    next: "set status: active once Microsoft reports the connections Active",
  },
  active: {
    meaning: "Microsoft reports the connections Active: registrations may live here, everything protected",
    declared: true,
    rendered: true,
    drained: false,
    hostsRegistrations: true,
    protect: true,
    retainOnDelete: false,
    inService: true,
    addressesOptional: false,
    sessionsGated: true,
    next: "set status: maintenance (drains every leg) before work, decommissioned to leave the metro",
  },
  maintenance: {
    meaning: "every leg drained (RFC 8326) for work; registrations stay, everything protected",
    declared: true,
    rendered: true,
    drained: true,
    hostsRegistrations: true,
    protect: true,
    retainOnDelete: false,
    inService: true,
    addressesOptional: false,
    sessionsGated: true,
    next: "set status: active after the work",
  },
  decommissioned: {
    meaning: "leaving: legs drained, protection lifted, the Peering retained on delete (Microsoft deprovisions it)",
    declared: true,
    rendered: true,
    drained: true,
    hostsRegistrations: false,
    protect: false,
    retainOnDelete: true,
    inService: false,
    addressesOptional: false,
    sessionsGated: false,
    next: "ask Microsoft to deprovision (its BGP sessions show PendingRemove), then delete the metro file",
  },
};

/** A lifecycle state read from outside (a tag, another program): undefined when it is none. */
export function lifecycleState(text: string | undefined): LifecycleState | undefined {
  return (LIFECYCLE_STATES as readonly string[]).includes(text ?? "") ? (text as LifecycleState) : undefined;
}

/**
 * How far a state has come, for "a leg cannot be ahead of its metro" and for comparing a state
 * with what Azure reports (status/compare.ts): maintenance is a kind of active, decommissioned
 * comes last.
 */
export const PROGRESS: Readonly<Record<LifecycleState, number>> = {
  planned: 0,
  requested: 1,
  provisioning: 2,
  active: 3,
  maintenance: 3,
  decommissioned: 4,
};

/**
 * The state a leg is in: its own, within its metro's. A metro in maintenance drains its active
 * legs; a decommissioned metro decommissions every leg. Returns a problem text when the leg says
 * something its metro does not allow.
 */
export function legState(
  metro: LifecycleState,
  leg: LegState | undefined,
): { state: LifecycleState; problem?: string } {
  if (metro === "decommissioned") {
    return leg === undefined || leg === "decommissioned"
      ? { state: "decommissioned" }
      : { state: "decommissioned", problem: `is ${leg}, but its metro is decommissioned (every leg goes with it)` };
  }
  if (leg === undefined) return { state: metro };
  if (leg === "decommissioned") {
    return PROGRESS[metro] >= PROGRESS.active
      ? { state: "decommissioned" }
      : {
          state: metro,
          problem: `is decommissioned, but its metro is ${metro}: only a leg of an active metro is decommissioned on its own`,
        };
  }
  if (PROGRESS[leg] > PROGRESS[metro])
    return { state: metro, problem: `is ${leg}, ahead of its metro, which is ${metro}` };
  if (metro === "maintenance" && leg === "active") return { state: "maintenance" };
  return { state: leg };
}
