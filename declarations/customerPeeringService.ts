/**
 * A customer's Peering Service, declared by the SP on the customer's behalf: the `PeeringService`
 * (the SP as provider, a primary and a backup peering location in two metros), one `Prefix` per
 * prefix activated with the prefix key of the SP's registration that covers it (a secret: the
 * registration's output, known once Azure has registered it), and the `ConnectionMonitorTest`s whose
 * RoundTripTime telemetry reads. `CustomerPeeringService` (components/customerPeeringService.ts)
 * instantiates it. Pure.
 */
import type { CustomerPlan } from "../plan/customers";
import { azureName } from "../plan/peeringTags";
import { component, outputRef, TYPES, type Declaration, type OutputRef } from "./model";

export interface PeeringServiceInputs {
  peeringServiceName: string;
  resourceGroupName: string;
  location?: string;
  peeringServiceLocation: string;
  peeringServiceProvider: string;
  providerPrimaryPeeringLocation: string;
  providerBackupPeeringLocation: string;
  tags: Record<string, string>;
}

export interface PrefixInputs {
  peeringServiceName: string;
  resourceGroupName: string;
  prefixName: string;
  prefix: string;
  /** The covering registration's `peeringServicePrefixKey`, secret. */
  peeringServicePrefixKey: OutputRef;
}

export interface ConnectionMonitorTestInputs {
  peeringServiceName: string;
  resourceGroupName: string;
  connectionMonitorTestName: string;
  sourceAgent: string;
  destination: string;
  destinationPort: number;
  testFrequencyInSec: number;
}

export interface CustomerPeeringServiceDeclarations {
  customer: CustomerPlan;
  component: Declaration<object>;
  peeringService: Declaration<PeeringServiceInputs>;
  /** By prefix: those whose registration is declared on its home. */
  prefixes: Record<string, Declaration<PrefixInputs>>;
  /** By test name. */
  tests: Record<string, Declaration<ConnectionMonitorTestInputs>>;
}

/** The name of a customer's component (`stacks/program.ts`): `customer-contoso`. */
export function customerComponentName(customerId: string): string {
  return `customer-${customerId}`;
}

/**
 * What a declared customer declares, under the component named `name`. `registeredPrefixes` names
 * the declaration of each registered prefix that is declared (by registration key, `198.51.100.0/24`):
 * a prefix whose registration is not declared yet waits.
 */
export function declareCustomerPeeringService(
  name: string,
  customer: CustomerPlan,
  provider: string,
  resourceGroupName: string,
  registeredPrefixes: ReadonlyMap<string, Pick<Declaration<object>, "name">>,
): CustomerPeeringServiceDeclarations {
  const c = customer;
  const self = component(TYPES.customerPeeringService, name);
  const peeringService: Declaration<PeeringServiceInputs> = {
    type: TYPES.peeringService,
    name: `${name}-service`,
    parent: self,
    custom: true,
    inputs: {
      peeringServiceName: c.peeringServiceName,
      resourceGroupName,
      ...(c.location !== undefined ? { location: c.location } : {}),
      peeringServiceLocation: c.customerLocation,
      peeringServiceProvider: provider,
      providerPrimaryPeeringLocation: c.primary.peeringLocation,
      providerBackupPeeringLocation: c.backup.peeringLocation,
      tags: { customer: azureName(c.id), "primary-metro": c.primary.metro, "backup-metro": c.backup.metro },
    },
    options: {},
  };
  const afterService = { dependsOn: [peeringService.name] };
  const prefixes: Record<string, Declaration<PrefixInputs>> = {};
  for (const p of c.prefixes) {
    const registration = registeredPrefixes.get(p.registration);
    if (!p.declared || registration === undefined) continue;
    prefixes[p.prefix] = {
      type: TYPES.prefix,
      name: `${name}-prefix-${azureName(p.prefix)}`,
      parent: self,
      custom: true,
      inputs: {
        peeringServiceName: c.peeringServiceName,
        resourceGroupName,
        prefixName: azureName(p.prefix),
        prefix: p.prefix,
        peeringServicePrefixKey: outputRef(registration, "peeringServicePrefixKey", true),
      },
      options: afterService,
    };
  }
  const tests: Record<string, Declaration<ConnectionMonitorTestInputs>> = {};
  for (const t of c.connectionMonitorTests)
    tests[t.name] = {
      type: TYPES.connectionMonitorTest,
      name: `${name}-test-${t.name}`,
      parent: self,
      custom: true,
      inputs: {
        peeringServiceName: c.peeringServiceName,
        resourceGroupName,
        connectionMonitorTestName: t.name,
        sourceAgent: t.sourceAgent,
        destination: t.destination,
        destinationPort: t.destinationPort,
        testFrequencyInSec: t.testFrequencyInSec,
      },
      options: afterService,
    };
  return { customer: c, component: self, peeringService, prefixes, tests };
}

/** Every declaration of a customer, parents before children. */
export function customerDeclarations(d: CustomerPeeringServiceDeclarations): Array<Declaration<object>> {
  return [d.component, d.peeringService, ...Object.values(d.prefixes), ...Object.values(d.tests)];
}
