import {
  type handleUnaryCall,
  Server,
  ServerCredentials,
  type ServerUnaryCall,
  type sendUnaryData,
  status,
} from '@grpc/grpc-js';
import type { Logger } from 'pino';
import type { OrderQueries } from '../../application/ports.ts';
import { type Order, type OrderDetails, OrderNotFound } from '../../domain/order.ts';
import { grpcStatusOf } from './grpcStatus.ts';
import { cancelRequestOf, type OrderMessage, orderIdOf, placeOrderRequestOf, toOrderMessage } from './orderMessages.ts';
import { loadOrderService } from './orderProto.ts';
import { type Watches, watchOrder } from './watchOrder.ts';

/** The use cases REST calls too (compose's `useCases`). */
export type OrderUseCases = {
  placeOrder(details: OrderDetails): Promise<Order & { id: number }>;
  cancelOrder(id: number, reason?: string): Promise<Order & { id: number }>;
  queries: OrderQueries;
};

export type OrderGrpcServerOptions = {
  useCases: OrderUseCases;
  logger: Logger;
  /** 0 lets the OS choose. */
  port: number;
  host: string;
  /** How often WatchOrder looks at the order (default 200 ms). */
  watchIntervalMs?: number;
  /** How long stop() lets unary calls in flight finish before cutting them off (default 5 s). */
  stopGraceMs?: number;
};

export type OrderGrpcServer = {
  port: number;
  /** WatchOrder streams still open. */
  watching(): number;
  /** Ends open watches (UNAVAILABLE), lets unary calls finish, then closes the listener. */
  stop(): Promise<void>;
};

/** Like REST's body limit: an order is a few hundred bytes; anything near this is not an order. */
const MAX_REQUEST_BYTES = 64 * 1024;

/** The order service's gRPC edge: street.order.v1.OrderService over the same use cases as REST. */
export async function startOrderGrpcServer(options: OrderGrpcServerOptions): Promise<OrderGrpcServer> {
  const { useCases, logger } = options;
  const server = new Server({ 'grpc.max_receive_message_length': MAX_REQUEST_BYTES });
  const watches: Watches = new Set();

  const unary =
    <Req>(method: string, run: (request: Req) => Promise<OrderMessage>): handleUnaryCall<Req, OrderMessage> =>
    (call: ServerUnaryCall<Req, OrderMessage>, callback: sendUnaryData<OrderMessage>) => {
      run(call.request).then(
        (reply) => callback(null, reply),
        (error: unknown) => callback(grpcStatusOf(error, logger, method)),
      );
    };

  server.addService(loadOrderService().service, {
    PlaceOrder: unary('PlaceOrder', async (request: unknown) =>
      toOrderMessage(await useCases.placeOrder(placeOrderRequestOf(request))),
    ),
    CancelOrder: unary('CancelOrder', async (request: { id?: unknown; reason?: unknown }) => {
      const { id, reason } = cancelRequestOf(request);
      return toOrderMessage(await useCases.cancelOrder(id, reason));
    }),
    GetOrder: unary('GetOrder', async (request: { id?: unknown }) => {
      const id = orderIdOf(request);
      const order = await useCases.queries.orderById(id);
      if (!order) throw new OrderNotFound(id);
      return toOrderMessage({ ...order, id });
    }),
    WatchOrder: watchOrder({ queries: useCases.queries, intervalMs: options.watchIntervalMs ?? 200, logger }, watches),
  });

  const address = options.host.includes(':') ? `[${options.host}]:${options.port}` : `${options.host}:${options.port}`;
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync(address, ServerCredentials.createInsecure(), (error, bound) =>
      error ? reject(error) : resolve(bound),
    ),
  );
  logger.info({ port, host: options.host }, 'order gRPC server listening');

  return {
    port,
    watching: () => watches.size,
    async stop() {
      for (const end of [...watches]) end({ code: status.UNAVAILABLE, details: 'the order service is stopping' });
      await new Promise<void>((resolve) => {
        const grace = setTimeout(() => {
          server.forceShutdown();
          resolve();
        }, options.stopGraceMs ?? 5000);
        server.tryShutdown(() => {
          clearTimeout(grace);
          resolve();
        });
      });
    },
  };
}
