import type { StreetEvent } from '@12street/contracts';
import { type MessagingTables, type SqlDialect, sqlOf } from '@12street/platform';
import type { Kysely, Selectable, Transaction } from 'kysely';
import type { OrderEventStore, OrderStatusQueries, StoredOrderStatus } from '../../application/ports.ts';
import type { OrderStatusView } from '../../domain/orderStatusView.ts';
import type { ViewStatus } from '../../domain/statusWords.ts';

interface OrderStatusEventsTable {
  event_id: string;
  order_id: number;
  event_type: string;
  occurred_at: string;
  envelope: string;
}

interface OrderStatusViewTable {
  order_id: number;
  user_id: string | null;
  username: string | null;
  product_id: number | null;
  product_name: string | null;
  product_price: number | null;
  qty: number | null;
  address: string | null;
  phone_no: string | null;
  order_status: string | null;
  pay_status: string | null;
  coupon_id: number | null;
  coupon_kind: string | null;
  coupon_use_yn: string | null;
  promote_status: string | null;
  delivery_status: string | null;
  status: string;
  timeline: string;
  updated_at: string;
}

export interface OrderStatusDatabase extends MessagingTables {
  order_status_events: OrderStatusEventsTable;
  order_status_view: OrderStatusViewTable;
}

const SORT_COLUMNS = { orderId: 'order_id', updatedAt: 'updated_at' } as const;
export const SORTABLE_ORDER_STATUS_FIELDS = Object.keys(SORT_COLUMNS);

function toRow(v: OrderStatusView, updatedAt: string): OrderStatusViewTable {
  return {
    order_id: v.orderId,
    user_id: v.userId,
    username: v.username,
    product_id: v.productId,
    product_name: v.productName,
    product_price: v.productPrice,
    qty: v.qty,
    address: v.address,
    phone_no: v.phoneNo,
    order_status: v.orderStatus,
    pay_status: v.payStatus,
    coupon_id: v.couponId,
    coupon_kind: v.couponKind,
    coupon_use_yn: v.couponUseYn,
    promote_status: v.promoteStatus,
    delivery_status: v.deliveryStatus,
    status: v.status,
    timeline: JSON.stringify(v.timeline),
    updated_at: updatedAt,
  };
}

const numberOrNull = (n: unknown) => (n === null || n === undefined ? null : Number(n));

function toStored(r: Selectable<OrderStatusViewTable>): StoredOrderStatus {
  return {
    orderId: Number(r.order_id),
    userId: r.user_id,
    username: r.username,
    productId: numberOrNull(r.product_id),
    productName: r.product_name,
    productPrice: numberOrNull(r.product_price),
    qty: numberOrNull(r.qty),
    address: r.address,
    phoneNo: r.phone_no,
    orderStatus: r.order_status,
    payStatus: r.pay_status,
    couponId: numberOrNull(r.coupon_id),
    couponKind: r.coupon_kind,
    couponUseYn: r.coupon_use_yn,
    promoteStatus: r.promote_status,
    deliveryStatus: r.delivery_status,
    status: r.status as ViewStatus,
    timeline: JSON.parse(r.timeline),
    updatedAt: r.updated_at,
  };
}

type Sql = Transaction<OrderStatusDatabase>;

const viewExists = async (sql: Sql, orderId: number) =>
  (await sql.selectFrom('order_status_view').select('order_id').where('order_id', '=', orderId).executeTakeFirst()) !==
  undefined;

/**
 * Serialises the projections of one order: writing its view row takes the row's lock until commit.
 * A first event creates the row (overwritten by saveView in the same transaction); two first events
 * racing collide on its key, and the loser is delivered again.
 */
async function holdOrder(sql: Sql, orderId: number) {
  if (await viewExists(sql, orderId)) {
    await sql
      .updateTable('order_status_view')
      .set((eb) => ({ status: eb.ref('status') }))
      .where('order_id', '=', orderId)
      .execute();
    return;
  }
  await sql
    .insertInto('order_status_view')
    .values({ order_id: orderId, status: '', timeline: '[]', updated_at: '' })
    .execute();
}

export function orderEventStore(dialect: SqlDialect): OrderEventStore {
  return {
    async recordOrderEvent(tx, event) {
      const sql = sqlOf<OrderStatusDatabase>(tx);
      const seen = await sql
        .selectFrom('order_status_events')
        .select('event_id')
        .where('event_id', '=', event.eventId)
        .executeTakeFirst();
      if (seen) return false;
      await holdOrder(sql, event.orderId);
      await sql
        .insertInto('order_status_events')
        .values({
          event_id: event.eventId,
          order_id: event.orderId,
          event_type: event.eventType,
          occurred_at: event.occurredAt,
          envelope: JSON.stringify(event),
        })
        .execute();
      return true;
    },
    async eventsOfOrder(tx, orderId) {
      // A locking read sees what other transactions committed, even under MySQL's repeatable read.
      const rows = await sqlOf<OrderStatusDatabase>(tx)
        .selectFrom('order_status_events')
        .select('envelope')
        .where('order_id', '=', orderId)
        .orderBy('occurred_at')
        .orderBy('event_id')
        .$if(dialect !== 'sqlite', (q) => q.forUpdate())
        .execute();
      return rows.map((r) => JSON.parse(r.envelope) as StreetEvent);
    },
    async saveView(tx, view, updatedAt) {
      const sql = sqlOf<OrderStatusDatabase>(tx);
      const row = toRow(view, updatedAt.toISOString());
      if (await viewExists(sql, view.orderId)) {
        await sql.updateTable('order_status_view').set(row).where('order_id', '=', view.orderId).execute();
      } else {
        await sql.insertInto('order_status_view').values(row).execute();
      }
    },
  };
}

export function orderStatusQueries(db: Kysely<OrderStatusDatabase>): OrderStatusQueries {
  const views = () => db.selectFrom('order_status_view');
  return {
    async listOrderStatuses({ page, size, sortBy, direction }) {
      const column = SORT_COLUMNS[sortBy as keyof typeof SORT_COLUMNS] ?? 'order_id';
      const [rows, total] = await Promise.all([
        views()
          .selectAll()
          .orderBy(column, direction)
          .orderBy('order_id')
          .limit(size)
          .offset(page * size)
          .execute(),
        views()
          .select(({ fn }) => fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow(),
      ]);
      return { items: rows.map(toStored), totalElements: Number(total.n) };
    },
    async orderStatusOf(orderId) {
      const row = await views().selectAll().where('order_id', '=', orderId).executeTakeFirst();
      return row && toStored(row);
    },
    async orderStatusesOfUser(userId) {
      const rows = await views().selectAll().where('user_id', '=', userId).orderBy('order_id').execute();
      return rows.map(toStored);
    },
  };
}
