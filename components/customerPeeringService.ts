/**
 * A customer's Peering Service, declared by the SP on the customer's behalf: the `PeeringService`
 * (the SP as provider, a primary and a backup peering location in two metros), one `Prefix` per
 * prefix activated with the prefix key of the SP's registration that covers it (a Pulumi secret:
 * it is the registration's output, never written anywhere), and the `ConnectionMonitorTest`s whose
 * RoundTripTime telemetry reads (`npm run analyze -- --telemetry`). What it declares is
 * `declareCustomerPeeringService` (declarations/customerPeeringService.ts); this component
 * instantiates it.
 */
import * as pulumi from "@pulumi/pulumi";
import * as peering from "@pulumi/azure-native/peering";
import { TYPES, type CustomerPeeringServiceDeclarations } from "../declarations";
import { inputsOf, optionsOf } from "./support";

export interface CustomerPeeringServiceArgs {
  /** What the customer declares (`declareCustomerPeeringService`). */
  declared: CustomerPeeringServiceDeclarations;
  /** The SP's declared registered prefixes, by declared name: their prefix keys activate the prefixes. */
  registeredPrefixes: Record<string, pulumi.Resource>;
}

export class CustomerPeeringService extends pulumi.ComponentResource {
  readonly peeringService: peering.PeeringService;
  /** By prefix. */
  readonly prefixes: Record<string, peering.Prefix>;
  /** By test name. */
  readonly tests: Record<string, peering.ConnectionMonitorTest>;

  constructor(name: string, args: CustomerPeeringServiceArgs, opts?: pulumi.ComponentResourceOptions) {
    super(TYPES.customerPeeringService, name, {}, opts);
    const { declared } = args;
    const sources = { secrets: {}, resources: args.registeredPrefixes };
    this.peeringService = new peering.PeeringService(
      declared.peeringService.name,
      inputsOf(declared.peeringService, sources),
      optionsOf(declared.peeringService, this),
    );
    const resources = { [declared.peeringService.name]: this.peeringService };
    this.prefixes = {};
    for (const [prefix, d] of Object.entries(declared.prefixes))
      this.prefixes[prefix] = new peering.Prefix(d.name, inputsOf(d, sources), optionsOf(d, this, resources));
    this.tests = {};
    for (const [test, d] of Object.entries(declared.tests))
      this.tests[test] = new peering.ConnectionMonitorTest(d.name, inputsOf(d, sources), optionsOf(d, this, resources));
    this.registerOutputs({
      peeringServiceName: this.peeringService.name,
      prefixes: Object.keys(this.prefixes),
      tests: Object.keys(this.tests),
    });
  }
}
