import type { Kysely, Transaction } from 'kysely';
import type { InTransaction, Tx } from '../ports.ts';

/** The adapter side of the opaque Tx: persistence code turns it back into a Kysely transaction. */
export const sqlOf = <DB>(tx: Tx): Transaction<DB> => tx as unknown as Transaction<DB>;

/**
 * A transaction runner. afterCommit runs once the transaction has committed; the composition root
 * uses it to wake the outbox relay instead of waiting for its next poll.
 */
export function transactor<DB>(db: Kysely<DB>, afterCommit: () => void = () => {}): InTransaction {
  return async (work) => {
    const result = await db.transaction().execute((trx) => work(trx as unknown as Tx));
    afterCommit();
    return result;
  };
}
