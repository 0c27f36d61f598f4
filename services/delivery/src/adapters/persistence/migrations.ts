import { type VersionedMigration, withIdColumn } from '@12street/platform';

export const deliveryMigrations: VersionedMigration[] = [
  {
    name: '001-stock-deliveries',
    async up(db, dialect) {
      // A cancelled placeholder has no order details, so those columns may be null.
      await withIdColumn(db.schema.createTable('stock_deliveries'), dialect)
        .addColumn('order_id', 'bigint', (c) => c.notNull().unique())
        .addColumn('product_id', 'bigint')
        .addColumn('product_name', 'varchar(200)')
        .addColumn('qty', 'integer')
        // What was paid: marketing's coupon depends on it, and it is asked for after the event.
        .addColumn('amount', 'double precision')
        .addColumn('user_id', 'varchar(100)', (c) => c.notNull())
        .addColumn('username', 'varchar(100)')
        .addColumn('address', 'varchar(500)')
        .addColumn('phone_no', 'varchar(30)')
        .addColumn('delivery_status', 'varchar(32)', (c) => c.notNull())
        .addColumn('coupon_id', 'bigint')
        .addColumn('coupon_kind', 'varchar(40)')
        .addColumn('coupon_use_yn', 'varchar(1)')
        .addColumn('pending_action', 'varchar(16)')
        .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('next_attempt_at', 'bigint', (c) => c.notNull().defaultTo(0))
        .addColumn('last_error', 'text')
        // Why the payment was cancelled, passed on to marketing with the coupon's cancellation.
        .addColumn('reason', 'varchar(200)')
        .addColumn('created_at', 'varchar(40)', (c) => c.notNull())
        .addColumn('updated_at', 'varchar(40)', (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('stock_deliveries_due')
        .on('stock_deliveries')
        .columns(['pending_action', 'next_attempt_at'])
        .execute();
    },
  },
];
