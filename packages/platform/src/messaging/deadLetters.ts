import type { Kysely } from 'kysely';
import type { MessagingTables } from './tables.ts';
import type { NewDeadLetter } from './transport.ts';

export type DeadLetter = NewDeadLetter & { id: number; parkedAt: string; redrivenAt: string | null };

export type DeadLetterState = 'parked' | 'redriven' | 'all';
export type DeadLetterPage = { page: number; size: number; direction: 'asc' | 'desc'; state: DeadLetterState };

/** Where a service keeps the events it gave up on, until someone redrives them. */
export type DeadLetterStore = {
  /** Parking an event that is still parked for the same consumer updates that letter instead. */
  park(letter: NewDeadLetter, at: Date): Promise<void>;
  page(request: DeadLetterPage): Promise<{ items: DeadLetter[]; totalElements: number }>;
  find(id: number): Promise<DeadLetter | undefined>;
  /** Still parked, oldest first. */
  parked(limit: number): Promise<DeadLetter[]>;
  countParked(): Promise<number>;
  /** A redrive failed: the letter stays parked with the new error and one attempt more. */
  failedAgain(id: number, error: string): Promise<void>;
  /** False when it was redriven already. */
  markRedriven(id: number, at: Date): Promise<boolean>;
};

type Row = MessagingTables['dead_letters'] & { id: number };

const letterOf = (r: Row): DeadLetter => ({
  id: Number(r.id),
  consumer: r.consumer,
  eventId: r.event_id,
  eventType: r.event_type,
  orderId: r.order_id === null ? null : Number(r.order_id),
  envelope: r.envelope,
  error: r.error,
  attempts: Number(r.attempts),
  source: r.source,
  parkedAt: r.parked_at,
  redrivenAt: r.redriven_at,
});

/** The dead_letters table beside the service's outbox and inbox. */
export function sqlDeadLetterStore(db: Kysely<MessagingTables>): DeadLetterStore {
  const inState = (state: DeadLetterState) => {
    const all = db.selectFrom('dead_letters');
    if (state === 'parked') return all.where('redriven_at', 'is', null);
    if (state === 'redriven') return all.where('redriven_at', 'is not', null);
    return all;
  };
  return {
    async park(letter, at) {
      await db.transaction().execute(async (trx) => {
        const parked = await trx
          .selectFrom('dead_letters')
          .select(['id', 'attempts'])
          .where('consumer', '=', letter.consumer)
          .where('event_id', '=', letter.eventId)
          .where('redriven_at', 'is', null)
          .executeTakeFirst();
        if (parked) {
          await trx
            .updateTable('dead_letters')
            .set({ error: letter.error, attempts: Number(parked.attempts) + letter.attempts, source: letter.source })
            .where('id', '=', parked.id)
            .execute();
          return;
        }
        await trx
          .insertInto('dead_letters')
          .values({
            consumer: letter.consumer,
            event_id: letter.eventId,
            event_type: letter.eventType,
            order_id: letter.orderId,
            envelope: letter.envelope,
            error: letter.error,
            attempts: letter.attempts,
            source: letter.source,
            parked_at: at.toISOString(),
            redriven_at: null,
          })
          .execute();
      });
    },
    async page({ page, size, direction, state }) {
      const [rows, total] = await Promise.all([
        inState(state)
          .selectAll()
          .orderBy('id', direction)
          .limit(size)
          .offset(page * size)
          .execute(),
        inState(state)
          .select(({ fn }) => fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow(),
      ]);
      return { items: rows.map((r) => letterOf(r as Row)), totalElements: Number(total.n) };
    },
    async find(id) {
      const row = await db.selectFrom('dead_letters').selectAll().where('id', '=', id).executeTakeFirst();
      return row && letterOf(row as Row);
    },
    async parked(limit) {
      const rows = await inState('parked').selectAll().orderBy('id').limit(limit).execute();
      return rows.map((r) => letterOf(r as Row));
    },
    async countParked() {
      const row = await inState('parked')
        .select(({ fn }) => fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow();
      return Number(row.n);
    },
    async failedAgain(id, error) {
      await db
        .updateTable('dead_letters')
        .set((eb) => ({ error, attempts: eb('attempts', '+', 1) }))
        .where('id', '=', id)
        .where('redriven_at', 'is', null)
        .execute();
    },
    async markRedriven(id, at) {
      const result = await db
        .updateTable('dead_letters')
        .set({ redriven_at: at.toISOString() })
        .where('id', '=', id)
        .where('redriven_at', 'is', null)
        .executeTakeFirst();
      return Number(result.numUpdatedRows) > 0;
    },
  };
}
