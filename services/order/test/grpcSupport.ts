import { testLogger } from '@12street/testkit';
import { type ClientReadableStream, credentials, type ServiceError } from '@grpc/grpc-js';
import { type OrderGrpcServer, startOrderGrpcServer } from '../src/adapters/grpc/orderGrpcServer.ts';
import type { OrderMessage, OrderStatusChangeMessage } from '../src/adapters/grpc/orderMessages.ts';
import { loadOrderService } from '../src/adapters/grpc/orderProto.ts';
import { orderWithPayment } from './support.ts';

type TestContext = { after(fn: () => Promise<void> | void): void };
type Unary = (request: object, callback: (error: ServiceError | null, reply: OrderMessage) => void) => void;

/** A client of street.order.v1.OrderService, loaded from the same .proto as the server. */
export function orderGrpcClient(t: TestContext, port: number) {
  const OrderService = loadOrderService();
  const client = new OrderService(`127.0.0.1:${port}`, credentials.createInsecure());
  t.after(() => client.close());
  const unary =
    (method: string) =>
    (request: object): Promise<OrderMessage> =>
      new Promise((resolve, reject) =>
        (client[method] as Unary).call(client, request, (error, reply) => (error ? reject(error) : resolve(reply))),
      );
  return {
    placeOrder: unary('PlaceOrder'),
    cancelOrder: unary('CancelOrder'),
    getOrder: unary('GetOrder'),
    watchOrder: (id: number) =>
      (client.WatchOrder as (request: object) => ClientReadableStream<OrderStatusChangeMessage>).call(client, { id }),
  };
}

/** The error a call failed with; fails the test if it succeeded. */
export async function grpcFailure(call: Promise<unknown>): Promise<ServiceError> {
  try {
    await call;
  } catch (error) {
    return error as ServiceError;
  }
  throw new Error('the call succeeded; a failure was expected');
}

/**
 * The real order service (and payment) behind both edges: REST (inject) and gRPC on a real port.
 * The gRPC server stops first, before the services and databases it calls.
 */
export async function orderWithGrpc(t: TestContext, options: Parameters<typeof orderWithPayment>[1] = {}) {
  const serviceTeardown: (() => Promise<void> | void)[] = [];
  let grpc: OrderGrpcServer | undefined;
  t.after(async () => {
    await grpc?.stop();
    for (const undo of serviceTeardown) await undo();
  });
  const s = await orderWithPayment({ after: (undo) => void serviceTeardown.push(undo) }, options);
  grpc = await startOrderGrpcServer({
    useCases: s.order.useCases,
    logger: testLogger(),
    port: 0,
    host: '127.0.0.1',
    watchIntervalMs: 20,
  });
  return { ...s, grpc, client: orderGrpcClient(t, grpc.port) };
}
