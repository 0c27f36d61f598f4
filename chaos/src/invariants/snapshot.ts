import type { RetryingClient } from '../retryingClient.ts';
import type { SqlService, Stores } from './stores.ts';

export type View = {
  orderId: number;
  orderStatus: string | null;
  payStatus: string | null;
  promoteStatus: string | null;
  deliveryStatus: string | null;
  couponId: number | null;
};
/** A placeholder is a cancellation that overtook what it cancels: it bars it, and no event announces it. */
type Delivery = { status: string; couponId: number | null; pending: string | null; placeholder: boolean };
type Promote = { status: string; couponId: number | null; placeholder: boolean };

/** Everything the invariants are checked against, read as close to one moment as the stores allow. */
export type Snapshot = {
  orders: Map<number, { status: string; settled: boolean }>;
  payments: Map<number, string[]>;
  deliveries: Map<number, Delivery[]>;
  promotes: Map<number, Promote[]>;
  /** The read model as stored in Redis, and how many views Redis holds in all. */
  views: Map<number, View>;
  viewCount: number;
  /** The read model and the customer-visible orders as the REST API shows them. */
  restViews: Map<number, View>;
  restVisibleOrders: number;
  unsent: Record<SqlService, number>;
  duplicateEvents: string[];
  parked: Record<SqlService, number>;
};

const push = <T>(map: Map<number, T[]>, key: number, value: T) => {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
};

/**
 * The order-status service's Redis layout (orderStatusKeys, generationKeys): a view per order
 * under the live generation's prefix, which is the base prefix until the first rebuild.
 */
async function readViews(stores: Stores) {
  const { redis, redisPrefix } = stores;
  const live = (await redis.get(`${redisPrefix}current`)) ?? redisPrefix;
  const keys: string[] = [];
  let cursor = '0';
  do {
    const [next, found] = await redis.scan(cursor, 'MATCH', `${live}order:*:view`, 'COUNT', 1000);
    cursor = next;
    keys.push(...found);
  } while (cursor !== '0');
  const views = new Map<number, View>();
  for (let i = 0; i < keys.length; i += 500) {
    const values = await redis.mget(...keys.slice(i, i + 500));
    for (const value of values) {
      if (!value) continue;
      const view = JSON.parse(value) as View;
      views.set(Number(view.orderId), view);
    }
  }
  return { views, viewCount: keys.length };
}

async function readRest(api: RetryingClient) {
  const restViews = new Map<number, View>();
  for (let page = 0; ; page++) {
    const reply = await api.get(`/orderStatus?size=1000&page=${page}`);
    if (reply.status !== 200) throw new Error(`GET /orderStatus answered ${reply.status}`);
    const body = reply.body as { _embedded?: { orderStatuses?: View[] }; page: { totalPages: number } };
    for (const view of body._embedded?.orderStatuses ?? []) restViews.set(Number(view.orderId), view);
    if (page + 1 >= body.page.totalPages) break;
  }
  const orders = await api.get('/orders?size=1');
  if (orders.status !== 200) throw new Error(`GET /orders answered ${orders.status}`);
  return { restViews, restVisibleOrders: (orders.body as { page: { totalElements: number } }).page.totalElements };
}

export async function takeSnapshot(stores: Stores, api: RetryingClient): Promise<Snapshot> {
  const orders = new Map(
    (await stores.order.selectFrom('orders').select(['id', 'order_status', 'payment_settled']).execute()).map((o) => [
      Number(o.id),
      { status: o.order_status, settled: Number(o.payment_settled) === 1 },
    ]),
  );
  const payments = new Map<number, string[]>();
  for (const p of await stores.payment.selectFrom('payments').select(['order_id', 'pay_status']).execute()) {
    push(payments, Number(p.order_id), p.pay_status);
  }
  const deliveries = new Map<number, Delivery[]>();
  const deliveryRows = await stores.delivery
    .selectFrom('stock_deliveries')
    .select(['order_id', 'delivery_status', 'coupon_id', 'pending_action', 'product_id'])
    .execute();
  for (const d of deliveryRows) {
    const couponId = d.coupon_id === null ? null : Number(d.coupon_id);
    push(deliveries, Number(d.order_id), {
      status: d.delivery_status,
      couponId,
      pending: d.pending_action,
      placeholder: d.product_id === null,
    });
  }
  const promotes = new Map<number, Promote[]>();
  for (const c of await stores.marketing
    .selectFrom('promotes')
    .select(['order_id', 'promote_status', 'coupon_id'])
    .execute()) {
    const couponId = c.coupon_id === null ? null : Number(c.coupon_id);
    push(promotes, Number(c.order_id), { status: c.promote_status, couponId, placeholder: couponId === null });
  }
  const unsent = {} as Record<SqlService, number>;
  const parked = {} as Record<SqlService, number>;
  const duplicateEvents: string[] = [];
  for (const [service, db] of Object.entries(stores.messaging) as [SqlService, Stores['messaging'][SqlService]][]) {
    const waiting = await db
      .selectFrom('outbox')
      .select((eb) => eb.fn.countAll().as('n'))
      .where('sent_at', 'is', null)
      .executeTakeFirst();
    unsent[service] = Number(waiting?.n ?? 0);
    const dead = await db
      .selectFrom('dead_letters')
      .select((eb) => eb.fn.countAll().as('n'))
      .where('redriven_at', 'is', null)
      .executeTakeFirst();
    parked[service] = Number(dead?.n ?? 0);
    const twice = await db
      .selectFrom('outbox')
      .select(['order_id', 'event_type', (eb) => eb.fn.countAll().as('n')])
      .groupBy(['order_id', 'event_type'])
      .having((eb) => eb.fn.countAll(), '>', 1)
      .execute();
    for (const row of twice)
      duplicateEvents.push(`${service} recorded ${row.event_type} ${row.n} times for order ${row.order_id}`);
  }
  return {
    orders,
    payments,
    deliveries,
    promotes,
    ...(await readViews(stores)),
    ...(await readRest(api)),
    unsent,
    duplicateEvents,
    parked,
  };
}
