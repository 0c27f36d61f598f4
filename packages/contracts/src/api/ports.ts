/** The original system's ports; each service serves its resources directly on its own. */
export const DEFAULT_PORTS = {
  gateway: 8080,
  delivery: 8081,
  order: 8082,
  marketing: 8083,
  orderStatus: 8084,
  payment: 8085,
  identity: 8086,
} as const;

/** gRPC ports, beside the REST ones. */
export const DEFAULT_GRPC_PORTS = { order: 9082 } as const;
