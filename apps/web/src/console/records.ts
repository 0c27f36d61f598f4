import type { Api } from '../api/http.ts';
import type {
  HalList,
  OrderBody,
  OrderStatusBody,
  PaymentBody,
  PromoteBody,
  StockDeliveryBody,
  TimelineEntry,
} from '../api/types.ts';

/** What one order left in each service's own store; an error where a service did not answer. */
export type Records = {
  order: OrderBody | null | Error;
  payment: PaymentBody | null | Error;
  delivery: StockDeliveryBody | null | Error;
  promote: PromoteBody | null | Error;
};

const first = async <T>(api: Api, path: string, rel: string): Promise<T | null | Error> => {
  try {
    return (await api.get<HalList<T>>(path))._embedded[rel]?.[0] ?? null;
  } catch (error) {
    return error as Error;
  }
};

export async function recordsOf(api: Api, orderId: number): Promise<Records> {
  const [order, payment, delivery, promote] = await Promise.all([
    api
      .get<OrderBody>(`/orders/${orderId}`)
      .catch((error: Error & { status?: number }) => (error.status === 404 ? null : error)),
    first<PaymentBody>(api, `/payments/search/findByOrderId?orderId=${orderId}`, 'payments'),
    first<StockDeliveryBody>(api, `/stockDeliveries/search/findByOrderId?orderId=${orderId}`, 'stockDeliveries'),
    first<PromoteBody>(api, `/promotes/search/findByOrderId?orderId=${orderId}`, 'promotes'),
  ]);
  return { order, payment, delivery, promote };
}

const ok = <T>(record: T | null | Error | undefined): T | undefined =>
  record === null || record === undefined || record instanceof Error ? undefined : record;

/**
 * The fields that matter for each event, read from the record the event's service keeps (the view
 * has no payloads): what was ordered, the payment's amount, the coupon, the delivery.
 */
export function keyFieldsOf(entry: TimelineEntry, view: OrderStatusBody, records: Records | undefined): string {
  const order = ok(records?.order);
  const payment = ok(records?.payment);
  const promote = ok(records?.promote);
  const delivery = ok(records?.delivery);
  switch (entry.eventType) {
    case 'OrderPlaced':
      return `${view.qty} × ${view.productName} for ${view.username}, to ${view.address}`;
    case 'OrderCanceled':
      return `orderStatus: ${order?.orderStatus ?? view.orderStatus ?? '?'}`;
    case 'PaymentApproved':
      return payment ? `payment #${payment.id}, amount ${payment.amount}` : 'payStatus: Pay Approved';
    case 'PaymentCanceled':
      return `payment #${payment?.id ?? '?'}, payStatus: ${payment?.payStatus ?? view.payStatus ?? '?'}`;
    case 'CouponPublished':
      return `coupon #${promote?.couponId ?? view.couponId ?? '?'} (${promote?.couponKind ?? view.couponKind ?? '?'})`;
    case 'CouponCanceled':
      return `coupon #${promote?.couponId ?? view.couponId ?? '—'}, promoteStatus: ${promote?.promoteStatus ?? view.promoteStatus ?? '?'}`;
    case 'DeliveryStarted':
      return `delivery #${delivery?.id ?? '?'} with coupon #${delivery?.couponId ?? view.couponId ?? '?'}`;
    case 'DeliveryCanceled':
      return `delivery #${delivery?.id ?? '?'}, deliveryStatus: ${delivery?.deliveryStatus ?? view.deliveryStatus ?? '?'}`;
    default:
      return '';
  }
}
