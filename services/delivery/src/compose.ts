import { randomUUID } from 'node:crypto';
import {
  type Backoff,
  type BreakerSettings,
  type Clock,
  createBreaker,
  createHttpApp,
  type EventTransport,
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
import { marketingCouponDesk } from './adapters/clients/marketingCouponDesk.ts';
import { deliveryRoutes } from './adapters/http/deliveryRoutes.ts';
import { type DeliveryDatabase, deliveryQueries, deliveryStore } from './adapters/persistence/deliveryStore.ts';
import { deliveryMigrations } from './adapters/persistence/migrations.ts';
import { settleCoupons } from './application/settleCoupons.ts';
import { whenPaymentApprovedAcceptDelivery } from './application/whenPaymentApprovedAcceptDelivery.ts';
import { whenPaymentCanceledCancelDelivery } from './application/whenPaymentCanceledCancelDelivery.ts';

export type DeliveryServiceOptions = {
  db: Kysely<DeliveryDatabase>;
  dialect: SqlDialect;
  transport: EventTransport;
  logger: Logger;
  relay?: KernelOptions['relay'];
  clock?: Clock;
  newId?: NewId;
  /** Where marketing serves /promotes. */
  marketingUrl: string;
  breaker?: BreakerSettings;
  /** How often the coupon worker looks for due work when nothing woke it. */
  couponIntervalMs?: number;
  /** Back-off between attempts when marketing did not answer. */
  couponBackoff?: Backoff;
};

/** Wires the delivery service from whatever adapters the composition root chose. */
export function createDeliveryService(options: DeliveryServiceOptions) {
  const { db, logger } = options;
  const kernel = serviceKernel({
    service: 'delivery',
    db,
    dialect: options.dialect,
    migrations: deliveryMigrations,
    transport: options.transport,
    logger,
    relay: options.relay,
  });
  const marketingBreaker = createBreaker('marketing', options.breaker ?? ORIGINAL_BREAKER, isServerSideFailure);
  marketingBreaker.onStateChange((state) => logger.warn({ breaker: 'marketing', state }, 'circuit breaker changed'));
  observeBreaker(kernel.metrics, marketingBreaker);
  const deps = {
    clock: options.clock ?? (() => new Date()),
    newId: options.newId ?? randomUUID,
    deliveries: deliveryStore(options.dialect),
    recordEvents: kernel.recordEvents,
    inTransaction: kernel.inTransaction,
  };
  const couponWorker = kernel.every(
    'coupons',
    options.couponIntervalMs ?? 1000,
    settleCoupons({
      ...deps,
      couponDesk: marketingCouponDesk(options.marketingUrl, marketingBreaker),
      backoff: options.couponBackoff ?? { baseMs: 500, maxMs: 10_000 },
      logger,
      inOrderTrace: kernel.inOrderTrace,
    }),
  );
  const wakeWorker = { afterCommit: couponWorker.wake };
  kernel.when(
    ['PaymentApproved'],
    'whenPaymentApprovedAcceptDelivery',
    whenPaymentApprovedAcceptDelivery(deps),
    wakeWorker,
  );
  kernel.when(
    ['PaymentCanceled'],
    'whenPaymentCanceledCancelDelivery',
    whenPaymentCanceledCancelDelivery(deps),
    wakeWorker,
  );

  const app = createHttpApp({ logger, readiness: () => kernel.readiness() });
  deliveryRoutes(app, deliveryQueries(db));
  return { ...startableService(kernel, app), marketingBreaker };
}
