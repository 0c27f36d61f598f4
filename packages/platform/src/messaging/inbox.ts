import type { StreetEvent } from '@12street/contracts';
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
