import { type MessagingTables, openDatabase } from '@12street/platform';
import { Redis } from 'ioredis';
import type { Kysely } from 'kysely';
import type { CleanupScope } from '../../../bench/src/support/scope.ts';

type OrderTables = MessagingTables & { orders: { id: number; order_status: string; payment_settled: number } };
type PaymentTables = MessagingTables & { payments: { order_id: number; pay_status: string } };
type DeliveryTables = MessagingTables & {
  stock_deliveries: {
    order_id: number;
    /** null in a placeholder, which knows no order details. */
    product_id: number | null;
    delivery_status: string;
    coupon_id: number | null;
    pending_action: string | null;
  };
};
type MarketingTables = MessagingTables & {
  promotes: { order_id: number; promote_status: string; coupon_id: number | null };
};

export type SqlService = 'order' | 'payment' | 'delivery' | 'marketing';

/** The services' own stores, opened directly: the four SQL databases and the read model's Redis. */
export function openStores(
  scope: CleanupScope,
  urls: Record<SqlService, string> & { redis: string; redisPrefix: string },
) {
  const order = openDatabase<OrderTables>(urls.order, 2).db;
  const payment = openDatabase<PaymentTables>(urls.payment, 2).db;
  const delivery = openDatabase<DeliveryTables>(urls.delivery, 2).db;
  const marketing = openDatabase<MarketingTables>(urls.marketing, 2).db;
  const redis = new Redis(urls.redis, { maxRetriesPerRequest: 3 });
  scope.after(async () => {
    await Promise.all([order, payment, delivery, marketing].map((db) => db.destroy()));
    redis.disconnect();
  });
  const messaging: Record<SqlService, Kysely<MessagingTables>> = {
    order: order as unknown as Kysely<MessagingTables>,
    payment: payment as unknown as Kysely<MessagingTables>,
    delivery: delivery as unknown as Kysely<MessagingTables>,
    marketing: marketing as unknown as Kysely<MessagingTables>,
  };
  return { order, payment, delivery, marketing, messaging, redis, redisPrefix: urls.redisPrefix };
}

export type Stores = ReturnType<typeof openStores>;
