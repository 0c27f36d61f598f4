import {
  DELIVERY_STATUS,
  ORDER_STATUS,
  PAY_STATUS,
  PROMOTE_STATUS,
  SCHEMA_VERSION,
  type StreetEventType,
} from '@12street/contracts';
import { MatchersV3 } from '@pact-foundation/pact';

const { integer, like, number, regex } = MatchersV3;

/** How an event is named in every pact, and so which message provider produces it. */
export const messageOf = (eventType: StreetEventType) => `a${/^[AEIOU]/.test(eventType) ? 'n' : ''} ${eventType} event`;

/** Each event's example is about its own order, so one consumer can take them all without mixing. */
export const EXAMPLE_ORDER_ID: Record<StreetEventType, number> = {
  OrderPlaced: 11,
  OrderCanceled: 12,
  PaymentApproved: 13,
  PaymentCanceled: 14,
  CouponPublished: 15,
  CouponCanceled: 16,
  DeliveryStarted: 17,
  DeliveryCanceled: 18,
};

const ISO_INSTANT = '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d+)?Z$';

/**
 * What a consumer expects of an event: every field the contracts' schema requires (each consumer
 * parses with parseStreetEvent, which refuses a message missing one), matched by type; the event
 * type and schema version exactly; the status words exactly only for a consumer that shows them.
 */
export function eventMessage(eventType: StreetEventType, options: { showsStatusWords: boolean }) {
  const word = (text: string) => (options.showsStatusWords ? text : like(text));
  const userId = like('u1');
  const details = {
    productId: integer(1),
    productName: like('TV'),
    productPrice: number(10000),
    qty: integer(1),
    userId,
    username: like('kim'),
    address: like('Seoul'),
    phoneNo: like('010-1234-5678'),
  };
  const coupon = { couponId: integer(3), couponKind: like('1,000 Won Discount'), couponUseYn: regex('^[YN]$', 'N') };
  const reason = like('changed my mind');
  const payloads: Record<StreetEventType, object> = {
    OrderPlaced: { ...details, orderStatus: word(ORDER_STATUS.placed) },
    OrderCanceled: { userId, orderStatus: word(ORDER_STATUS.canceled), reason },
    PaymentApproved: { paymentId: integer(5), amount: number(10000), payStatus: word(PAY_STATUS.approved), ...details },
    PaymentCanceled: { paymentId: integer(5), userId, payStatus: word(PAY_STATUS.canceled), reason },
    CouponPublished: { ...coupon, userId, promoteStatus: word(PROMOTE_STATUS.published) },
    CouponCanceled: { ...coupon, userId, promoteStatus: word(PROMOTE_STATUS.canceled) },
    DeliveryStarted: {
      deliveryId: integer(9),
      userId,
      address: like('Seoul'),
      deliveryStatus: word(DELIVERY_STATUS.started),
      ...coupon,
    },
    DeliveryCanceled: { deliveryId: integer(9), userId, deliveryStatus: word(DELIVERY_STATUS.canceled) },
  };
  return {
    eventId: like('0b7e4a63-2d4c-4f8e-9d3a-5a1f0c2e7b11'),
    eventType,
    occurredAt: regex(ISO_INSTANT, '2024-05-01T09:00:00.000Z'),
    orderId: integer(EXAMPLE_ORDER_ID[eventType]),
    schemaVersion: SCHEMA_VERSION,
    payload: payloads[eventType],
  };
}
