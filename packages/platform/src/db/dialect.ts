import { type ColumnDefinitionBuilder, type CreateTableBuilder, type Expression, sql } from 'kysely';

export type SqlDialect = 'sqlite' | 'postgres' | 'mysql';

/** An auto-incremented bigint primary key, spelled the way each engine wants it. */
export function withIdColumn<T extends string>(
  table: CreateTableBuilder<T, never>,
  dialect: SqlDialect,
  name = 'id',
): CreateTableBuilder<T, never> {
  if (dialect === 'postgres') return table.addColumn(name, 'bigserial', (c) => c.primaryKey());
  if (dialect === 'mysql') return table.addColumn(name, 'bigint', (c) => c.primaryKey().autoIncrement());
  return table.addColumn(name, 'integer', (c) => c.primaryKey().autoIncrement());
}

/** Long text (JSON documents): MySQL's TEXT stops at 64 KiB. */
export const longText = (dialect: SqlDialect): Expression<unknown> =>
  dialect === 'mysql' ? sql`mediumtext` : sql`text`;

export const notNull = (c: ColumnDefinitionBuilder) => c.notNull();

/** True when a write failed because a unique key already holds the value. */
export function isUniqueViolation(error: unknown): boolean {
  const e = error as { code?: string; errno?: number; message?: string } | undefined;
  if (!e) return false;
  return (
    e.code === '23505' || // postgres
    e.code === 'ER_DUP_ENTRY' || // mysql / mariadb
    e.errno === 1062 ||
    (typeof e.message === 'string' && e.message.includes('UNIQUE constraint failed')) // sqlite
  );
}
