export { CustomerPeeringService, type CustomerPeeringServiceArgs } from "./customerPeeringService";
export { PeeringLocation, type ConnectionStatus, type PeeringLocationArgs } from "./peeringLocation";
export { ServiceProvider, type ServiceProviderArgs } from "./serviceProvider";
export { renderRouterConfig } from "./support";
