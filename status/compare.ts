/**
 * Azure as it is, against the inventory as planned: per metro and leg, where Microsoft's onboarding
 * stands (connection and BGP session states, provisioned bandwidth, the session addresses Microsoft
 * assigned), where each registration lives and how Microsoft validated it, and the one next step
 * that brings the two together, with the exact line to write.
 *
 * Every finding has a severity:
 * - `ok`: Azure is what the inventory says;
 * - `waiting`: they agree, and the next move is Microsoft's (approval, provisioning, validation);
 * - `drift`: they disagree; the inventory must follow Azure (a new lifecycle state, addresses to
 *   pin, a home to record) or `pulumi up` must bring Azure to the inventory;
 * - `problem`: Azure reports something broken (a failed provisioning or validation, a session down
 *   on an active leg, bandwidth short).
 * The run is in sync when nothing is `drift` or `problem` (`npm run status` exits 0, else 1).
 *
 * Microsoft's steps and their states: learn.microsoft.com internet-peering "Set up and monitor a
 * direct peering" (PendingApproval → Approved → ProvisioningStarted → ProvisioningCompleted →
 * Validating → Active), "Set up a direct interconnect for internet peering" (register prefixes once
 * the connections are Active; Pending → Verified, or Failed/Warning with an error message). The
 * states and fields: azure-rest-api-specs Microsoft.Peering stable/2022-10-01 `peering.json`.
 *
 * Pure: no SDK, no I/O. Prefix keys are carried as read; the report redacts them.
 */
import type { Inventory, LegInventory } from "../load/inventory";
import { prefixHolding, readAddress, readPrefix } from "../plan/addressing";
import { LIFECYCLE, PROGRESS, type LifecycleState } from "../plan/lifecycle";
import {
  isAddressed,
  legsInOrder,
  PEERING_SERVICE_SKU,
  type AddressFamily,
  type Leg,
  type LegAwaitingAddresses,
  type Metro,
  type Plan,
  type Registration,
} from "../plan/model";
import { MANAGED_BY, PEERING_TAGS, peeringName } from "../plan/peeringTags";
import { asnKey } from "../plan/registrations";
import { stackPaths } from "../load/stackPaths";
import type { AzureConnection, AzurePeerAsn, AzurePeering, AzureSession, AzureSnapshot } from "../azure/snapshot";

export type Severity = "ok" | "waiting" | "drift" | "problem";

/** The exact line an engineer writes: replacing the one at `line`, or adding it in the entry at `line`. */
export interface Edit {
  file: string;
  line?: number;
  action: "replace" | "add";
  /** Where, in words (`legs[1] (leg b)`, `registeredPrefixes`). */
  at?: string;
  text: string;
}

export interface Finding {
  /** `PeerAsn AS64500`, `frankfurt`, `london/b`, `198.51.100.0/24`. */
  subject: string;
  severity: Severity;
  /** What Azure says, against what the inventory says. */
  observed: string;
  /** What to do next. */
  next: string;
  edit?: Edit;
}

export interface LegStatus {
  id: string;
  name: string;
  status: LifecycleState;
  router: string;
  /** The leg's connection in Azure, as read (undefined: not in Azure). */
  azure?: Omit<AzureConnection, "hasMd5Key">;
  /** Requested bandwidth, as planned. */
  bandwidthMbps: number;
  severity: Severity;
}

export interface MetroStatus {
  id: string;
  status: LifecycleState;
  file: string;
  peeringName: string;
  /** The plan declares its Peering. */
  declared: boolean;
  azure?: Pick<AzurePeering, "peeringLocation" | "provisioningState" | "sku" | "kind"> & { connections: number };
  legs: LegStatus[];
  /** Connections Azure has beyond the declared legs. */
  extraConnections: Array<Omit<AzureConnection, "hasMd5Key">>;
  severity: Severity;
  /** The most pressing next step of the metro (its first finding's), or what comes next in its lifecycle. */
  next: string;
}

export interface AzureRegistration {
  peering: string;
  /** The metro whose peering it is, if it is one of the stack's. */
  metro?: string;
  validationState?: string;
  prefixKey?: string;
  errorMessage?: string;
  provisioningState?: string;
}

export interface RegistrationStatus {
  key: string;
  kind: "prefix" | "asn";
  /** Where the plan declares it (undefined while it waits) and what the plan says of it. */
  home?: string;
  pinned?: string;
  state: Registration["state"] | "not in the inventory";
  azure: AzureRegistration[];
  severity: Severity;
}

export interface PeerAsnStatus {
  asn: number;
  inventory: string;
  azure?: Pick<AzurePeerAsn, "name" | "validationState" | "errorMessage" | "peerName">;
  severity: Severity;
}

export interface StatusReport {
  stack: string;
  spName: string;
  asn: number;
  endpoint: string;
  subscription: string;
  resourceGroup: string;
  apiVersion: string;
  peerAsn: PeerAsnStatus;
  metros: MetroStatus[];
  registrations: RegistrationStatus[];
  /** Peerings of the resource group that are not the stack's (shown, never judged). */
  otherPeerings: string[];
  /** Every finding but the `ok` ones, most pressing first. */
  findings: Finding[];
  inSync: boolean;
}

const RANK: Record<Severity, number> = { ok: 0, waiting: 1, drift: 2, problem: 3 };
const worst = (severities: Severity[]): Severity =>
  severities.reduce<Severity>((a, b) => (RANK[b] > RANK[a] ? b : a), "ok");

/** Where Microsoft's connection state puts a connection on the way to Active. */
type Step = "pending" | "approved" | "provisioning" | "active" | "failed" | "type-change" | "unknown";
const STEPS: Record<string, Step> = {
  None: "pending",
  PendingApproval: "pending",
  Approved: "approved",
  ProvisioningStarted: "provisioning",
  ProvisioningCompleted: "provisioning",
  Validating: "provisioning",
  Active: "active",
  ProvisioningFailed: "failed",
  TypeChangeRequested: "type-change",
  TypeChangeInProgress: "type-change",
};
const stepOf = (state: string | undefined): Step => (state === undefined ? "unknown" : (STEPS[state] ?? "unknown"));

/** The lifecycle state a step asks the inventory for. */
type Onboarding = "requested" | "provisioning" | "active";
const IMPLIED: Partial<Record<Step, Onboarding>> = {
  pending: "requested",
  approved: "requested",
  provisioning: "provisioning",
  active: "active",
};

const FAMILIES: ReadonlyArray<[AddressFamily, "IPv4" | "IPv6"]> = [
  ["ipv4", "IPv4"],
  ["ipv6", "IPv6"],
];

const PEERING_CONTACT = "peering@microsoft.com";

export function compareWithAzure(plan: Plan, inventory: Inventory, azure: AzureSnapshot): StatusReport {
  const findings: Finding[] = [];
  const metroOfPeering = new Map<string, string>();
  const peeringByMetro = new Map<string, AzurePeering>();
  for (const p of azure.peerings) {
    const byName = plan.metros.find((m) => peeringName(plan.sp.asn, m.id).toLowerCase() === p.name.toLowerCase());
    const byTag = p.tags[PEERING_TAGS.managedBy] === MANAGED_BY ? p.tags[PEERING_TAGS.metro] : undefined;
    const metro = byName?.id ?? (byTag !== undefined && plan.metros.some((m) => m.id === byTag) ? byTag : undefined);
    if (metro !== undefined && !peeringByMetro.has(metro)) {
      metroOfPeering.set(p.name, metro);
      peeringByMetro.set(metro, p);
    }
  }

  const peerAsn = comparePeerAsn(plan, inventory, azure, findings);
  const approvedInAzure = peerAsn.azure?.validationState === "Approved";
  const metros = plan.metros.map((m) =>
    compareMetro(plan, inventory, m, peeringByMetro.get(m.id), approvedInAzure, findings),
  );
  const otherPeerings: string[] = [];
  for (const p of azure.peerings) {
    if (metroOfPeering.has(p.name)) continue;
    if (p.tags[PEERING_TAGS.managedBy] === MANAGED_BY) {
      const metro = p.tags[PEERING_TAGS.metro];
      findings.push({
        subject: metro ?? p.name,
        severity: "drift",
        observed: `Azure has peering ${p.name} (tagged metro ${metro ?? "-"}), which no metro file of the stack declares`,
        next: `restore ${metro !== undefined ? stackPaths(plan.stack).metro(metro) : "its metro file"} (decommissioned, until Microsoft deprovisions it), or ask Microsoft (${PEERING_CONTACT}) to deprovision ${p.name}`,
      });
    }
    otherPeerings.push(p.name);
  }
  const registrations = compareRegistrations(plan, inventory, azure, metroOfPeering, findings);

  const ordered = findings
    .filter((f) => f.severity !== "ok")
    .map((f, i) => ({ f, i }))
    .sort((a, b) => RANK[b.f.severity] - RANK[a.f.severity] || a.i - b.i)
    .map(({ f }) => f);
  return {
    stack: plan.stack,
    spName: plan.sp.name,
    asn: plan.sp.asn,
    endpoint: azure.endpoint,
    subscription: azure.subscription,
    resourceGroup: azure.resourceGroup,
    apiVersion: azure.apiVersion,
    peerAsn,
    metros,
    registrations,
    otherPeerings,
    findings: ordered,
    inSync: !ordered.some((f) => f.severity === "drift" || f.severity === "problem"),
  };
}

// --- PeerAsn -----------------------------------------------------------------------------------

function comparePeerAsn(plan: Plan, inventory: Inventory, azure: AzureSnapshot, findings: Finding[]): PeerAsnStatus {
  const { sp } = plan;
  const subject = `PeerAsn AS${sp.asn}`;
  const mine = azure.peerAsns.filter((a) => a.asn === sp.asn);
  const found = mine.find((a) => a.name === `as${sp.asn}`) ?? mine[0];
  const inventoryState = sp.peerAsnValidationState;
  const source = inventory.sp.peerAsnSource;
  const add = (severity: Severity, observed: string, next: string, edit?: Edit) =>
    findings.push({ subject, severity, observed, next, ...(edit ? { edit } : {}) });
  const status = (severity: Severity): PeerAsnStatus => ({
    asn: sp.asn,
    inventory: inventoryState,
    ...(found
      ? {
          azure: {
            name: found.name,
            ...(found.validationState !== undefined ? { validationState: found.validationState } : {}),
            ...(found.errorMessage !== undefined ? { errorMessage: found.errorMessage } : {}),
            ...(found.peerName !== undefined ? { peerName: found.peerName } : {}),
          },
        }
      : {}),
    severity,
  });
  const recordState = (state: string): Edit =>
    inventory.sp.peerAsnSource.line > 0 && source.field === "peerAsn.validationState"
      ? { file: source.file, line: source.line, action: "replace", text: `validationState: ${state}` }
      : { file: source.file, action: "add", at: "the top level", text: `peerAsn: { validationState: ${state} }` };

  if (!found) {
    add(
      "drift",
      `no PeerAsn for AS${sp.asn} in subscription ${azure.subscription}; the inventory says ${inventoryState}`,
      "run `pulumi up`: it declares the PeerAsn first, and Microsoft validates it (up to 12 hours)",
    );
    return status("drift");
  }
  if (mine.length > 1)
    add(
      "drift",
      `the subscription has ${mine.length} PeerAsns for AS${sp.asn} (${mine.map((a) => a.name).join(", ")})`,
      `keep as${sp.asn}; ask Microsoft (${PEERING_CONTACT}) to remove the others (Azure does not support deleting a PeerAsn in use)`,
    );
  const state = found.validationState ?? "None";
  const error = found.errorMessage ? `: ${found.errorMessage}` : "";
  let severity: Severity;
  if (state === "Failed") {
    severity = "problem";
    add(
      "problem",
      `Microsoft refused the PeerAsn (validationState Failed${error})`,
      `correct what Microsoft names with Microsoft (${PEERING_CONTACT}): Azure does not support modifying a PeerAsn${inventoryState !== "Failed" ? `; record it meanwhile in ${source.file}` : ""}`,
      inventoryState !== "Failed" ? recordState("Failed") : undefined,
    );
  } else if (state === inventoryState) {
    severity = state === "Approved" ? "ok" : "waiting";
    if (severity === "waiting")
      add(
        "waiting",
        `validationState ${state} in Azure and in the inventory`,
        "Microsoft validates the PeerAsn (up to 12 hours); no peering is requested until it is Approved",
      );
  } else if (state === "Approved") {
    severity = "drift";
    add(
      "drift",
      `Microsoft approved the PeerAsn (validationState Approved); the inventory says ${inventoryState}`,
      `record it in ${source.file} and merge: the peerings of requested metros are then declared`,
      recordState("Approved"),
    );
  } else {
    severity = "drift";
    add(
      "drift",
      `validationState ${state}${error} in Azure; the inventory says ${inventoryState}`,
      `record what Azure says in ${source.file}${state === "Pending" || state === "None" ? "; Microsoft validates it (up to 12 hours)" : ""}`,
      recordState(state),
    );
  }
  // Azure does not support modifying a PeerAsn: a difference is reported, never sent.
  if (found.peerName !== undefined && found.peerName !== sp.name) {
    severity = worst([severity, "drift"]);
    add(
      "drift",
      `peerName in Azure is "${found.peerName}"; ${sp.file} says "${sp.name}"`,
      `Azure does not support modifying a PeerAsn: ask Microsoft (${PEERING_CONTACT}) to rename it, or write \`name: ${found.peerName}\` in ${sp.file}`,
    );
  }
  const contact = (c: { role?: string; email?: string; phone?: string }) =>
    `${c.role ?? "?"} ${c.email?.toLowerCase() ?? "?"}${c.phone ? ` ${c.phone}` : ""}`;
  const inAzure = found.contacts.map(contact).sort();
  const inInventory = sp.contacts.map(contact).sort();
  if (inAzure.join("\n") !== inInventory.join("\n")) {
    severity = worst([severity, "drift"]);
    add(
      "drift",
      `contacts in Azure (${inAzure.join("; ") || "none"}) differ from ${sp.file} (${inInventory.join("; ")})`,
      `Azure does not support modifying a PeerAsn: ask Microsoft (${PEERING_CONTACT}) to change the contacts, or make sp.yaml say what Azure has`,
    );
  }
  return status(severity);
}

// --- Metros and legs ---------------------------------------------------------------------------

interface LegVerdict {
  findings: Finding[];
  /** The lifecycle state Microsoft's step asks for, when it asks for one. */
  implied?: Onboarding;
  /** Microsoft is further than the leg's state: what to write. The metro says it once for legs that share its state. */
  advance?: Finding;
}

function compareMetro(
  plan: Plan,
  inventory: Inventory,
  metro: Metro,
  peering: AzurePeering | undefined,
  peerAsnApprovedInAzure: boolean,
  findings: Finding[],
): MetroStatus {
  const metroInv = inventory.metros.find((m) => m.id === metro.id);
  const name = peeringName(plan.sp.asn, metro.id);
  const rules = LIFECYCLE[metro.status];
  const mine: Finding[] = [];
  const add = (severity: Severity, observed: string, next: string, edit?: Edit) =>
    mine.push({ subject: metro.id, severity, observed, next, ...(edit ? { edit } : {}) });
  const statusEdit = (state: LifecycleState): Edit => ({
    file: metro.file,
    ...(metroInv?.source.lines?.status !== undefined ? { line: metroInv.source.lines.status } : {}),
    action: "replace",
    text: `status: ${state}`,
  });
  const all = legsInOrder(metro);
  const declaredLegs = all.filter((l) => LIFECYCLE[l.status].declared);
  const legs: LegStatus[] = [];
  const extraConnections: MetroStatus["extraConnections"] = [];
  const waitingRegistrations = plan.registrations.filter((r) => r.state === "waiting").length;

  if (!metro.declared) {
    if (!rules.declared) {
      if (peering) {
        const at = leastOf(peering.connections.map((c) => IMPLIED[stepOf(c.state)])) ?? "requested";
        add(
          "drift",
          `Azure has peering ${peering.name} (${connectionSummary(peering)}); the metro is planned`,
          `set \`status: ${at}\` in ${metro.file} (the request exists), or withdraw the request with Microsoft (${PEERING_CONTACT})`,
          statusEdit(at),
        );
      } else add("ok", "nothing in Azure, as planned", "");
    } else if (peering) {
      add(
        "drift",
        `Azure has peering ${peering.name}, but the inventory does not record the PeerAsn as Approved (${plan.sp.peerAsnValidationState})`,
        `record the PeerAsn's validationState in ${plan.sp.file} (see the PeerAsn's line)`,
      );
    } else {
      add(
        "waiting",
        `${metro.status}, not declared yet: the inventory records the PeerAsn as ${plan.sp.peerAsnValidationState}`,
        peerAsnApprovedInAzure
          ? `its Peering is declared once ${plan.sp.file} records the PeerAsn Approved (see PeerAsn AS${plan.sp.asn})`
          : "nothing to do until Microsoft approves the PeerAsn",
      );
    }
    for (const l of all) legs.push(legRow(l, undefined, "ok"));
  } else if (!peering) {
    if (metro.status === "decommissioned")
      add(
        "drift",
        `peering ${name} is gone from Azure: Microsoft has deprovisioned it`,
        `delete ${metro.file}; keep its lines in ${inventory.lockFile} until no router uses the addresses`,
      );
    else
      add(
        "drift",
        `no peering ${name} in resource group ${plan.sp.resourceGroup}; the metro is ${metro.status}`,
        "run `pulumi up`: the Peering is the request to Microsoft",
      );
    for (const l of all) legs.push(legRow(l, undefined, LIFECYCLE[l.status].declared ? "drift" : "ok"));
  } else {
    if (peering.provisioningState === "Failed")
      add(
        "problem",
        `peering ${peering.name}: provisioningState Failed`,
        `ask Microsoft (${PEERING_CONTACT}) what failed; then run \`pulumi up\` again`,
      );
    if (peering.kind !== undefined && peering.kind !== "Direct")
      add(
        "drift",
        `peering ${peering.name} is of kind ${peering.kind}, not Direct`,
        `a Peering Service peering is Direct: ask Microsoft (${PEERING_CONTACT})`,
      );
    if (peering.sku !== undefined && peering.sku !== PEERING_SERVICE_SKU)
      add(
        "drift",
        `peering ${peering.name} has SKU ${peering.sku}, not ${PEERING_SERVICE_SKU}`,
        `Peering Service needs ${PEERING_SERVICE_SKU}: ask Microsoft (${PEERING_CONTACT}) to change it (TypeChange)`,
      );
    if (peering.peeringLocation !== undefined && peering.peeringLocation !== metro.peeringLocation)
      add(
        "drift",
        `peering ${peering.name} is at peering location ${peering.peeringLocation}; ${metro.file} says ${metro.peeringLocation}`,
        `correct peeringLocation in ${metro.file} (the location cannot change: a different one is a new peering)`,
      );

    const verdicts = new Map<string, LegVerdict>();
    declaredLegs.forEach((leg, i) => {
      const c = peering.connections[i];
      const legInv = metroInv?.legs.find((x) => x.name === leg.name);
      const verdict = compareLeg(plan, metro, leg, legInv, c);
      verdicts.set(leg.id, verdict);
    });
    for (const c of peering.connections.slice(declaredLegs.length)) {
      extraConnections.push(withoutKey(c));
      add(
        "drift",
        `Azure has connection #${c.position + 1} (${c.identifier ?? "no identifier"}, ${c.state ?? "no state"}) that no leg of ${metro.file} declares`,
        `add the leg to ${metro.file}, or ask Microsoft (${PEERING_CONTACT}) to remove the connection (the API cannot)`,
      );
    }

    // The metro follows its legs: once every leg that shares the metro's state has reached a step,
    // the metro is there. Legs with their own state follow on their own.
    const shared = declaredLegs.filter(
      (l) => l.status === metro.status || (metro.status === "maintenance" && l.status === "maintenance"),
    );
    const least = leastOf(shared.map((l) => verdicts.get(l.id)?.implied));
    const advance = least !== undefined && PROGRESS[least] > PROGRESS[metro.status] ? least : undefined;
    if (advance === "active")
      add(
        "drift",
        `connections Active (the inventory says ${metro.status})`,
        `set \`status: active\` in ${metro.file} and merge${waitingRegistrations > 0 ? " to register prefixes" : ""}`,
        statusEdit("active"),
      );
    else if (advance === "provisioning")
      add(
        "drift",
        `Microsoft approved the request and started provisioning (${shared
          .map((l) => peering.connections[declaredLegs.indexOf(l)]?.state)
          .filter(unique)
          .join(", ")}); the inventory says requested`,
        `set \`status: provisioning\` in ${metro.file} and merge: the router configs are rendered; wire the cross-connects to the LOA and tell Microsoft`,
        statusEdit("provisioning"),
      );
    for (const leg of declaredLegs) {
      const v = verdicts.get(leg.id)!;
      mine.push(...v.findings);
      if (!v.advance) continue;
      if (!shared.includes(leg)) mine.push(v.advance);
      else if (advance === undefined)
        mine.push({
          subject: v.advance.subject,
          observed: v.advance.observed,
          severity: "waiting",
          next: `the metro moves on once every leg has (${shared
            .filter((l) => l !== leg)
            .map((l) => `leg ${l.name}: ${peering.connections[declaredLegs.indexOf(l)]?.state ?? "not in Azure"}`)
            .join(", ")})`,
        });
    }
    if (mine.length === 0 || mine.every((f) => f.severity === "ok")) add("ok", "Azure agrees with the inventory", "");
    for (const l of all) {
      const i = declaredLegs.indexOf(l);
      const own = mine.filter((f) => f.subject === l.id).map((f) => f.severity);
      const metroWide = advance !== undefined && shared.includes(l) ? ["drift" as Severity] : [];
      legs.push(legRow(l, i >= 0 ? peering.connections[i] : undefined, worst([...own, ...metroWide])));
    }
  }

  findings.push(...mine.filter((f) => f.severity !== "ok"));
  const severity = worst(mine.map((f) => f.severity));
  const first = [...mine].sort((a, b) => RANK[b.severity] - RANK[a.severity])[0];
  return {
    id: metro.id,
    status: metro.status,
    file: metro.file,
    peeringName: name,
    declared: metro.declared,
    ...(peering
      ? {
          azure: {
            ...(peering.peeringLocation !== undefined ? { peeringLocation: peering.peeringLocation } : {}),
            ...(peering.provisioningState !== undefined ? { provisioningState: peering.provisioningState } : {}),
            ...(peering.sku !== undefined ? { sku: peering.sku } : {}),
            ...(peering.kind !== undefined ? { kind: peering.kind } : {}),
            connections: peering.connections.length,
          },
        }
      : {}),
    legs,
    extraConnections,
    severity,
    next:
      first && first.severity !== "ok"
        ? `${first.subject === metro.id ? "" : `${first.subject}: `}${first.observed}: ${first.next}`
        : `nothing to do now (later: ${rules.next})`,
  };
}

/** The earliest step of all, or undefined when one of them asks for none. */
function leastOf(steps: ReadonlyArray<Onboarding | undefined>): Onboarding | undefined {
  if (steps.length === 0 || steps.some((x) => x === undefined)) return undefined;
  return (steps as Onboarding[]).reduce((a, b) => (PROGRESS[b] < PROGRESS[a] ? b : a));
}

const unique = <T>(v: T, i: number, a: T[]) => a.indexOf(v) === i;

function withoutKey(c: AzureConnection): Omit<AzureConnection, "hasMd5Key"> {
  const { hasMd5Key: _, ...rest } = c;
  return rest;
}

function legRow(leg: Leg | LegAwaitingAddresses, c: AzureConnection | undefined, severity: Severity): LegStatus {
  return {
    id: leg.id,
    name: leg.name,
    status: leg.status,
    router: leg.hostname,
    ...(c ? { azure: withoutKey(c) } : {}),
    bandwidthMbps: leg.bandwidthMbps,
    severity,
  };
}

function connectionSummary(p: AzurePeering): string {
  const states = p.connections.map((c) => c.state ?? "?").filter(unique);
  return `${p.connections.length} connection${p.connections.length === 1 ? "" : "s"}${states.length ? `, ${states.join("/")}` : ""}`;
}

function compareLeg(
  plan: Plan,
  metro: Metro,
  leg: Leg | LegAwaitingAddresses,
  legInv: LegInventory | undefined,
  c: AzureConnection | undefined,
): LegVerdict {
  const findings: Finding[] = [];
  const add = (severity: Severity, observed: string, next: string, edit?: Edit) =>
    findings.push({ subject: leg.id, severity, observed, next, ...(edit ? { edit } : {}) });
  if (!c) {
    add(
      "drift",
      `no connection in Azure for leg ${leg.name} (${leg.status})`,
      "run `pulumi up`: it adds the leg's connection to the peering",
    );
    return { findings };
  }
  const step = stepOf(c.state);
  const state = c.state ?? "no state";
  const error = c.errorMessage ? `: ${c.errorMessage}` : "";
  const implied = IMPLIED[step];
  let advance: Finding | undefined;
  const ownStatusEdit = (s: LifecycleState): Edit | undefined =>
    legInv
      ? legInv.status !== undefined && legInv.source.lines?.status !== undefined
        ? { file: legInv.source.file, line: legInv.source.lines.status, action: "replace", text: `status: ${s}` }
        : {
            file: legInv.source.file,
            line: legInv.source.line,
            action: "add",
            at: `${legInv.source.field} (leg ${leg.name})`,
            text: `status: ${s}`,
          }
      : undefined;

  // Where Microsoft's onboarding stands, against the leg's lifecycle state.
  switch (leg.status) {
    case "requested":
    case "provisioning": {
      if (step === "failed")
        add(
          "problem",
          `connection ${state}${error}`,
          `ask Microsoft (${PEERING_CONTACT}) what failed; fix it and have Microsoft provision it again`,
        );
      else if (step === "unknown" || step === "type-change")
        add(
          step === "unknown" ? "problem" : "waiting",
          `connection state ${state}${error}`,
          step === "unknown"
            ? "look the connection up in the Azure portal; this tool does not know the state"
            : "Microsoft is changing the peering's type; wait for it",
        );
      else if (implied !== undefined && PROGRESS[implied] > PROGRESS[leg.status]) {
        const edit = ownStatusEdit(implied);
        advance = {
          subject: leg.id,
          severity: "drift",
          observed: `connection ${state}; the leg is ${leg.status}`,
          next:
            implied === "active"
              ? `set \`status: active\` for leg ${leg.name} in ${metro.file} and merge`
              : `set \`status: provisioning\` for leg ${leg.name} in ${metro.file} and merge: its router config is rendered; wire the cross-connect to the LOA`,
          ...(edit ? { edit } : {}),
        };
      } else if (leg.status === "provisioning" && step === "pending")
        add(
          "drift",
          `connection ${state}: Microsoft has not approved the request, but the leg is provisioning`,
          `wait for Microsoft's approval and the LOA before wiring (or set \`status: requested\` again in ${metro.file})`,
        );
      else if (step === "pending")
        add("waiting", `connection ${state}`, "Microsoft reviews the request; the LOA comes by e-mail");
      else if (step === "approved")
        add(
          "waiting",
          `connection ${state}`,
          "Microsoft approved the request; provisioning starts next (ProvisioningStarted)",
        );
      else
        add(
          "waiting",
          `connection ${state}${error}`,
          "Microsoft provisions and validates the sessions (ProvisioningStarted → ProvisioningCompleted → Validating → Active)",
        );
      break;
    }
    case "active":
    case "maintenance":
      if (step === "active") add("ok", "connection Active", "");
      else if (step === "type-change")
        add("waiting", `connection ${state}`, "Microsoft is changing the peering's type; wait for it");
      else
        add(
          "problem",
          `connection ${state}${error}, but the leg is ${leg.status}`,
          `ask Microsoft (${PEERING_CONTACT}) why the connection is not Active; registrations need Active connections`,
        );
      break;
    case "decommissioned":
      add(
        "waiting",
        `connection ${state}${[c.ipv4.state, c.ipv6.state].includes("PendingRemove") ? ", sessions PendingRemove" : ""}: not deprovisioned yet`,
        LIFECYCLE.decommissioned.next,
      );
      break;
    case "planned":
      break;
  }

  compareAddresses(plan, metro, leg, legInv, c, add);
  compareSessions(leg, c, add);

  if (c.bandwidthMbps !== undefined && c.bandwidthMbps !== leg.bandwidthMbps)
    add(
      "drift",
      `Azure has ${c.bandwidthMbps} Mbps requested; the LAG is ${leg.members.length}x${leg.portGbps}G = ${leg.bandwidthMbps} Mbps`,
      "run `pulumi up` to request the LAG's bandwidth (or correct the members in the metro file)",
    );
  if (
    (leg.status === "active" || leg.status === "maintenance") &&
    c.provisionedBandwidthMbps !== undefined &&
    c.provisionedBandwidthMbps < leg.bandwidthMbps
  )
    add(
      "problem",
      `Microsoft provisioned ${c.provisionedBandwidthMbps} of ${leg.bandwidthMbps} Mbps`,
      `check every LAG member of ${leg.interface} on ${leg.hostname} (LACP), then ask Microsoft (${PEERING_CONTACT})`,
    );
  if (c.useForPeeringService === false)
    add(
      "drift",
      "the connection is not used for Peering Service (useForPeeringService false)",
      "run `pulumi up`; if Azure keeps it, ask Microsoft",
    );
  if (c.hasMd5Key && leg.md5KeySecret === undefined)
    add(
      "drift",
      "Azure holds an MD5 key for the session; the inventory names none",
      `remove it with \`pulumi up\`, or record Microsoft's agreement: \`md5: { keySecret, agreement }\` on leg ${leg.name} in ${metro.file}`,
    );
  return { findings, implied, ...(advance ? { advance } : {}) };
}

function compareSessions(
  leg: Leg | LegAwaitingAddresses,
  c: AzureConnection,
  add: (severity: Severity, observed: string, next: string) => void,
): void {
  if (leg.status !== "active" && leg.status !== "maintenance") return;
  for (const [afi, family] of FAMILIES) {
    const session = c[afi];
    const state = session.state ?? "None";
    if (state === "Established") continue;
    const neighbor = session.microsoft ?? (isAddressed(leg) ? leg[afi].microsoft : "Microsoft");
    if (state === "PendingAdd" || state === "PendingUpdate")
      add("waiting", `${family} session ${state}`, "Microsoft is applying a change to the session");
    else if (leg.status === "maintenance")
      add(
        "waiting",
        `${family} session ${state} (maintenance)`,
        `bring it back up after the work (\`show bgp neighbor ${neighbor}\` on ${leg.hostname})`,
      );
    else
      add(
        "problem",
        `${family} session ${state} on an active leg`,
        `check ${leg.hostname}: \`show bgp neighbor ${neighbor}\` (the cross-connect on ${leg.interface}, BFD, max-prefix, MD5)`,
      );
  }
}

/**
 * The leg's session addresses: what the plan uses against what Azure holds. With Microsoft
 * assigning them, a leg waiting for addresses learns them here, with the line that pins them.
 */
function compareAddresses(
  plan: Plan,
  metro: Metro,
  leg: Leg | LegAwaitingAddresses,
  legInv: LegInventory | undefined,
  c: AzureConnection,
  add: (severity: Severity, observed: string, next: string, edit?: Edit) => void,
): void {
  const assigned = FAMILIES.map(([afi]) => assignedPrefix(c[afi], afi));
  const microsoftProvides = plan.sp.sessionAddressProvider === "Microsoft";
  if (!isAddressed(leg)) {
    if (assigned.some((a) => a === undefined)) {
      // Microsoft assigns them with its approval: while the request is pending, that says it all.
      if (stepOf(c.state) !== "pending")
        add(
          "waiting",
          "Microsoft has not assigned the session addresses yet",
          "Microsoft assigns them after approving the request and e-mails them with the LOA",
        );
      return;
    }
    const [v4, v6] = assigned as [Assigned, Assigned];
    const swapped = [v4, v6].filter((a) => a.microsoftIsHigher);
    const pin: Edit = legInv
      ? {
          file: legInv.source.file,
          line: legInv.source.line,
          action: "add",
          at: `${legInv.source.field} (leg ${leg.name})`,
          text: `sessionPrefixes: { ipv4: ${v4.prefix}, ipv6: "${v6.prefix}" }`,
        }
      : {
          file: metro.file,
          action: "add",
          at: `leg ${leg.name}`,
          text: `sessionPrefixes: { ipv4: ${v4.prefix}, ipv6: "${v6.prefix}" }`,
        };
    add(
      swapped.length > 0 ? "problem" : "drift",
      `Microsoft assigned ${v4.prefix} and ${v6.prefix} (Microsoft ${v4.microsoft ?? "?"} and ${v6.microsoft ?? "?"})`,
      swapped.length > 0
        ? `pin them, but first confirm the ends with Microsoft: Microsoft took the higher address (${swapped.map((a) => a.microsoft).join(", ")}), and the plan gives Microsoft the lower one of a /31 and /127 (README, Session addressing)`
        : `pin them in ${metro.file} and merge; the leg's router config is rendered once it is provisioning`,
      pin,
    );
    return;
  }
  FAMILIES.forEach(([afi, family], i) => {
    const planned = leg[afi];
    const a = assigned[i];
    if (a === undefined) {
      if (c[afi].prefix === undefined && c[afi].microsoft === undefined)
        add(
          "drift",
          `Azure holds no ${family} session addresses; the plan uses ${planned.prefix}`,
          microsoftProvides
            ? "run `pulumi up` (the connection declares the pinned addresses), or wait for Microsoft's"
            : "run `pulumi up`: the connection declares the addresses",
        );
      return;
    }
    if (a.prefix !== planned.prefix) {
      const pin = legInv?.source.lines?.[`sessionPrefixes.${afi}`];
      add(
        "drift",
        `Azure holds ${family} ${a.prefix}; the ${planned.origin === "pinned" ? "pin" : "plan"} says ${planned.prefix}`,
        microsoftProvides
          ? `pin what Microsoft assigned in ${metro.file} and run \`npm run plan\``
          : "run `pulumi up` to send the plan's addresses (or pin Azure's if the routers use them)",
        microsoftProvides && legInv
          ? pin !== undefined
            ? {
                file: legInv.source.file,
                line: pin,
                action: "replace",
                text: `${afi}: ${afi === "ipv6" ? `"${a.prefix}"` : a.prefix}`,
              }
            : {
                file: legInv.source.file,
                line: legInv.source.line,
                action: "add",
                at: `${legInv.source.field} (leg ${leg.name})`,
                text: `sessionPrefixes: { ${afi}: ${afi === "ipv6" ? `"${a.prefix}"` : a.prefix} }`,
              }
          : undefined,
      );
      return;
    }
    if (a.microsoft !== undefined && a.microsoft !== planned.microsoft)
      add(
        "problem",
        `Azure gives Microsoft ${family} ${a.microsoft}; the plan gives Microsoft ${planned.microsoft} and the router ${planned.sp} (README, Session addressing)`,
        `the router would configure the wrong neighbor: confirm the ends with Microsoft (${PEERING_CONTACT}) before deploying ${leg.hostname}'s config`,
      );
  });
}

interface Assigned {
  prefix: string;
  microsoft?: string;
  /** Microsoft holds the higher address of the /31 or /127 (the plan's convention gives it the lower). */
  microsoftIsHigher: boolean;
}

/** The session prefix Azure holds for one family: as given, or the /31 (/127) holding both ends. */
function assignedPrefix(s: AzureSession, afi: AddressFamily): Assigned | undefined {
  const microsoft = s.microsoft !== undefined ? readAddress(s.microsoft) : undefined;
  const peer = s.peer !== undefined ? readAddress(s.peer) : undefined;
  const given = s.prefix !== undefined ? readPrefix(s.prefix) : undefined;
  const length = afi === "ipv4" ? 31 : 127;
  const derived =
    given ??
    (microsoft !== undefined &&
    peer !== undefined &&
    prefixHolding(microsoft, length)?.text === prefixHolding(peer, length)?.text
      ? prefixHolding(microsoft, length)
      : undefined);
  if (!derived) return undefined;
  const higher =
    microsoft !== undefined &&
    derived.length === length &&
    prefixHolding(microsoft, length + 1)?.first === derived.last;
  return { prefix: derived.text, ...(microsoft !== undefined ? { microsoft } : {}), microsoftIsHigher: higher };
}

// --- Registrations -----------------------------------------------------------------------------

function compareRegistrations(
  plan: Plan,
  inventory: Inventory,
  azure: AzureSnapshot,
  metroOfPeering: ReadonlyMap<string, string>,
  findings: Finding[],
): RegistrationStatus[] {
  const lockFile = inventory.lockFile;
  const found = new Map<string, AzureRegistration[]>();
  const note = (key: string, r: AzureRegistration) => found.set(key, [...(found.get(key) ?? []), r]);
  for (const p of azure.peerings) {
    const metro = metroOfPeering.get(p.name);
    for (const r of p.registeredPrefixes) {
      const key = (r.prefix !== undefined ? readPrefix(r.prefix)?.text : undefined) ?? r.prefix ?? r.name;
      note(key, {
        peering: p.name,
        ...(metro !== undefined ? { metro } : {}),
        ...pick(r, ["prefixKey", "errorMessage", "provisioningState", "validationState"]),
      });
    }
    for (const r of p.registeredAsns) {
      const key = r.asn !== undefined ? asnKey(r.asn) : r.name;
      note(key, {
        peering: p.name,
        ...(metro !== undefined ? { metro } : {}),
        ...pick(r, ["prefixKey", "provisioningState"]),
      });
    }
  }

  const statuses: RegistrationStatus[] = [];
  for (const r of plan.registrations) {
    const hits = found.get(r.key) ?? [];
    found.delete(r.key);
    const section = r.kind === "prefix" ? "registeredPrefixes" : "registeredAsns";
    const lockLine = inventory.lockLines[`${section}.${r.key}`];
    const pinEdit = (metro: string): Edit =>
      lockLine !== undefined
        ? { file: lockFile, line: lockLine, action: "replace", text: `${r.key}: ${metro}` }
        : { file: lockFile, action: "add", at: section, text: `${r.key}: ${metro}` };
    const where = (h: AzureRegistration) => h.metro ?? h.peering;
    const mine: Finding[] = [];
    const add = (severity: Severity, observed: string, next: string, edit?: Edit) =>
      mine.push({ subject: r.key, severity, observed, next, ...(edit ? { edit } : {}) });

    if (r.home === undefined) {
      if (hits.length === 0)
        add("waiting", `not registered; the plan ${r.reason}`, "nothing to do: it is registered once that holds");
      else
        add(
          "drift",
          `registered at ${hits.map(where).join(" and ")} in Azure; the plan ${r.reason}`,
          `record Azure's home in ${lockFile}`,
          hits.length === 1 && hits[0].metro !== undefined ? pinEdit(hits[0].metro) : undefined,
        );
    } else if (hits.length === 0) {
      add(
        "drift",
        `not registered in Azure; its home is ${r.home}${r.state === "moving" ? ` (moving from ${r.pinned})` : ""}`,
        r.state === "new"
          ? `run \`npm run plan\` (it records the home in ${lockFile}), merge, then \`pulumi up\` registers it at ${r.home}`
          : `run \`pulumi up\`: it registers it at ${r.home}`,
      );
    } else if (hits.length > 1) {
      add(
        "problem",
        `registered on ${hits.length} peerings (${hits.map(where).join(", ")}); Microsoft allows one`,
        `keep the one at ${r.home}; delete the others (${hits
          .filter((h) => h.metro !== r.home)
          .map(where)
          .join(", ")}) in Azure`,
      );
    } else {
      const at = hits[0];
      if (at.metro !== r.home) {
        if (r.state === "moving" && at.metro === r.pinned)
          add(
            "drift",
            `registered at ${at.metro}; moving to ${r.home} (registerAt)`,
            `run \`pulumi up\`: it deletes the registration at ${at.metro}, then registers it at ${r.home}`,
          );
        else
          add(
            "drift",
            `registered at ${where(at)} in Azure; the inventory's home is ${r.home}`,
            at.metro !== undefined
              ? `record Azure's home in ${lockFile}${registerAtOf(inventory, r) !== undefined ? ` (and drop registerAt in ${inventory.sp.file})` : ""}, or run \`pulumi up\` to move it to ${r.home}`
              : `it sits on a peering that is not the stack's: delete it there, then \`pulumi up\` registers it at ${r.home}`,
            at.metro !== undefined ? pinEdit(at.metro) : undefined,
          );
      } else if (r.state === "new") {
        add(
          "drift",
          `registered at ${r.home} in Azure; the lock does not record its home`,
          `run \`npm run plan\` and commit ${lockFile}`,
          pinEdit(r.home),
        );
      } else if (r.state === "moving") {
        add(
          "drift",
          `moved to ${r.home} in Azure; the lock still pins ${r.pinned}`,
          `pin the new home in ${lockFile} (it is protected again)`,
          pinEdit(r.home),
        );
      }
      if (r.kind === "prefix") validation(r.home, at, add);
      else if (at.provisioningState === "Failed")
        add(
          "problem",
          `registration at ${where(at)}: provisioningState Failed`,
          `ask Microsoft (${PEERING_CONTACT}); then \`pulumi up\` again`,
        );
    }
    if (mine.length === 0) add("ok", "registered and verified", "");
    findings.push(...mine.filter((f) => f.severity !== "ok"));
    statuses.push({
      key: r.key,
      kind: r.kind,
      ...(r.home !== undefined ? { home: r.home } : {}),
      ...(r.pinned !== undefined ? { pinned: r.pinned } : {}),
      state: r.state,
      azure: hits,
      severity: worst(mine.map((f) => f.severity)),
    });
  }
  for (const [key, hits] of found) {
    const kind = /^AS\d+$/.test(key) ? "asn" : "prefix";
    findings.push({
      subject: key,
      severity: "drift",
      observed: `registered in Azure at ${hits.map((h) => h.metro ?? h.peering).join(" and ")}; ${inventory.sp.file} does not list it`,
      next:
        kind === "prefix"
          ? `add it to \`prefixes\` in ${inventory.sp.file}, or deregister it in Azure`
          : `add a prefix it originates to ${inventory.sp.file}, or deregister it in Azure`,
    });
    statuses.push({ key, kind, state: "not in the inventory", azure: hits, severity: "drift" });
  }
  return statuses;
}

/** The `registerAt` the inventory writes for a registration, if any. */
function registerAtOf(inventory: Inventory, r: Registration): string | undefined {
  return r.kind === "prefix"
    ? r.prefix?.registerAt
    : inventory.sp.originAsns.find((o) => asnKey(o.asn) === r.key)?.registerAt;
}

function validation(
  home: string,
  at: AzureRegistration,
  add: (severity: Severity, observed: string, next: string) => void,
): void {
  const state = at.validationState ?? "None";
  const error = at.errorMessage ? `: ${at.errorMessage}` : "";
  if (at.provisioningState === "Failed")
    add(
      "problem",
      `registration at ${home}: provisioningState Failed${error}`,
      `ask Microsoft (${PEERING_CONTACT}); then \`pulumi up\` again`,
    );
  else if (state === "Verified") return;
  else if (state === "Failed" || state === "Invalid" || state === "Warning")
    add(
      "problem",
      `validation ${state}${error}`,
      "fix what Microsoft names (README, Onboarding: registered prefix requirements: announced on every session of its peering with 8075:8007, origin in a routing registry, AS path of at most 3 without prepends), then ask Microsoft to validate it again",
    );
  else
    add(
      "waiting",
      `validation ${state}`,
      `Microsoft validates it on every session of ${home}'s peering (announced with 8075:8007)`,
    );
}

function pick<T extends object, K extends keyof T>(o: T, keys: readonly K[]): Partial<Pick<T, K>> {
  return Object.fromEntries(keys.filter((k) => o[k] !== undefined).map((k) => [k, o[k]])) as Partial<Pick<T, K>>;
}
