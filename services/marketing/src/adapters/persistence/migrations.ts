import { type VersionedMigration, withIdColumn } from '@12street/platform';

export const marketingMigrations: VersionedMigration[] = [
  {
    name: '001-promotes',
    async up(db, dialect) {
      await withIdColumn(db.schema.createTable('promotes'), dialect)
        .addColumn('order_id', 'bigint', (c) => c.notNull().unique())
        .addColumn('user_id', 'varchar(100)', (c) => c.notNull())
        // A cancelled placeholder knows only who the order belongs to.
        .addColumn('username', 'varchar(100)')
        .addColumn('phone_no', 'varchar(30)')
        .addColumn('coupon_id', 'bigint')
        .addColumn('coupon_kind', 'varchar(40)')
        .addColumn('coupon_use_yn', 'varchar(1)')
        .addColumn('promote_status', 'varchar(32)', (c) => c.notNull())
        .addColumn('reason', 'varchar(200)')
        .addColumn('created_at', 'varchar(40)', (c) => c.notNull())
        .addColumn('updated_at', 'varchar(40)', (c) => c.notNull())
        .execute();
    },
  },
];
