import { setTimeout as delay } from 'node:timers/promises';
import type { Kysely, Transaction } from 'kysely';
import type { InTransaction, Tx } from '../ports.ts';

/** The adapter side of the opaque Tx: persistence code turns it back into a Kysely transaction. */
export const sqlOf = <DB>(tx: Tx): Transaction<DB> => tx as unknown as Transaction<DB>;

/** How often a transaction the database chose as a deadlock's victim is run again. */
export const DEADLOCK_ATTEMPTS = 4;

/**
 * The database rolled the whole transaction back to break a deadlock (MySQL/MariaDB 1213,
 * PostgreSQL 40P01) or a serialization conflict (40001), and says to run it again.
 */
export const isDeadlockVictim = (error: unknown): boolean => {
  const { errno, code } = (error ?? {}) as { errno?: unknown; code?: unknown };
  return errno === 1213 || code === '40P01' || code === '40001';
};

/**
 * A transaction runner. afterCommit runs once the transaction has committed; the composition root
 * uses it to wake the outbox relay instead of waiting for its next poll. A deadlock's victim is run
 * again (nothing of it was kept), e.g. two first payments locking the same index gap under load;
 * that is safe because work only touches the database: no use case calls out inside a transaction.
 */
export function transactor<DB>(db: Kysely<DB>, afterCommit: () => void = () => {}): InTransaction {
  return async (work) => {
    for (let attempt = 1; ; attempt++) {
      try {
        const result = await db.transaction().execute((trx) => work(trx as unknown as Tx));
        afterCommit();
        return result;
      } catch (error) {
        if (attempt >= DEADLOCK_ATTEMPTS || !isDeadlockVictim(error)) throw error;
        // Apart, so the transactions that collided do not collide again at once.
        await delay(Math.random() * 20 * attempt);
      }
    }
  };
}
