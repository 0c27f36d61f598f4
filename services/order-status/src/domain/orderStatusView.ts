import { type EventOf, PUBLISHER_OF, type StreetEvent, type StreetEventType } from '@12street/contracts';
import { overallStatus, type PartState, type ViewStatus } from './statusWords.ts';

export type TimelineEntry = { eventId: string; eventType: StreetEventType; service: string; occurredAt: string };

/** What the customer sees of one order, computed from its events alone. */
export type OrderStatusView = {
  orderId: number;
  userId: string | null;
  username: string | null;
  productId: number | null;
  productName: string | null;
  productPrice: number | null;
  qty: number | null;
  address: string | null;
  phoneNo: string | null;
  orderStatus: string | null;
  payStatus: string | null;
  couponId: number | null;
  couponKind: string | null;
  couponUseYn: string | null;
  promoteStatus: string | null;
  deliveryStatus: string | null;
  status: ViewStatus;
  timeline: TimelineEntry[];
};

function byTimeThenId(a: StreetEvent, b: StreetEvent): number {
  const ta = Date.parse(a.occurredAt);
  const tb = Date.parse(b.occurredAt);
  if (ta !== tb && !Number.isNaN(ta) && !Number.isNaN(tb)) return ta - tb;
  return compare(a.occurredAt, b.occurredAt) || compare(a.eventId, b.eventId);
}
const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** One canonical order for a set of events, so the projection depends on the set, not on arrival. */
export function canonicalOrder(events: readonly StreetEvent[]): StreetEvent[] {
  const unique = new Map<string, StreetEvent>();
  for (const e of events) unique.set(e.eventId, e);
  return [...unique.values()].sort(byTimeThenId);
}

const part = (done: boolean, canceled: boolean): PartState => (canceled ? 'canceled' : done ? 'done' : 'unknown');

/**
 * Projects one order's events into its view. Pure and commutative: any arrival order and any
 * number of duplicates give the same view, because the events are put in one canonical order and
 * each part's cancellation outranks its positive step instead of the last event winning.
 */
export function projectOrderStatus(events: readonly StreetEvent[]): OrderStatusView {
  const ordered = canonicalOrder(events);
  const first = ordered[0];
  if (!first) throw new Error('an order status is projected from at least one event');
  if (ordered.some((e) => e.orderId !== first.orderId)) throw new Error('events of different orders were mixed');

  const latest = <T extends StreetEventType>(type: T): EventOf<T> | undefined =>
    ordered.findLast((e): e is EventOf<T> => e.eventType === type);
  const placed = latest('OrderPlaced');
  const orderCanceled = latest('OrderCanceled');
  const approved = latest('PaymentApproved');
  const paymentCanceled = latest('PaymentCanceled');
  const published = latest('CouponPublished');
  const couponCanceled = latest('CouponCanceled');
  const started = latest('DeliveryStarted');
  const deliveryCanceled = latest('DeliveryCanceled');

  const details = (placed ?? approved)?.payload;
  const coupon = (published ?? started ?? couponCanceled)?.payload;
  const couponKnown = published !== undefined || (started?.payload.couponId ?? null) !== null;

  return {
    orderId: first.orderId,
    userId: details?.userId ?? first.payload.userId,
    username: details?.username ?? null,
    productId: details?.productId ?? null,
    productName: details?.productName ?? null,
    productPrice: details?.productPrice ?? null,
    qty: details?.qty ?? null,
    address: details?.address ?? started?.payload.address ?? null,
    phoneNo: details?.phoneNo ?? null,
    orderStatus: (orderCanceled ?? placed)?.payload.orderStatus ?? null,
    payStatus: (paymentCanceled ?? approved)?.payload.payStatus ?? null,
    couponId: coupon?.couponId ?? null,
    couponKind: coupon?.couponKind ?? null,
    couponUseYn: coupon?.couponUseYn ?? null,
    promoteStatus: (couponCanceled ?? published)?.payload.promoteStatus ?? null,
    deliveryStatus: (deliveryCanceled ?? started)?.payload.deliveryStatus ?? null,
    status: overallStatus({
      order: part(placed !== undefined, orderCanceled !== undefined),
      payment: part(approved !== undefined, paymentCanceled !== undefined),
      coupon: part(couponKnown, couponCanceled !== undefined),
      delivery: part(started !== undefined, deliveryCanceled !== undefined),
    }),
    timeline: ordered.map((e) => ({
      eventId: e.eventId,
      eventType: e.eventType,
      service: PUBLISHER_OF[e.eventType],
      occurredAt: e.occurredAt,
    })),
  };
}
