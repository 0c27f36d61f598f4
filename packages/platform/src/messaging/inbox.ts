import type { StreetEvent } from '@12street/contracts';
import type { Kysely } from 'kysely';
import { sqlOf } from '../db/transactions.ts';
import type { EventPolicy, InTransaction, Tx } from '../ports.ts';
import type { MessagingTables } from './tables.ts';

export type InboxOutcome = 'processed' | 'duplicate';

/**
 * Applies a policy to an event inside tx unless the inbox says it already was: the event id is
 * recorded in the same transaction as the policy's effects, so a redelivered event is recognised
 * and skipped. Two replicas racing on one event collide on the inbox key; the loser's transaction
 * rolls back and its redelivery is skipped.
 */
export async function applyOnce<E extends StreetEvent>(
  tx: Tx,
  consumer: string,
  policy: EventPolicy<E>,
  event: E,
  /** The traceparent of the span handling the event, kept for later work on the order. */
  traceparent?: string,
): Promise<InboxOutcome> {
  const sql = sqlOf<MessagingTables>(tx);
  const seen = await sql
    .selectFrom('inbox')
    .select('event_id')
    .where('consumer', '=', consumer)
    .where('event_id', '=', event.eventId)
    .executeTakeFirst();
  if (seen) return 'duplicate';
  await sql
    .insertInto('inbox')
    .values({
      consumer,
      event_id: event.eventId,
      event_type: event.eventType,
      processed_at: new Date().toISOString(),
      order_id: event.orderId,
      trace_context: traceparent ?? null,
    })
    .execute();
  await policy(tx, event);
  return 'processed';
}

/** Makes a policy idempotent: each call is its own transaction through the inbox. */
export function exactlyOnce<E extends StreetEvent>(
  inTransaction: InTransaction,
  consumer: string,
  policy: EventPolicy<E>,
): (event: E) => Promise<InboxOutcome> {
  return (event) => inTransaction((tx) => applyOnce(tx, consumer, policy, event));
}

/** The trace of the last event handled for an order that had one: where later work on the order belongs. */
export async function lastTraceOfOrder(db: Kysely<MessagingTables>, orderId: number): Promise<string | undefined> {
  const row = await db
    .selectFrom('inbox')
    .select('trace_context')
    .where('order_id', '=', orderId)
    .where('trace_context', 'is not', null)
    .orderBy('processed_at', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row?.trace_context ?? undefined;
}
