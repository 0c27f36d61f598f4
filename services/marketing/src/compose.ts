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
import { promoteRoutes } from './adapters/http/promoteRoutes.ts';
import { marketingMigrations } from './adapters/persistence/migrations.ts';
import { type MarketingDatabase, promoteQueries, promoteStore } from './adapters/persistence/promoteStore.ts';
import { cancelCoupon } from './application/cancelCoupon.ts';
import { issueCoupon } from './application/issueCoupon.ts';
import { CouponRefused } from './domain/promote.ts';

export type MarketingServiceOptions = {
  db: Kysely<MarketingDatabase>;
  dialect: SqlDialect;
  transport: EventTransport;
  logger: Logger;
  relay?: KernelOptions['relay'];
  clock?: Clock;
  newId?: NewId;
};

/** Wires the marketing service; it reacts to no events, only to delivery's requests. */
export function createMarketingService(options: MarketingServiceOptions) {
  const { db, logger } = options;
  const kernel = serviceKernel({
    service: 'marketing',
    db,
    dialect: options.dialect,
    migrations: marketingMigrations,
    transport: options.transport,
    logger,
    relay: options.relay,
  });
  const deps = {
    clock: options.clock ?? (() => new Date()),
    newId: options.newId ?? randomUUID,
    promotes: promoteStore,
    recordEvents: kernel.recordEvents,
    inTransaction: kernel.inTransaction,
  };

  const app = createHttpApp({
    logger,
    readiness: () => kernel.readiness(),
    mapDomainError: (e) =>
      e instanceof CouponRefused ? new HttpProblem(409, 'Coupon cancelled', e.message) : undefined,
  });
  promoteRoutes(app, {
    issueCoupon: issueCoupon(deps),
    cancelCoupon: cancelCoupon(deps),
    queries: promoteQueries(db),
  });
  return startableService(kernel, app);
}
