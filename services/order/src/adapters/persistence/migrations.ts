import { type VersionedMigration, withIdColumn } from '@12street/platform';

export const orderMigrations: VersionedMigration[] = [
  {
    name: '001-orders',
    async up(db, dialect) {
      await withIdColumn(db.schema.createTable('orders'), dialect)
        .addColumn('product_id', 'bigint', (c) => c.notNull())
        .addColumn('product_name', 'varchar(200)', (c) => c.notNull())
        .addColumn('product_price', 'double precision', (c) => c.notNull())
        .addColumn('qty', 'integer', (c) => c.notNull())
        .addColumn('user_id', 'varchar(100)', (c) => c.notNull())
        .addColumn('username', 'varchar(100)', (c) => c.notNull())
        .addColumn('address', 'varchar(500)', (c) => c.notNull())
        .addColumn('phone_no', 'varchar(30)', (c) => c.notNull())
        .addColumn('order_status', 'varchar(32)', (c) => c.notNull())
        .addColumn('reason', 'varchar(200)')
        .addColumn('payment_settled', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('created_at', 'varchar(40)', (c) => c.notNull())
        .addColumn('updated_at', 'varchar(40)', (c) => c.notNull())
        .execute();
      // The settle worker looks orders up by state; customers by user.
      await db.schema.createIndex('orders_by_status').on('orders').columns(['order_status', 'created_at']).execute();
      await db.schema.createIndex('orders_by_user').on('orders').columns(['user_id', 'id']).execute();
    },
  },
];
