import { insertReturningId, type MessagingTables, pagedRows, sqlOf } from '@12street/platform';
import type { Generated, Kysely, Selectable } from 'kysely';
import type { OrderQueries, OrderStore } from '../../application/ports.ts';
import { CUSTOMER_VISIBLE_STATES, ORDER_STATES, type Order, type OrderState } from '../../domain/order.ts';

interface OrdersTable {
  id: Generated<number>;
  product_id: number;
  product_name: string;
  product_price: number;
  qty: number;
  user_id: string;
  username: string;
  address: string;
  phone_no: string;
  order_status: string;
  reason: string | null;
  payment_settled: number;
  created_at: string;
  updated_at: string;
}

export interface OrderDatabase extends MessagingTables {
  orders: OrdersTable;
}

const SORT_COLUMNS = {
  id: 'id',
  productId: 'product_id',
  productName: 'product_name',
  productPrice: 'product_price',
  qty: 'qty',
  userId: 'user_id',
  orderStatus: 'order_status',
  createdAt: 'created_at',
} as const;
export const SORTABLE_ORDER_FIELDS = Object.keys(SORT_COLUMNS);

function toRow(o: Order) {
  const d = o.details;
  return {
    product_id: d.productId,
    product_name: d.productName,
    product_price: d.productPrice,
    qty: d.qty,
    user_id: d.userId,
    username: d.username,
    address: d.address,
    phone_no: d.phoneNo,
    order_status: o.orderStatus,
    reason: o.reason,
    payment_settled: o.paymentSettled ? 1 : 0,
    created_at: o.createdAt,
    updated_at: o.updatedAt,
  };
}

function toOrder(r: Selectable<OrdersTable>): Order {
  return {
    id: Number(r.id),
    details: {
      productId: Number(r.product_id),
      productName: r.product_name,
      productPrice: Number(r.product_price),
      qty: Number(r.qty),
      userId: r.user_id,
      username: r.username,
      address: r.address,
      phoneNo: r.phone_no,
    },
    orderStatus: r.order_status as OrderState,
    reason: r.reason,
    paymentSettled: Number(r.payment_settled) === 1,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

export const orderStore: OrderStore = {
  async findOrder(tx, id) {
    const row = await sqlOf<OrderDatabase>(tx).selectFrom('orders').selectAll().where('id', '=', id).executeTakeFirst();
    return row && toOrder(row);
  },
  async addOrder(tx, order) {
    return insertReturningId(sqlOf(tx), 'orders', toRow(order));
  },
  async updateOrder(tx, order, from) {
    if (order.id === null) throw new Error('cannot update an order that was never stored');
    const result = await sqlOf<OrderDatabase>(tx)
      .updateTable('orders')
      .set(toRow(order))
      .where('id', '=', order.id)
      .where('order_status', '=', from)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  },
  async rejectedOrdersToSettle(tx, limit) {
    const rows = await sqlOf<OrderDatabase>(tx)
      .selectFrom('orders')
      .selectAll()
      .where('order_status', '=', ORDER_STATES.rejected)
      .where('payment_settled', '=', 0)
      .orderBy('id')
      .limit(limit)
      .execute();
    return rows.map(toOrder);
  },
  async pendingOrdersCreatedBy(tx, createdBy, limit) {
    const rows = await sqlOf<OrderDatabase>(tx)
      .selectFrom('orders')
      .selectAll()
      .where('order_status', '=', ORDER_STATES.pending)
      .where('created_at', '<=', createdBy.toISOString())
      .orderBy('id')
      .limit(limit)
      .execute();
    return rows.map(toOrder);
  },
};

export function orderQueries(db: Kysely<OrderDatabase>): OrderQueries {
  const listed = () => db.selectFrom('orders').where('order_status', 'in', [...CUSTOMER_VISIBLE_STATES]);
  return {
    async listOrders(request) {
      const column = SORT_COLUMNS[request.sortBy as keyof typeof SORT_COLUMNS] ?? 'id';
      const { rows, total } = await pagedRows<Parameters<typeof toOrder>[0]>(listed, column, request);
      return { items: rows.map(toOrder), totalElements: total };
    },
    async orderById(id) {
      const row = await listed().selectAll().where('id', '=', id).executeTakeFirst();
      return row && toOrder(row);
    },
    async ordersForUser(userId) {
      const rows = await listed().selectAll().where('user_id', '=', userId).orderBy('id').execute();
      return rows.map(toOrder);
    },
  };
}
