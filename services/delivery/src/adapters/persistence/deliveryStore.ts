import { insertReturningId, type MessagingTables, pagedRows, type SqlDialect, sqlOf } from '@12street/platform';
import type { Generated, Kysely, Selectable } from 'kysely';
import type { DeliveryQueries, DeliveryStore } from '../../application/ports.ts';
import type { CouponWork, Delivery, DeliveryStatus } from '../../domain/delivery.ts';

interface StockDeliveriesTable {
  id: Generated<number>;
  order_id: number;
  product_id: number | null;
  product_name: string | null;
  qty: number | null;
  amount: number | null;
  user_id: string;
  username: string | null;
  address: string | null;
  phone_no: string | null;
  delivery_status: string;
  coupon_id: number | null;
  coupon_kind: string | null;
  coupon_use_yn: string | null;
  pending_action: string | null;
  attempts: number;
  next_attempt_at: number;
  last_error: string | null;
  reason: string | null;
  created_at: string;
  updated_at: string;
}

export interface DeliveryDatabase extends MessagingTables {
  stock_deliveries: StockDeliveriesTable;
}

const SORT_COLUMNS = {
  id: 'id',
  orderId: 'order_id',
  deliveryStatus: 'delivery_status',
  createdAt: 'created_at',
  updatedAt: 'updated_at',
} as const;
export const SORTABLE_DELIVERY_FIELDS = Object.keys(SORT_COLUMNS);

function toRow(d: Delivery) {
  const details = d.details;
  return {
    order_id: d.orderId,
    product_id: details?.productId ?? null,
    product_name: details?.productName ?? null,
    qty: details?.qty ?? null,
    amount: details?.amount ?? null,
    user_id: d.userId,
    username: details?.username ?? null,
    address: details?.address ?? null,
    phone_no: details?.phoneNo ?? null,
    delivery_status: d.deliveryStatus,
    coupon_id: d.coupon.couponId,
    coupon_kind: d.coupon.couponKind,
    coupon_use_yn: d.coupon.couponUseYn,
    pending_action: d.pendingAction,
    attempts: d.attempts,
    next_attempt_at: d.nextAttemptAt,
    last_error: d.lastError,
    reason: d.reason,
    created_at: d.createdAt,
    updated_at: d.updatedAt,
  };
}

function toDelivery(r: Selectable<StockDeliveriesTable>): Delivery {
  const orderId = Number(r.order_id);
  return {
    id: Number(r.id),
    orderId,
    userId: r.user_id,
    details:
      r.product_id === null
        ? null
        : {
            orderId,
            productId: Number(r.product_id),
            productName: r.product_name ?? '',
            qty: Number(r.qty),
            amount: Number(r.amount),
            userId: r.user_id,
            username: r.username ?? '',
            address: r.address ?? '',
            phoneNo: r.phone_no ?? '',
          },
    deliveryStatus: r.delivery_status as DeliveryStatus,
    coupon: {
      couponId: r.coupon_id === null ? null : Number(r.coupon_id),
      couponKind: r.coupon_kind,
      couponUseYn: r.coupon_use_yn as Delivery['coupon']['couponUseYn'],
    },
    pendingAction: r.pending_action as CouponWork | null,
    attempts: Number(r.attempts),
    nextAttemptAt: Number(r.next_attempt_at),
    lastError: r.last_error,
    reason: r.reason,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

/**
 * The coupon worker and the PaymentCanceled policy both read a delivery, decide, and write it back;
 * the read locks the row (SQLite's transactions are serial already), so the one that comes second
 * decides on what the first committed instead of overwriting it.
 */
export const deliveryStore = (dialect: SqlDialect): DeliveryStore => ({
  async findDeliveryForOrder(tx, orderId) {
    const row = await sqlOf<DeliveryDatabase>(tx)
      .selectFrom('stock_deliveries')
      .selectAll()
      .where('order_id', '=', orderId)
      .$if(dialect !== 'sqlite', (q) => q.forUpdate())
      .executeTakeFirst();
    return row && toDelivery(row);
  },
  async addDelivery(tx, delivery) {
    return insertReturningId(sqlOf(tx), 'stock_deliveries', toRow(delivery));
  },
  async updateDelivery(tx, delivery) {
    if (delivery.id === null) throw new Error('cannot update a delivery that was never stored');
    await sqlOf<DeliveryDatabase>(tx)
      .updateTable('stock_deliveries')
      .set(toRow(delivery))
      .where('id', '=', delivery.id)
      .execute();
  },
  async deliveriesDueForCoupon(tx, nowMs, limit) {
    const rows = await sqlOf<DeliveryDatabase>(tx)
      .selectFrom('stock_deliveries')
      .selectAll()
      .where('pending_action', 'is not', null)
      .where('next_attempt_at', '<=', nowMs)
      .orderBy('next_attempt_at')
      .orderBy('id')
      .limit(limit)
      .execute();
    return rows.map(toDelivery);
  },
});

export function deliveryQueries(db: Kysely<DeliveryDatabase>): DeliveryQueries {
  const listed = () => db.selectFrom('stock_deliveries').where('product_id', 'is not', null);
  return {
    async listDeliveries(request) {
      const column = SORT_COLUMNS[request.sortBy as keyof typeof SORT_COLUMNS] ?? 'id';
      const { rows, total } = await pagedRows<Parameters<typeof toDelivery>[0]>(listed, column, request);
      return { items: rows.map(toDelivery), totalElements: total };
    },
    async deliveryById(id) {
      const row = await listed().selectAll().where('id', '=', id).executeTakeFirst();
      return row && toDelivery(row);
    },
    async deliveriesForOrder(orderId) {
      const rows = await listed().selectAll().where('order_id', '=', orderId).execute();
      return rows.map(toDelivery);
    },
  };
}
