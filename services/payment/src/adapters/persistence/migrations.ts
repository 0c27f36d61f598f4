import { type VersionedMigration, withIdColumn } from '@12street/platform';

export const paymentMigrations: VersionedMigration[] = [
  {
    name: '001-payments',
    async up(db, dialect) {
      await withIdColumn(db.schema.createTable('payments'), dialect)
        .addColumn('order_id', 'bigint', (c) => c.notNull().unique())
        .addColumn('product_id', 'bigint')
        .addColumn('product_name', 'varchar(200)')
        .addColumn('product_price', 'double precision')
        .addColumn('qty', 'integer')
        .addColumn('amount', 'double precision')
        .addColumn('user_id', 'varchar(100)')
        .addColumn('username', 'varchar(100)')
        .addColumn('address', 'varchar(500)')
        .addColumn('phone_no', 'varchar(30)')
        .addColumn('pay_status', 'varchar(32)', (c) => c.notNull())
        .addColumn('reason', 'varchar(200)')
        .addColumn('created_at', 'varchar(40)', (c) => c.notNull())
        .addColumn('updated_at', 'varchar(40)', (c) => c.notNull())
        .execute();
    },
  },
];
