import type { Kysely } from 'kysely';
import { type Migration, Migrator } from 'kysely/migration';
import type { SqlDialect } from './dialect.ts';

/** A versioned migration; names sort in the order they must run ("001-orders", "002-..."). */
export type VersionedMigration = {
  name: string;
  up(db: Kysely<unknown>, dialect: SqlDialect): Promise<void>;
};

/** `table` keeps a separate history (and lock) for a set of migrations that must not interleave with others. */
export async function migrateToLatest(
  db: Kysely<unknown>,
  dialect: SqlDialect,
  migrations: readonly VersionedMigration[],
  { table }: { table?: string } = {},
): Promise<void> {
  const byName: Record<string, Migration> = {};
  for (const m of migrations) byName[m.name] = { up: (d) => m.up(d, dialect) };
  const migrator = new Migrator({
    db,
    provider: { getMigrations: async () => byName },
    ...(table ? { migrationTableName: table, migrationLockTableName: `${table}_lock` } : {}),
  });
  const { error, results } = await migrator.migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === 'Error')?.migrationName ?? 'unknown';
    throw new Error(`migration ${failed} failed: ${String((error as Error).message ?? error)}`, { cause: error });
  }
}
