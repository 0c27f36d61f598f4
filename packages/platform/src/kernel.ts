import type { EventOf, StreetEvent, StreetEventType } from '@12street/contracts';
import { type Context, context, SpanKind } from '@opentelemetry/api';
import { type Kysely, sql } from 'kysely';
import type { Logger } from 'pino';
import type { SqlDialect } from './db/dialect.ts';
import type { VersionedMigration } from './db/migrate.ts';
import { transactor } from './db/transactions.ts';
import { installDeadLetterRoutes } from './http/deadLetterRoutes.ts';
import { addLivenessCheck } from './http/liveness.ts';
import type { HttpApp } from './http/server.ts';
import { deadLetterDesk, type PolicyRun } from './messaging/deadLetterDesk.ts';
import { sqlDeadLetterStore } from './messaging/deadLetters.ts';
import { applyOnce, lastTraceOfOrder } from './messaging/inbox.ts';
import { outboxBacklog, recordEventsInOutbox } from './messaging/outbox.ts';
import { type RelayOptions, startOutboxRelay } from './messaging/relay.ts';
import { stallWatch } from './messaging/stalls.ts';
import { type MessagingTables, migrateMessaging } from './messaging/tables.ts';
import type { EventTransport } from './messaging/transport.ts';
import { installMetrics, type ServiceMetrics, serviceMetrics } from './metrics.ts';
import type { EventPolicy, InOrderTrace, InTransaction, RecordEvents, Tx } from './ports.ts';
import { type Poller, startPoller } from './resilience/poller.ts';
import { consumerSpan, INBOX_OUTCOME_ATTRIBUTE } from './telemetry/messagingSpans.ts';
import { tracingEnabled } from './telemetry/setup.ts';
import {
  activeTraceparent,
  continuing,
  inSpan,
  ORDER_ID_ATTRIBUTE,
  startServiceSpan,
  traceparentOfSpan,
} from './telemetry/spans.ts';

export type KernelOptions = {
  service: string;
  db: Kysely<MessagingTables>;
  dialect: SqlDialect;
  migrations: readonly VersionedMigration[];
  transport: EventTransport;
  logger: Logger;
  relay?: Pick<RelayOptions, 'pollIntervalMs' | 'batchSize' | 'backoff' | 'batched'> & {
    /** Relay at once after each commit (default) rather than only on the next poll. */
    wakeOnCommit?: boolean;
  };
  /** How often a policy is tried on one event before the event is parked as a dead letter (default 5). */
  deadLetters?: { maxAttempts?: number };
  /** An event still being handled after this long is stuck, and the service reports not-live (default 60 s). */
  stallTimeoutMs?: number;
};

export const DEFAULT_MAX_ATTEMPTS = 5;

type Worker = { name: string; intervalMs: number; run(): Promise<void>; poller?: Poller };

/**
 * What every service has in common, wired once: its migrations (outbox and inbox first), a
 * transaction runner that wakes the outbox relay after each commit, idempotent event policies
 * whose failing events end up as dead letters, background workers, and an orderly start and stop.
 */
export function serviceKernel(options: KernelOptions) {
  const { service, db, transport, logger } = options;
  let relay: Poller | undefined;
  const workers: Worker[] = [];
  const readinessChecks = new Map<string, () => Promise<boolean> | boolean>();
  const wakeOnCommit = options.relay?.wakeOnCommit ?? true;
  const inTransaction: InTransaction = transactor(db, () => wakeOnCommit && relay?.wake());
  // A policy's transaction carries the trace of the event it handles (its consumer span), so the
  // events it records continue that trace unless the policy says otherwise; events recorded
  // elsewhere continue the active span (a request's, a worker's) when tracing is on.
  const consumedTrace = new WeakMap<Tx, string>();
  const recordEvents: RecordEvents = (tx, events, trace) =>
    recordEventsInOutbox(tx, events, trace ?? { traceparent: consumedTrace.get(tx) ?? activeTraceparent() });
  const inOrderTrace: InOrderTrace = async (orderId, name, work) => {
    if (!tracingEnabled()) return work();
    const parent = continuing(await lastTraceOfOrder(db, orderId));
    const attributes = { [ORDER_ID_ATTRIBUTE]: orderId };
    return inSpan(startServiceSpan(service, name, { kind: SpanKind.INTERNAL, attributes }, parent), () => work());
  };
  const deadLetterStore = sqlDeadLetterStore(db);
  const metrics = serviceMetrics(
    service,
    () => outboxBacklog(db),
    () => deadLetterStore.countParked(),
  );
  const policies = new Map<string, PolicyRun>();
  const deadLetters = deadLetterDesk({
    store: deadLetterStore,
    policies,
    logger,
    onParked: (letter) => metrics.deadLetters.inc({ consumer: letter.consumer }),
  });
  const maxAttempts = options.deadLetters?.maxAttempts ?? DEFAULT_MAX_ATTEMPTS;
  const stalls = stallWatch(options.stallTimeoutMs);
  const subscribe = stalls.subscribeThrough(transport);
  const databaseReachable = async (): Promise<boolean> => {
    try {
      await sql`select 1`.execute(db);
      return true;
    } catch {
      return false;
    }
  };

  return {
    service,
    logger,
    metrics,
    inTransaction,
    recordEvents,
    inOrderTrace,
    deadLetters,

    /**
     * Subscribes a policy; the inbox makes it take effect once per event, however often it arrives
     * (or is redriven). An event it failed maxAttempts times is parked in the dead letters.
     */
    when<T extends StreetEventType>(
      eventTypes: readonly T[],
      policyName: string,
      policy: EventPolicy<EventOf<T>>,
      then: { afterCommit?: (event: EventOf<T>) => void } = {},
    ) {
      if (policies.has(policyName)) throw new Error(`${service}: policy ${policyName} is subscribed twice`);
      const inboxName = `${service}.${policyName}`;
      const count = (event: StreetEvent, outcome: string) =>
        metrics.eventsConsumed.inc({ event_type: event.eventType, policy: policyName, outcome });
      // Each run is a consumer span under the trace the event came with (a redrive: the ops request's).
      const run = (event: StreetEvent, parent: Context, source?: string) =>
        inSpan(
          consumerSpan(service, event, { policy: policyName, system: transport.name, source }, parent),
          async (span) => {
            const traceparent = traceparentOfSpan(span);
            try {
              const outcome = await inTransaction((tx) => {
                if (traceparent) consumedTrace.set(tx, traceparent);
                return applyOnce(tx, inboxName, policy, event as EventOf<T>, traceparent);
              });
              span.setAttribute(INBOX_OUTCOME_ATTRIBUTE, outcome);
              count(event, outcome);
              if (outcome === 'processed') then.afterCommit?.(event as EventOf<T>);
              return outcome;
            } catch (error) {
              count(event, 'failed');
              logger.warn(
                {
                  err: error,
                  policy: policyName,
                  eventType: event.eventType,
                  eventId: event.eventId,
                  orderId: event.orderId,
                },
                'policy failed on an event',
              );
              throw error;
            }
          },
        );
      policies.set(policyName, (event) => run(event, context.active()));
      subscribe({
        consumer: service,
        eventTypes,
        handle: (event, delivery) => run(event, continuing(delivery?.traceparent), delivery?.source),
        deadLetters: { policy: policyName, maxAttempts, park: deadLetters.park },
      });
    },

    /** A background job run every intervalMs, and at once when woken. */
    every(name: string, intervalMs: number, run: () => Promise<void>) {
      const worker: Worker = { name, intervalMs, run };
      workers.push(worker);
      return { wake: () => worker.poller?.wake() };
    },

    async migrate() {
      await migrateMessaging(db as Kysely<unknown>, options.dialect, options.migrations);
    },

    startBackgroundWork() {
      relay = startOutboxRelay({
        db,
        transport,
        logger,
        service,
        ...options.relay,
        observe: {
          published: (events) => {
            for (const e of events) metrics.eventsPublished.inc({ event_type: e.eventType });
          },
          failed: (n) => metrics.publishFailures.inc(n),
        },
      });
      for (const w of workers) w.poller = startPoller({ name: w.name, intervalMs: w.intervalMs, logger, run: w.run });
    },

    /** Stops workers first, then flushes the relay; the database is closed by whoever opened it. */
    async stopBackgroundWork() {
      await Promise.all(workers.map((w) => w.poller?.stop()));
      await relay?.stop();
      relay = undefined;
    },

    /** Another condition for /health/ready (the transport connected, consumers joined, ...). */
    addReadinessCheck(name: string, check: () => Promise<boolean> | boolean) {
      readinessChecks.set(name, check);
    },

    /** Ready means: the database answers and every registered check passes. */
    async readiness(): Promise<Record<string, boolean>> {
      const results: Record<string, boolean> = { database: await databaseReachable() };
      for (const [name, check] of readinessChecks) results[name] = await Promise.resolve(check()).catch(() => false);
      return results;
    },

    /** Events whose handling is stuck; any makes the service not live. */
    stalledHandling: stalls.stalled,
    consumersLive: stalls.live,

    /** Events committed but not yet handed to the transport. */
    outboxBacklog: () => outboxBacklog(db),

    databaseReachable,
  };
}

export type ServiceKernel = ReturnType<typeof serviceKernel>;

/** What a composition root runs: an HTTP app plus whatever works in the background. */
export type RunnableService = {
  name: string;
  app: HttpApp;
  /** Readiness conditions the composition root adds (the transport connected, ...). */
  addReadinessCheck(name: string, check: () => Promise<boolean> | boolean): void;
  /** The registry /metrics serves, for figures only the composition root knows (consumer lag). */
  metrics?: ServiceMetrics;
  start(): Promise<void>;
  stop(): Promise<void>;
};

export type StartableService = RunnableService & {
  kernel: ServiceKernel;
  /** Migrates, then starts the outbox relay and background workers (not the HTTP listener). */
  start(): Promise<void>;
  /** Stops taking requests (in-flight ones finish), then background work, flushing the relay. */
  stop(): Promise<void>;
};

export function startableService(kernel: ServiceKernel, app: HttpApp): StartableService {
  installMetrics(app, kernel.metrics);
  installDeadLetterRoutes(app, kernel.deadLetters);
  addLivenessCheck(app, 'consumers', kernel.consumersLive);
  return {
    name: kernel.service,
    app,
    kernel,
    metrics: kernel.metrics,
    addReadinessCheck: kernel.addReadinessCheck,
    async start() {
      await kernel.migrate();
      kernel.startBackgroundWork();
    },
    async stop() {
      await app.close();
      await kernel.stopBackgroundWork();
    },
  };
}
