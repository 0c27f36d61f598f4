import type { Kysely, Transaction } from 'kysely';

// biome-ignore lint/suspicious/noExplicitAny: a table-agnostic helper; callers keep their typed rows.
type AnyDb = Kysely<any> | Transaction<any>;

/**
 * Inserts one row and returns its generated id on every engine: PostgreSQL and SQLite say it with
 * RETURNING, MySQL/MariaDB with the insert id.
 */
export async function insertReturningId(db: AnyDb, table: string, values: Record<string, unknown>): Promise<number> {
  const insert = db.insertInto(table).values(values);
  if (db.getExecutor().adapter.supportsReturning) {
    const row = await insert.returning('id').executeTakeFirstOrThrow();
    return Number(row.id);
  }
  const result = await insert.executeTakeFirstOrThrow();
  return Number(result.insertId);
}
