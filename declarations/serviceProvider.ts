/**
 * The SP as Microsoft sees it: its PeerAsn, one peering location per metro that declares a
 * peering (once the PeerAsn is approved), and each registered prefix and origin ASN once, on its
 * home peering. `ServiceProvider` (components/serviceProvider.ts) instantiates it. Pure.
 */
import type { Plan, Registration, ServiceProviderPlan } from "../plan/model";
import { registeredAsnName, registeredPrefixName, registrationResourceName } from "../plan/peeringTags";
import { component, PEER_ASN_IMMUTABLE, TYPES, type Declaration } from "./model";
import type { DeploySettings } from "../deploy/settings";
import {
  customerComponentName,
  customerDeclarations,
  declareCustomerPeeringService,
  type CustomerPeeringServiceDeclarations,
} from "./customerPeeringService";
import { declarePeeringLocation, peeringLocationName, type PeeringLocationDeclarations } from "./peeringLocation";
import { declareRollout, ROLLOUT_NAME, type RolloutDeclarations } from "./rollout";

export interface PeerAsnInputs {
  peerAsnName: string;
  peerAsn: number;
  peerName: string;
  peerContactDetail: Array<{ role: string; email: string; phone?: string }>;
}

export interface RegisteredPrefixInputs {
  peeringName: string;
  resourceGroupName: string;
  registeredPrefixName: string;
  prefix: string;
}

export interface RegisteredAsnInputs {
  peeringName: string;
  resourceGroupName: string;
  registeredAsnName: string;
  asn: number;
}

export type RegistrationDeclaration =
  | { registration: Registration; kind: "prefix"; declaration: Declaration<RegisteredPrefixInputs> }
  | { registration: Registration; kind: "asn"; declaration: Declaration<RegisteredAsnInputs> };

export interface ServiceProviderDeclarations {
  component: Declaration<object>;
  peerAsn: Declaration<PeerAsnInputs>;
  /** By metro id, in the plan's metro order. */
  locations: PeeringLocationDeclarations[];
  /** Registrations that have a home now, in the plan's order; waiting ones are declared nowhere. */
  registrations: RegistrationDeclaration[];
}

/** The name of the stack's ServiceProvider component (`stacks/program.ts`): the prefix of every other name. */
export const SERVICE_PROVIDER_NAME = "sp";

export interface StackDeclarations {
  sp: ServiceProviderDeclarations;
  /** The declared customers' Peering Services, in the plan's order. */
  customers: CustomerPeeringServiceDeclarations[];
  /** The pushes of router configs, where the stack config has `deploy`. */
  rollout?: RolloutDeclarations;
}

/**
 * What the stack declares (`stacks/program.ts` instantiates exactly this): the ServiceProvider,
 * each declared customer's Peering Service, and the rollout where the stack config has `deploy`.
 */
export function declareStackParts(plan: Plan, deploy?: DeploySettings): StackDeclarations {
  const sp = declareServiceProvider(SERVICE_PROVIDER_NAME, plan);
  const registeredPrefixes = new Map(
    sp.registrations.flatMap((r) => (r.kind === "prefix" ? [[r.registration.key, r.declaration] as const] : [])),
  );
  const customers = plan.customers
    .filter((c) => c.declared)
    .map((c) =>
      declareCustomerPeeringService(
        customerComponentName(c.id),
        c,
        plan.sp.name,
        plan.sp.resourceGroup,
        registeredPrefixes,
      ),
    );
  return { sp, customers, ...(deploy ? { rollout: declareRollout(ROLLOUT_NAME, plan, deploy) } : {}) };
}

/** Every declaration of the stack's parts, parents before children, each before what waits for it. */
export function allStackDeclarations(d: StackDeclarations): Array<Declaration<object>> {
  return [
    ...allDeclarations(d.sp),
    ...d.customers.flatMap(customerDeclarations),
    ...(d.rollout ? d.rollout.order : []),
  ];
}

/** Everything the ServiceProvider component named `name` declares. */
export function declareServiceProvider(name: string, plan: Plan): ServiceProviderDeclarations {
  const { sp } = plan;
  const self = component(TYPES.serviceProvider, name);
  const peerAsn = declarePeerAsn(name, sp, self);
  const locations = plan.metros
    .filter((m) => m.declared)
    .map((metro) => declarePeeringLocation(peeringLocationName(name, metro.id), sp, metro, peerAsn, self));
  const byMetro = new Map(locations.map((l) => [l.metro.id, l]));
  const registrations = plan.registrations.flatMap((r): RegistrationDeclaration[] => {
    const home = r.home === undefined ? undefined : byMetro.get(r.home);
    if (!home) return []; // waiting: declared nowhere yet
    return [declareRegistration(name, r, home, sp.resourceGroup)];
  });
  return { component: self, peerAsn, locations, registrations };
}

/** The ASN registration comes first and outlives every metro: protected, and never edited. */
function declarePeerAsn(
  name: string,
  sp: ServiceProviderPlan,
  parent: Declaration<object>,
): Declaration<PeerAsnInputs> {
  return {
    type: TYPES.peerAsn,
    name: `${name}-as${sp.asn}`,
    parent,
    custom: true,
    inputs: {
      peerAsnName: `as${sp.asn}`,
      peerAsn: sp.asn,
      peerName: sp.name,
      peerContactDetail: sp.contacts.map((c) => ({
        role: c.role,
        email: c.email,
        ...(c.phone ? { phone: c.phone } : {}),
      })),
    },
    options: { protect: true, ignoreChanges: [...PEER_ASN_IMMUTABLE] },
  };
}

/**
 * A registration on its home peering, as a child of the home's PeeringLocation. The Pulumi name
 * never names the home, and `peeringName` is create-only, so a new home replaces the resource in
 * place; `deleteBeforeReplace` deletes the old registration first, because Azure refuses a prefix
 * registered twice. The plain peering name (not the peering's output) keeps the inputs known during
 * preview, so the policies can match a registration to its metro; `dependsOn` keeps the order.
 */
function declareRegistration(
  name: string,
  r: Registration,
  home: PeeringLocationDeclarations,
  resourceGroupName: string,
): RegistrationDeclaration {
  const common = {
    name: registrationResourceName(name, r),
    parent: home.component,
    custom: true,
    options: { protect: r.protect, deleteBeforeReplace: true, dependsOn: [home.peering.name] },
  };
  if (r.kind === "prefix") {
    const prefix = r.prefix?.prefix ?? r.key;
    return {
      registration: r,
      kind: "prefix",
      declaration: {
        ...common,
        type: TYPES.registeredPrefix,
        // The name tells the policy pack (and the Azure portal's reader) the origin ASN.
        inputs: {
          peeringName: home.peering.inputs.peeringName,
          resourceGroupName,
          registeredPrefixName: registeredPrefixName(prefix, r.asn),
          prefix,
        },
      },
    };
  }
  return {
    registration: r,
    kind: "asn",
    declaration: {
      ...common,
      type: TYPES.registeredAsn,
      inputs: {
        peeringName: home.peering.inputs.peeringName,
        resourceGroupName,
        registeredAsnName: registeredAsnName(r.asn),
        asn: r.asn,
      },
    },
  };
}

/** Every declaration, parents before children. */
export function allDeclarations(d: ServiceProviderDeclarations): Array<Declaration<object>> {
  return [
    d.component,
    d.peerAsn,
    ...d.locations.flatMap((l) => [l.component, l.peering]),
    ...d.registrations.map((r) => r.declaration),
  ];
}
