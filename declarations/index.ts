/** What the Pulumi program declares, as plain data computed from the plan (`model.ts` says why). */
export * from "./model";
export * from "./peeringLocation";
export * from "./serviceProvider";
export * from "./customerPeeringService";
export * from "./rollout";
