import type { Generated, Kysely } from 'kysely';
import { longText, type SqlDialect, withIdColumn } from '../db/dialect.ts';
import type { VersionedMigration } from '../db/migrate.ts';

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
}

export interface InboxTable {
  consumer: string;
  event_id: string;
  event_type: string;
  processed_at: string;
}

export interface MessagingTables {
  outbox: OutboxTable;
  inbox: InboxTable;
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
