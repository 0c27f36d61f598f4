import type { StreetEvent } from '@12street/contracts';
import { sqlOf } from '../db/transactions.ts';
import type { EventPolicy, InTransaction } from '../ports.ts';
import type { MessagingTables } from './tables.ts';

/**
 * Makes a policy idempotent: the event id is recorded in the same transaction as the policy's
 * effects, so a redelivered event is recognised and skipped. Two replicas racing on one event
 * collide on the inbox key; the loser's transaction rolls back and its redelivery is skipped.
 */
export function exactlyOnce<E extends StreetEvent>(
  inTransaction: InTransaction,
  consumer: string,
  policy: EventPolicy<E>,
): (event: E) => Promise<'processed' | 'duplicate'> {
  return (event) =>
    inTransaction(async (tx) => {
      const sql = sqlOf<MessagingTables>(tx);
      const seen = await sql
        .selectFrom('inbox')
        .select('event_id')
        .where('consumer', '=', consumer)
        .where('event_id', '=', event.eventId)
        .executeTakeFirst();
      if (seen) return 'duplicate' as const;
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
      return 'processed' as const;
    });
}
