import { STREET_EVENT_TYPES, type StreetEvent } from '@12street/contracts';
import {
  addLivenessCheck,
  type Clock,
  createHttpApp,
  DEFAULT_MAX_ATTEMPTS,
  deadLetterDesk,
  type EventTransport,
  inConsumerSpans,
  installDeadLetterRoutes,
  installMetrics,
  type KernelOptions,
  type NewId,
  type RunnableService,
  type ServiceMetrics,
  type SqlDialect,
  serviceKernel,
  serviceMetrics,
  stallWatch,
  startableService,
} from '@12street/platform';
import type { Redis } from 'ioredis';
import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import { orderStatusRoutes } from './adapters/http/orderStatusRoutes.ts';
import { orderStatusStream } from './adapters/http/orderStatusStream.ts';
import { orderStatusMigrations } from './adapters/persistence/migrations.ts';
import {
  type OrderStatusDatabase,
  orderEventStore,
  orderStatusQueries,
} from './adapters/persistence/orderStatusStore.ts';
import { DEFAULT_ORDER_STATUS_KEY_PREFIX, orderStatusKeys } from './adapters/redis/orderStatusKeys.ts';
import { redisDeadLetterStore } from './adapters/redis/redisDeadLetterStore.ts';
import { redisOrderEventStore, redisOrderStatusQueries } from './adapters/redis/redisOrderStatusStore.ts';
import { redisProjectionRunner } from './adapters/redis/redisProjectionSession.ts';
import { redisAnswers } from './adapters/redis/redisReachable.ts';
import { whenOrderEventProjectStatus } from './application/whenOrderEventProjectStatus.ts';
import type { EndedStep } from './domain/sagaSteps.ts';

export type OrderStatusServiceOptions = {
  db: Kysely<OrderStatusDatabase>;
  dialect: SqlDialect;
  transport: EventTransport;
  logger: Logger;
  relay?: KernelOptions['relay'];
  clock?: Clock;
  /** Accepted like every service's; the read model publishes nothing, so it mints no ids. */
  newId?: NewId;
};

/** Wires the order-status read model: every event in, one view per order out; it calls no one. */
export function createOrderStatusService(options: OrderStatusServiceOptions) {
  const { db, logger } = options;
  const kernel = serviceKernel({
    service: 'order-status',
    db,
    dialect: options.dialect,
    migrations: orderStatusMigrations,
    transport: options.transport,
    logger,
    relay: options.relay,
  });
  const steps = sagaStepMeter(kernel.metrics);
  kernel.when(
    STREET_EVENT_TYPES,
    'whenOrderEventProjectStatus',
    whenOrderEventProjectStatus({
      clock: options.clock ?? (() => new Date()),
      orderEvents: orderEventStore(options.dialect),
      stepsCompleted: steps.completed,
    }),
    { afterCommit: steps.committed },
  );

  const app = createHttpApp({
    logger,
    readiness: () => kernel.readiness(),
  });
  orderStatusRoutes(app, { queries: orderStatusQueries(db) });
  orderStatusStream(app, { queries: orderStatusQueries(db) });
  return startableService(kernel, app);
}

export { DEFAULT_ORDER_STATUS_KEY_PREFIX };

export type OrderStatusOnRedisOptions = {
  /** Connected (or connecting) by whoever created it, who also closes it. */
  redis: Redis;
  /** Every key starts with it (default DEFAULT_ORDER_STATUS_KEY_PREFIX), so deployments and tests can share a Redis. */
  keyPrefix?: string;
  transport: EventTransport;
  logger: Logger;
  clock?: Clock;
  /** How often a projection that lost the race for its order to another replica is run again (default 10). */
  maxAttempts?: number;
};

/**
 * The distributed read model: the same policy and routes with the views in Redis. Recording an
 * event is itself the duplicate check there, so no inbox (and no SQL database) is needed.
 */
export function createOrderStatusServiceOnRedis(options: OrderStatusOnRedisOptions): RunnableService {
  const { redis, logger } = options;
  const keys = orderStatusKeys(options.keyPrefix);
  const deadLetterStore = redisDeadLetterStore(redis, keys.prefix);
  const metrics = serviceMetrics('order-status', undefined, () => deadLetterStore.countParked());
  const steps = sagaStepMeter(metrics);
  const inProjection = redisProjectionRunner(redis, keys, { maxAttempts: options.maxAttempts });
  const project = whenOrderEventProjectStatus({
    clock: options.clock ?? (() => new Date()),
    orderEvents: redisOrderEventStore(),
    stepsCompleted: steps.completed,
  });
  const runProjection = async (event: StreetEvent) => {
    try {
      await inProjection((tx) => project(tx, event));
      steps.committed(event);
      metrics.eventsConsumed.inc({
        event_type: event.eventType,
        policy: 'whenOrderEventProjectStatus',
        outcome: 'processed',
      });
    } catch (error) {
      metrics.eventsConsumed.inc({
        event_type: event.eventType,
        policy: 'whenOrderEventProjectStatus',
        outcome: 'failed',
      });
      steps.forget(event);
      throw error;
    }
  };
  // No SQL here: the dead letters live in Redis beside the view, redriven through the same projection.
  const deadLetters = deadLetterDesk({
    store: deadLetterStore,
    policies: new Map([
      [
        'whenOrderEventProjectStatus',
        async (event: StreetEvent) => {
          await runProjection(event);
          return 'processed' as const;
        },
      ],
    ]),
    logger,
    onParked: (letter) => metrics.deadLetters.inc({ consumer: letter.consumer }),
  });
  const stalls = stallWatch();
  stalls.subscribeThrough(options.transport)({
    consumer: 'order-status',
    eventTypes: STREET_EVENT_TYPES,
    handle: inConsumerSpans(
      'order-status',
      { policy: 'whenOrderEventProjectStatus', system: options.transport.name },
      runProjection,
    ),
    deadLetters: { policy: 'whenOrderEventProjectStatus', maxAttempts: DEFAULT_MAX_ATTEMPTS, park: deadLetters.park },
  });

  const readinessChecks = new Map<string, () => Promise<boolean> | boolean>();
  const app = createHttpApp({
    logger,
    readiness: async () => {
      const results: Record<string, boolean> = { redis: await redisAnswers(redis) };
      for (const [name, check] of readinessChecks) results[name] = await Promise.resolve(check()).catch(() => false);
      return results;
    },
  });
  orderStatusRoutes(app, { queries: redisOrderStatusQueries(redis, keys) });
  orderStatusStream(app, { queries: redisOrderStatusQueries(redis, keys) });
  installDeadLetterRoutes(app, deadLetters);
  installMetrics(app, metrics);
  addLivenessCheck(app, 'consumers', stalls.live);
  return {
    name: 'order-status',
    app,
    metrics,
    addReadinessCheck: (name, check) => void readinessChecks.set(name, check),
    // Fails fast on a wrong address instead of reporting "not ready" forever.
    async start() {
      await redis.ping();
    },
    async stop() {
      await app.close();
    },
  };
}

/**
 * Times the saga steps an event completes once its projection committed: a projection may run
 * several times before that (a retried transaction, a lost race in Redis, a view being rebuilt),
 * and each run reports the steps again, replacing what the previous run reported.
 */
function sagaStepMeter(metrics: ServiceMetrics) {
  const pending = new Map<string, EndedStep[]>();
  return {
    completed: (event: StreetEvent, steps: EndedStep[]) => void pending.set(event.eventId, steps),
    committed(event: StreetEvent) {
      for (const { step, seconds } of pending.get(event.eventId) ?? []) metrics.sagaStep.observe({ step }, seconds);
      pending.delete(event.eventId);
    },
    forget: (event: StreetEvent) => void pending.delete(event.eventId),
  };
}
