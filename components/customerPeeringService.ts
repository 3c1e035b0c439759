/**
 * A customer's Peering Service, declared by the SP on the customer's behalf: the `PeeringService`
 * (the SP as provider, a primary and a backup peering location in two metros), one `Prefix` per
 * prefix activated with the prefix key of the SP's registration that covers it (a Pulumi secret:
 * it is the registration's output, never written anywhere), and the `ConnectionMonitorTest`s whose
 * RoundTripTime telemetry reads (`npm run analyze -- --telemetry`).
 */
import * as pulumi from "@pulumi/pulumi";
import * as peering from "@pulumi/azure-native/peering";
import type { CustomerPlan } from "../plan/customers";
import { azureName } from "../plan/peeringTags";

export interface CustomerPeeringServiceArgs {
  customer: CustomerPlan;
  /** The SP's name: the Peering Service's provider. */
  provider: string;
  resourceGroupName: string;
  /** The SP's declared registrations' prefix keys, by registered prefix (`198.51.100.0/24`). */
  prefixKeys: Record<string, pulumi.Output<string>>;
}

export class CustomerPeeringService extends pulumi.ComponentResource {
  readonly peeringService: peering.PeeringService;
  /** By prefix. */
  readonly prefixes: Record<string, peering.Prefix>;
  /** By test name. */
  readonly tests: Record<string, peering.ConnectionMonitorTest>;

  constructor(name: string, args: CustomerPeeringServiceArgs, opts?: pulumi.ComponentResourceOptions) {
    super("peering-as-code:index:CustomerPeeringService", name, {}, opts);
    const { customer: c, resourceGroupName } = args;
    this.peeringService = new peering.PeeringService(
      `${name}-service`,
      {
        peeringServiceName: c.peeringServiceName,
        resourceGroupName,
        ...(c.location !== undefined ? { location: c.location } : {}),
        peeringServiceLocation: c.customerLocation,
        peeringServiceProvider: args.provider,
        providerPrimaryPeeringLocation: c.primary.peeringLocation,
        providerBackupPeeringLocation: c.backup.peeringLocation,
        tags: { customer: azureName(c.id), "primary-metro": c.primary.metro, "backup-metro": c.backup.metro },
      },
      { parent: this },
    );
    this.prefixes = {};
    for (const p of c.prefixes) {
      const key = args.prefixKeys[p.registration];
      if (!p.declared || key === undefined) continue;
      this.prefixes[p.prefix] = new peering.Prefix(
        `${name}-prefix-${azureName(p.prefix)}`,
        {
          peeringServiceName: c.peeringServiceName,
          resourceGroupName,
          prefixName: azureName(p.prefix),
          prefix: p.prefix,
          peeringServicePrefixKey: pulumi.secret(key),
        },
        { parent: this, dependsOn: [this.peeringService] },
      );
    }
    this.tests = {};
    for (const t of c.connectionMonitorTests)
      this.tests[t.name] = new peering.ConnectionMonitorTest(
        `${name}-test-${t.name}`,
        {
          peeringServiceName: c.peeringServiceName,
          resourceGroupName,
          connectionMonitorTestName: t.name,
          sourceAgent: t.sourceAgent,
          destination: t.destination,
          destinationPort: t.destinationPort,
          testFrequencyInSec: t.testFrequencyInSec,
        },
        { parent: this, dependsOn: [this.peeringService] },
      );
    this.registerOutputs({
      peeringServiceName: this.peeringService.name,
      prefixes: Object.keys(this.prefixes),
      tests: Object.keys(this.tests),
    });
  }
}
