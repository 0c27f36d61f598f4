import { randomUUID } from 'node:crypto';
import {
  type BreakerSettings,
  type Clock,
  createBreaker,
  createHttpApp,
  type EventTransport,
  HttpProblem,
  isServerSideFailure,
  type KernelOptions,
  type NewId,
  ORIGINAL_BREAKER,
  observeBreaker,
  type SqlDialect,
  serviceKernel,
  startableService,
} from '@12street/platform';
import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import { paymentDesk } from './adapters/clients/paymentDesk.ts';
import { orderRoutes } from './adapters/http/orderRoutes.ts';
import { orderMigrations } from './adapters/persistence/migrations.ts';
import { type OrderDatabase, orderQueries, orderStore } from './adapters/persistence/orderStore.ts';
import { cancelOrder } from './application/cancelOrder.ts';
import { placeOrder } from './application/placeOrder.ts';
import { PaymentRefused, PaymentUnavailable } from './application/ports.ts';
import { settleOpenPayments } from './application/settleOpenPayments.ts';
import { OnlyCancellationCanBePatched, OrderAbandoned, OrderAlreadyCanceled, OrderNotFound } from './domain/order.ts';

export { type OrderGrpcServer, startOrderGrpcServer } from './adapters/grpc/orderGrpcServer.ts';

export type OrderServiceOptions = {
  db: Kysely<OrderDatabase>;
  dialect: SqlDialect;
  transport: EventTransport;
  logger: Logger;
  relay?: KernelOptions['relay'];
  clock?: Clock;
  newId?: NewId;
  /** Where payment serves /payments. */
  paymentUrl: string;
  breaker?: BreakerSettings;
  /** How often the settle worker looks for open payments when nothing woke it. */
  settleIntervalMs?: number;
  /** How long an order may wait for payment before the settle worker takes its request for dead. */
  stalePendingMs?: number;
};

/** Wires the order service; it consumes no events, and asks payment synchronously. */
export function createOrderService(options: OrderServiceOptions) {
  const { db, logger } = options;
  const kernel = serviceKernel({
    service: 'order',
    db,
    dialect: options.dialect,
    migrations: orderMigrations,
    transport: options.transport,
    logger,
    relay: options.relay,
  });
  const breakerSettings = options.breaker ?? ORIGINAL_BREAKER;
  const paymentBreaker = createBreaker('payment', breakerSettings, isServerSideFailure);
  paymentBreaker.onStateChange((state) => logger.warn({ breaker: 'payment', state }, 'circuit breaker changed'));
  observeBreaker(kernel.metrics, paymentBreaker);
  const deps = {
    clock: options.clock ?? (() => new Date()),
    newId: options.newId ?? randomUUID,
    orders: orderStore,
    recordEvents: kernel.recordEvents,
    inTransaction: kernel.inTransaction,
    paymentDesk: paymentDesk(options.paymentUrl, paymentBreaker, breakerSettings),
  };
  const settleWorker = kernel.every(
    'settleOpenPayments',
    options.settleIntervalMs ?? 2000,
    settleOpenPayments({ ...deps, stalePendingMs: options.stalePendingMs ?? 30_000, logger }),
  );

  /** The use cases every inbound adapter (REST, gRPC) calls. */
  const useCases = {
    placeOrder: placeOrder({ ...deps, settlePaymentsSoon: settleWorker.wake }),
    cancelOrder: cancelOrder(deps),
    queries: orderQueries(db),
  };
  const app = createHttpApp({ logger, readiness: () => kernel.readiness(), mapDomainError });
  orderRoutes(app, useCases);
  return { ...startableService(kernel, app), paymentBreaker, useCases };
}

function mapDomainError(e: unknown): HttpProblem | undefined {
  if (e instanceof PaymentUnavailable) {
    return new HttpProblem(
      503,
      'Payment unavailable',
      `the order was not placed: ${e.message}`,
      { reason: e.reason },
      { 'retry-after': String(e.retryAfterSeconds) },
    );
  }
  if (e instanceof PaymentRefused) return new HttpProblem(409, 'Payment refused', e.message);
  if (e instanceof OrderNotFound) return new HttpProblem(404, 'Not Found', e.message);
  if (e instanceof OrderAlreadyCanceled) return new HttpProblem(409, 'Order already canceled', e.message);
  if (e instanceof OrderAbandoned) return new HttpProblem(409, 'Order abandoned', e.message);
  if (e instanceof OnlyCancellationCanBePatched) return new HttpProblem(400, 'Invalid request', e.message);
  return undefined;
}
