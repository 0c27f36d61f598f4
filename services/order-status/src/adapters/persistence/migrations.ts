import { longText, type VersionedMigration } from '@12street/platform';

// Text that comes from events is as long as the event schema allows (500).
export const orderStatusMigrations: VersionedMigration[] = [
  {
    name: '001-order-status',
    async up(db, dialect) {
      await db.schema
        .createTable('order_status_events')
        .addColumn('event_id', 'varchar(64)', (c) => c.primaryKey())
        .addColumn('order_id', 'bigint', (c) => c.notNull())
        .addColumn('event_type', 'varchar(64)', (c) => c.notNull())
        .addColumn('occurred_at', 'varchar(40)', (c) => c.notNull())
        .addColumn('envelope', longText(dialect), (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('order_status_events_by_order')
        .on('order_status_events')
        .columns(['order_id', 'occurred_at'])
        .execute();
      await db.schema
        .createTable('order_status_view')
        .addColumn('order_id', 'bigint', (c) => c.primaryKey())
        .addColumn('user_id', 'varchar(500)')
        .addColumn('username', 'varchar(500)')
        .addColumn('product_id', 'bigint')
        .addColumn('product_name', 'varchar(500)')
        .addColumn('product_price', 'double precision')
        .addColumn('qty', 'integer')
        .addColumn('address', 'varchar(500)')
        .addColumn('phone_no', 'varchar(500)')
        .addColumn('order_status', 'varchar(500)')
        .addColumn('pay_status', 'varchar(500)')
        .addColumn('coupon_id', 'bigint')
        .addColumn('coupon_kind', 'varchar(500)')
        .addColumn('coupon_use_yn', 'varchar(1)')
        .addColumn('promote_status', 'varchar(500)')
        .addColumn('delivery_status', 'varchar(500)')
        .addColumn('status', 'varchar(40)', (c) => c.notNull())
        .addColumn('timeline', longText(dialect), (c) => c.notNull())
        .addColumn('updated_at', 'varchar(40)', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('order_status_view_by_user').on('order_status_view').columns(['user_id']).execute();
      await db.schema
        .createIndex('order_status_view_by_update')
        .on('order_status_view')
        .columns(['updated_at'])
        .execute();
    },
  },
];
