import {
  DELIVERY_STATUS,
  envelope,
  ORDER_STATUS,
  PAY_STATUS,
  type PayloadOf,
  PROMOTE_STATUS,
  type StreetEvent,
} from '@12street/contracts';
import { sampleOrder } from '@12street/testkit';

/** One order's saga as its publishers would tell it, one minute per step. */
export function sagaOf(orderId: number, options: { userId?: string; start?: Date } = {}) {
  const details = sampleOrder({ userId: options.userId ?? `u${orderId}`, productPrice: 1000 * orderId }) as Omit<
    PayloadOf<'OrderPlaced'>,
    'orderStatus'
  >;
  const start = (options.start ?? new Date('2024-05-01T09:00:00.000Z')).getTime();
  let step = 0;
  const meta = (name: string) => ({ eventId: `${orderId}-${name}`, occurredAt: new Date(start + 60_000 * step++) });
  const coupon = { couponId: 500 + orderId, couponKind: 'DISCOUNT', couponUseYn: 'N' as const };
  const { userId } = details;
  const placed = envelope('OrderPlaced', orderId, { ...details, orderStatus: ORDER_STATUS.placed }, meta('placed'));
  const approved = envelope(
    'PaymentApproved',
    orderId,
    { paymentId: orderId, amount: 1000 * orderId, payStatus: PAY_STATUS.approved, ...details },
    meta('approved'),
  );
  const published = envelope(
    'CouponPublished',
    orderId,
    { ...coupon, userId, promoteStatus: PROMOTE_STATUS.published },
    meta('published'),
  );
  const started = envelope(
    'DeliveryStarted',
    orderId,
    { deliveryId: orderId, userId, address: 'Seoul', deliveryStatus: DELIVERY_STATUS.started, ...coupon },
    meta('started'),
  );
  const orderCanceled = envelope(
    'OrderCanceled',
    orderId,
    { userId, orderStatus: ORDER_STATUS.canceled, reason: 'customer' },
    meta('order-canceled'),
  );
  const paymentCanceled = envelope(
    'PaymentCanceled',
    orderId,
    { paymentId: orderId, userId, payStatus: PAY_STATUS.canceled, reason: 'customer' },
    meta('payment-canceled'),
  );
  const deliveryCanceled = envelope(
    'DeliveryCanceled',
    orderId,
    { deliveryId: orderId, userId, deliveryStatus: DELIVERY_STATUS.canceled },
    meta('delivery-canceled'),
  );
  const couponCanceled = envelope(
    'CouponCanceled',
    orderId,
    { ...coupon, userId, promoteStatus: PROMOTE_STATUS.canceled },
    meta('coupon-canceled'),
  );
  const happy: StreetEvent[] = [placed, approved, published, started];
  const compensation: StreetEvent[] = [orderCanceled, paymentCanceled, deliveryCanceled, couponCanceled];
  return {
    placed,
    approved,
    published,
    started,
    orderCanceled,
    paymentCanceled,
    deliveryCanceled,
    couponCanceled,
    happy,
    canceled: [...happy, ...compensation],
  };
}

/** A repeatable shuffle, so a failing seed can be replayed. */
export function shuffled<T>(items: readonly T[], seed: number): T[] {
  const out = [...items];
  let s = seed;
  for (let i = out.length - 1; i > 0; i--) {
    s = (s * 1103515245 + 12345) % 2 ** 31;
    const j = s % (i + 1);
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}

export function* permutations<T>(items: readonly T[]): Generator<T[]> {
  if (items.length <= 1) {
    yield [...items];
    return;
  }
  for (const [i, head] of items.entries()) {
    for (const rest of permutations([...items.slice(0, i), ...items.slice(i + 1)])) yield [head, ...rest];
  }
}
