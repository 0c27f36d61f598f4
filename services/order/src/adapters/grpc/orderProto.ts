import { fileURLToPath } from 'node:url';
import { loadPackageDefinition, type ServiceClientConstructor } from '@grpc/grpc-js';
import { loadSync } from '@grpc/proto-loader';

/** The published .proto files live beside the contracts' sources, in packages/contracts/proto. */
export const PROTO_DIR = fileURLToPath(new URL('../proto/', import.meta.resolve('@12street/contracts')));
export const ORDER_PROTO = 'order.proto';

/**
 * Loaded at run time, no generated code: camelCase field names (the REST fields), 64-bit integers
 * as numbers (ids stay below 2^53), and unset fields present with their zero value, so a missing
 * field reaches validation as "" or 0 rather than as undefined.
 */
const LOADER_OPTIONS = {
  keepCase: false,
  longs: Number,
  enums: String,
  defaults: true,
  oneofs: true,
  includeDirs: [PROTO_DIR],
};

type OrderPackage = { street: { order: { v1: { OrderService: ServiceClientConstructor } } } };

/** street.order.v1.OrderService: its definition for a server, and a client constructor for callers. */
export function loadOrderService(): ServiceClientConstructor {
  const definition = loadSync(ORDER_PROTO, LOADER_OPTIONS);
  return (loadPackageDefinition(definition) as unknown as OrderPackage).street.order.v1.OrderService;
}
