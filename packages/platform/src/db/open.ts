import { Kysely, MysqlDialect, PostgresDialect } from 'kysely';
import { createPool } from 'mysql2';
import pg from 'pg';
import type { SqlDialect } from './dialect.ts';
import { openSqlite } from './sqlite.ts';

export type Database<DB> = { db: Kysely<DB>; dialect: SqlDialect };

// int8 (count, bigserial ids) arrives as a string by default; our ids stay far below 2^53.
const pgTypes = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === 20
      ? (value: string) => Number(value)
      : pg.types.getTypeParser(oid, format as 'text')) as typeof pg.types.getTypeParser,
};

/**
 * Opens a service's database from a URL: `sqlite:./data/order.db`, `postgres://user@host/db` or
 * `mysql://user:pass@host/db` (MariaDB too). The dialect travels with it for the migrations.
 */
export function openDatabase<DB>(url: string, poolSize = 10): Database<DB> {
  if (url.startsWith('sqlite:')) return { db: openSqlite<DB>(url.slice('sqlite:'.length)), dialect: 'sqlite' };
  if (url.startsWith('postgres://') || url.startsWith('postgresql://')) {
    const pool = new pg.Pool({ connectionString: url, max: poolSize, types: pgTypes });
    return { db: new Kysely<DB>({ dialect: new PostgresDialect({ pool }) }), dialect: 'postgres' };
  }
  if (url.startsWith('mysql://') || url.startsWith('mariadb://')) {
    const pool = createPool({ uri: url.replace(/^mariadb:/, 'mysql:'), connectionLimit: poolSize, timezone: 'Z' });
    return { db: new Kysely<DB>({ dialect: new MysqlDialect({ pool }) }), dialect: 'mysql' };
  }
  throw new Error(`unsupported database URL "${url.replace(/:[^:@/]*@/, ':***@')}"`);
}
