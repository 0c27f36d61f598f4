import type { StreetEvent } from '@12street/contracts';
import type { Kysely } from 'kysely';
import { sqlOf } from '../db/transactions.ts';
import type { RecordEvents } from '../ports.ts';
import type { MessagingTables } from './tables.ts';
import { traceparentOf } from './traceContext.ts';

export const recordEventsInOutbox: RecordEvents = async (tx, events, context) => {
  if (events.length === 0) return;
  const traceparent = traceparentOf(context?.traceparent);
  await sqlOf<MessagingTables>(tx)
    .insertInto('outbox')
    .values(
      events.map((e) => ({
        event_id: e.eventId,
        event_type: e.eventType,
        order_id: e.orderId,
        envelope: JSON.stringify(e),
        occurred_at: e.occurredAt,
        last_error: null,
        sent_at: null,
        ...(traceparent ? { trace_context: traceparent } : {}),
      })),
    )
    .execute();
};

export type OutboxRow = { id: number; orderId: number; event: StreetEvent; attempts: number; traceparent?: string };

/**
 * Unsent rows that are due, oldest first, skipping any row with an earlier unsent row for the same
 * order: one order's events leave in the order they were written, even across retries.
 */
export async function dueOutboxRows(db: Kysely<MessagingTables>, nowMs: number, limit: number): Promise<OutboxRow[]> {
  const rows = await db
    .selectFrom('outbox as o')
    .select(['o.id', 'o.order_id', 'o.envelope', 'o.attempts', 'o.trace_context'])
    .where('o.sent_at', 'is', null)
    .where('o.next_attempt_at', '<=', nowMs)
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('outbox as p')
            .select('p.id')
            .whereRef('p.order_id', '=', 'o.order_id')
            .where('p.sent_at', 'is', null)
            .whereRef('p.id', '<', 'o.id'),
        ),
      ),
    )
    .orderBy('o.id')
    .limit(limit)
    .execute();
  return rows.map((r) => ({
    id: Number(r.id),
    orderId: Number(r.order_id),
    event: JSON.parse(r.envelope) as StreetEvent,
    attempts: Number(r.attempts),
    ...(r.trace_context ? { traceparent: r.trace_context } : {}),
  }));
}

export async function markOutboxRowsSent(db: Kysely<MessagingTables>, ids: readonly number[], at: Date) {
  if (ids.length === 0) return;
  await db.updateTable('outbox').set({ sent_at: at.toISOString() }).where('id', 'in', ids).execute();
}

export async function deferOutboxRow(db: Kysely<MessagingTables>, row: OutboxRow, retryAtMs: number, error: string) {
  await db
    .updateTable('outbox')
    .set({ attempts: row.attempts + 1, next_attempt_at: retryAtMs, last_error: error.slice(0, 2000) })
    .where('id', '=', row.id)
    .execute();
}

export async function outboxBacklog(db: Kysely<MessagingTables>): Promise<{ unsent: number; oldestAt: string | null }> {
  const row = await db
    .selectFrom('outbox')
    .select(({ fn }) => [fn.countAll<number>().as('unsent'), fn.min('occurred_at').as('oldest')])
    .where('sent_at', 'is', null)
    .executeTakeFirstOrThrow();
  return { unsent: Number(row.unsent), oldestAt: (row.oldest as string | null) ?? null };
}
