import { randomUUID } from 'node:crypto';
import {
  type Clock,
  createHttpApp,
  type EventTransport,
  HttpProblem,
  type KernelOptions,
  type NewId,
  type SqlDialect,
  serviceKernel,
  startableService,
} from '@12street/platform';
import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import { paymentRoutes } from './adapters/http/paymentRoutes.ts';
import { paymentMigrations } from './adapters/persistence/migrations.ts';
import { type PaymentDatabase, paymentQueries, paymentStore } from './adapters/persistence/paymentStore.ts';
import { approvePayment } from './application/approvePayment.ts';
import { voidPayment } from './application/voidPayment.ts';
import { whenOrderCanceledCancelPayment } from './application/whenOrderCanceledCancelPayment.ts';
import { PaymentRefused } from './domain/payment.ts';

export type PaymentServiceOptions = {
  db: Kysely<PaymentDatabase>;
  dialect: SqlDialect;
  transport: EventTransport;
  logger: Logger;
  relay?: KernelOptions['relay'];
  clock?: Clock;
  newId?: NewId;
};

/** Wires the payment service from whatever adapters the composition root chose. */
export function createPaymentService(options: PaymentServiceOptions) {
  const { db, logger } = options;
  const kernel = serviceKernel({
    service: 'payment',
    db,
    dialect: options.dialect,
    migrations: paymentMigrations,
    transport: options.transport,
    logger,
    relay: options.relay,
  });
  const deps = {
    clock: options.clock ?? (() => new Date()),
    newId: options.newId ?? randomUUID,
    payments: paymentStore,
    recordEvents: kernel.recordEvents,
    inTransaction: kernel.inTransaction,
  };
  kernel.when(['OrderCanceled'], 'whenOrderCanceledCancelPayment', whenOrderCanceledCancelPayment(deps));

  const app = createHttpApp({
    logger,
    readiness: () => kernel.readiness(),
    mapDomainError: (e) =>
      e instanceof PaymentRefused ? new HttpProblem(409, 'Payment refused', e.message) : undefined,
  });
  paymentRoutes(app, {
    approvePayment: approvePayment(deps),
    voidPayment: voidPayment(deps),
    queries: paymentQueries(db),
  });
  return startableService(kernel, app);
}
