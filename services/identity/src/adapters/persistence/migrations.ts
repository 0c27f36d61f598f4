import { type VersionedMigration, withIdColumn } from '@12street/platform';

export const identityMigrations: VersionedMigration[] = [
  {
    name: '001-accounts',
    async up(db, dialect) {
      await withIdColumn(db.schema.createTable('users'), dialect)
        .addColumn('user_id', 'varchar(100)', (c) => c.notNull().unique())
        .addColumn('username', 'varchar(100)', (c) => c.notNull().unique())
        .addColumn('password_hash', 'varchar(255)', (c) => c.notNull())
        .addColumn('roles', 'varchar(100)', (c) => c.notNull())
        .addColumn('created_at', 'varchar(40)', (c) => c.notNull())
        .execute();
      await withIdColumn(db.schema.createTable('clients'), dialect)
        .addColumn('client_id', 'varchar(100)', (c) => c.notNull().unique())
        .addColumn('secret_hash', 'varchar(255)', (c) => c.notNull())
        .addColumn('roles', 'varchar(100)', (c) => c.notNull())
        .addColumn('updated_at', 'varchar(40)', (c) => c.notNull())
        .execute();
    },
  },
];
