import type { EventOf, StreetEventType } from '@12street/contracts';
import { type Kysely, sql } from 'kysely';
import type { Logger } from 'pino';
import type { SqlDialect } from './db/dialect.ts';
import { migrateToLatest, type VersionedMigration } from './db/migrate.ts';
import { transactor } from './db/transactions.ts';
import type { HttpApp } from './http/server.ts';
import { exactlyOnce } from './messaging/inbox.ts';
import { outboxBacklog, recordEventsInOutbox } from './messaging/outbox.ts';
import { type RelayOptions, startOutboxRelay } from './messaging/relay.ts';
import { type MessagingTables, messagingMigration } from './messaging/tables.ts';
import type { EventTransport } from './messaging/transport.ts';
import type { EventPolicy, InTransaction, RecordEvents } from './ports.ts';
import { type Poller, startPoller } from './resilience/poller.ts';

export type KernelOptions = {
  service: string;
  db: Kysely<MessagingTables>;
  dialect: SqlDialect;
  migrations: readonly VersionedMigration[];
  transport: EventTransport;
  logger: Logger;
  relay?: Pick<RelayOptions, 'pollIntervalMs' | 'batchSize' | 'backoff' | 'batched'>;
};

type Worker = { name: string; intervalMs: number; run(): Promise<void>; poller?: Poller };

/**
 * What every service has in common, wired once: its migrations (outbox and inbox first), a
 * transaction runner that wakes the outbox relay after each commit, idempotent event policies,
 * background workers, and an orderly start and stop.
 */
export function serviceKernel(options: KernelOptions) {
  const { service, db, transport, logger } = options;
  let relay: Poller | undefined;
  const workers: Worker[] = [];
  const inTransaction: InTransaction = transactor(db, () => relay?.wake());
  const recordEvents: RecordEvents = recordEventsInOutbox;

  return {
    service,
    logger,
    inTransaction,
    recordEvents,

    /** Subscribes a policy; the inbox makes it take effect once per event, however often it arrives. */
    when<T extends StreetEventType>(eventTypes: readonly T[], policyName: string, policy: EventPolicy<EventOf<T>>) {
      const once = exactlyOnce(inTransaction, `${service}.${policyName}`, policy);
      transport.subscribe({
        consumer: service,
        eventTypes,
        handle: (event) => once(event as EventOf<T>),
      });
    },

    /** A background job run every intervalMs, and at once when woken. */
    every(name: string, intervalMs: number, run: () => Promise<void>) {
      const worker: Worker = { name, intervalMs, run };
      workers.push(worker);
      return { wake: () => worker.poller?.wake() };
    },

    async migrate() {
      await migrateToLatest(db as Kysely<unknown>, options.dialect, [messagingMigration, ...options.migrations]);
    },

    startBackgroundWork() {
      relay = startOutboxRelay({ db, transport, logger, ...options.relay });
      for (const w of workers) w.poller = startPoller({ name: w.name, intervalMs: w.intervalMs, logger, run: w.run });
    },

    /** Stops workers first, then flushes the relay; the database is closed by whoever opened it. */
    async stopBackgroundWork() {
      await Promise.all(workers.map((w) => w.poller?.stop()));
      await relay?.stop();
      relay = undefined;
    },

    /** Events committed but not yet handed to the transport. */
    outboxBacklog: () => outboxBacklog(db),

    async databaseReachable(): Promise<boolean> {
      try {
        await sql`select 1`.execute(db);
        return true;
      } catch {
        return false;
      }
    },
  };
}

export type ServiceKernel = ReturnType<typeof serviceKernel>;

export type StartableService = {
  name: string;
  app: HttpApp;
  kernel: ServiceKernel;
  /** Migrates, then starts the outbox relay and background workers (not the HTTP listener). */
  start(): Promise<void>;
  /** Stops taking requests (in-flight ones finish), then background work, flushing the relay. */
  stop(): Promise<void>;
};

export function startableService(kernel: ServiceKernel, app: HttpApp): StartableService {
  return {
    name: kernel.service,
    app,
    kernel,
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
