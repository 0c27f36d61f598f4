import type { Generated, Kysely } from 'kysely';
import { longText, type SqlDialect, withIdColumn } from '../db/dialect.ts';
import { migrateToLatest, type VersionedMigration } from '../db/migrate.ts';

export interface OutboxTable {
  id: Generated<number>;
  event_id: string;
  event_type: string;
  order_id: number;
  envelope: string;
  occurred_at: string;
  attempts: Generated<number>;
  next_attempt_at: Generated<number>;
  last_error: string | null;
  sent_at: string | null;
  /** The W3C traceparent of the work that recorded the event, passed on with it. */
  trace_context: string | null;
}

export interface InboxTable {
  consumer: string;
  event_id: string;
  event_type: string;
  processed_at: string;
  order_id: number | null;
  /** The traceparent of the span that handled the event, so later work for the order can continue it. */
  trace_context: string | null;
}

export interface DeadLettersTable {
  id: Generated<number>;
  /** The policy that gave up on the event. */
  consumer: string;
  event_id: string;
  event_type: string;
  order_id: number | null;
  /** The event as it arrived (raw text when it could not be read at all). */
  envelope: string;
  error: string;
  attempts: number;
  /** `topic/partition/offset` on Kafka, 'in-process' otherwise. */
  source: string;
  parked_at: string;
  redriven_at: string | null;
}

export interface MessagingTables {
  outbox: OutboxTable;
  inbox: InboxTable;
  dead_letters: DeadLettersTable;
}

/** Every service's first migration: its outbox and inbox live beside its own tables. */
export const messagingMigration: VersionedMigration = {
  name: '000-outbox-and-inbox',
  async up(db: Kysely<unknown>, dialect: SqlDialect) {
    await withIdColumn(db.schema.createTable('outbox'), dialect)
      .addColumn('event_id', 'varchar(64)', (c) => c.notNull().unique())
      .addColumn('event_type', 'varchar(64)', (c) => c.notNull())
      .addColumn('order_id', 'bigint', (c) => c.notNull())
      .addColumn('envelope', longText(dialect), (c) => c.notNull())
      .addColumn('occurred_at', 'varchar(40)', (c) => c.notNull())
      .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('next_attempt_at', 'bigint', (c) => c.notNull().defaultTo(0))
      .addColumn('last_error', 'text')
      .addColumn('sent_at', 'varchar(40)')
      .execute();
    await db.schema.createIndex('outbox_unsent').on('outbox').columns(['sent_at', 'next_attempt_at']).execute();
    await db.schema.createIndex('outbox_by_order').on('outbox').columns(['order_id', 'id']).execute();
    await db.schema
      .createTable('inbox')
      .addColumn('consumer', 'varchar(64)', (c) => c.notNull())
      .addColumn('event_id', 'varchar(64)', (c) => c.notNull())
      .addColumn('event_type', 'varchar(64)', (c) => c.notNull())
      .addColumn('processed_at', 'varchar(40)', (c) => c.notNull())
      .addPrimaryKeyConstraint('inbox_pk', ['consumer', 'event_id'])
      .execute();
  },
};

/**
 * The messaging migrations that came after the first. They keep their own history table: the
 * first one is recorded among each service's own ("000-…" before "001-…"), and a later one named
 * there would sort before migrations a service already ran, which the migrator refuses.
 */
export const MESSAGING_MIGRATION_TABLE = 'street_messaging_migration';

export const messagingMigrations: readonly VersionedMigration[] = [
  {
    name: '001-dead-letters',
    async up(db, dialect) {
      await withIdColumn(db.schema.createTable('dead_letters'), dialect)
        .addColumn('consumer', 'varchar(128)', (c) => c.notNull())
        .addColumn('event_id', 'varchar(255)', (c) => c.notNull())
        .addColumn('event_type', 'varchar(64)', (c) => c.notNull())
        .addColumn('order_id', 'bigint')
        .addColumn('envelope', longText(dialect), (c) => c.notNull())
        .addColumn('error', 'text', (c) => c.notNull())
        .addColumn('attempts', 'integer', (c) => c.notNull())
        .addColumn('source', 'varchar(255)', (c) => c.notNull())
        .addColumn('parked_at', 'varchar(40)', (c) => c.notNull())
        .addColumn('redriven_at', 'varchar(40)')
        .execute();
      await db.schema
        .createIndex('dead_letters_by_event')
        .on('dead_letters')
        .columns(['consumer', 'event_id'])
        .execute();
      await db.schema.createIndex('dead_letters_parked').on('dead_letters').columns(['redriven_at', 'id']).execute();
    },
  },
  {
    name: '002-outbox-trace-context',
    async up(db) {
      await db.schema.alterTable('outbox').addColumn('trace_context', 'varchar(64)').execute();
    },
  },
  {
    name: '003-inbox-order-trace',
    async up(db) {
      await db.schema.alterTable('inbox').addColumn('order_id', 'bigint').execute();
      await db.schema.alterTable('inbox').addColumn('trace_context', 'varchar(64)').execute();
      await db.schema.createIndex('inbox_by_order').on('inbox').columns(['order_id']).execute();
    },
  },
];

/** Brings a service's database up to date: the first messaging migration, the service's own, then the later messaging ones. */
export async function migrateMessaging(
  db: Kysely<unknown>,
  dialect: SqlDialect,
  serviceMigrations: readonly VersionedMigration[] = [],
): Promise<void> {
  await migrateToLatest(db, dialect, [messagingMigration, ...serviceMigrations]);
  await migrateToLatest(db, dialect, messagingMigrations, { table: MESSAGING_MIGRATION_TABLE });
}
