export { PeeringLocation, type PeeringLocationArgs } from "./peeringLocation";
export { ServiceProvider, type ServiceProviderArgs } from "./serviceProvider";
export { azureName, renderRouterConfig } from "./support";
