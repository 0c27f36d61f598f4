import Type, { type Static } from 'typebox';
import Value from 'typebox/value';

// The published language between the services. Every event travels in one envelope; orderId is
// the correlation key and the Kafka message key, so one order's events stay in order.

export const SCHEMA_VERSION = 1;

const OrderId = Type.Integer({ minimum: 1 });
const Text = Type.String({ maxLength: 500 });

const Envelope = <T extends string, P extends Type.TSchema>(eventType: T, payload: P) =>
  Type.Object({
    eventId: Type.String({ minLength: 1, maxLength: 64 }),
    eventType: Type.Literal(eventType),
    occurredAt: Type.String({ format: 'date-time' }),
    orderId: OrderId,
    schemaVersion: Type.Integer({ minimum: 1 }),
    payload,
  });

const OrderDetails = {
  productId: Type.Integer({ minimum: 1 }),
  productName: Text,
  productPrice: Type.Number({ minimum: 0 }),
  qty: Type.Integer({ minimum: 1 }),
  userId: Text,
  username: Text,
  address: Text,
  phoneNo: Text,
};

export const OrderPlaced = Envelope('OrderPlaced', Type.Object({ ...OrderDetails, orderStatus: Text }));
export const OrderCanceled = Envelope('OrderCanceled', Type.Object({ userId: Text, orderStatus: Text, reason: Text }));
export const PaymentApproved = Envelope(
  'PaymentApproved',
  Type.Object({ paymentId: Type.Integer(), amount: Type.Number(), payStatus: Text, ...OrderDetails }),
);
export const PaymentCanceled = Envelope(
  'PaymentCanceled',
  Type.Object({ paymentId: Type.Integer(), userId: Text, payStatus: Text, reason: Text }),
);
const Coupon = {
  couponId: Type.Union([Type.Integer(), Type.Null()]),
  couponKind: Type.Union([Text, Type.Null()]),
  couponUseYn: Type.Union([Type.Literal('Y'), Type.Literal('N'), Type.Null()]),
};
export const CouponPublished = Envelope(
  'CouponPublished',
  Type.Object({ ...Coupon, userId: Text, promoteStatus: Text }),
);
export const CouponCanceled = Envelope('CouponCanceled', Type.Object({ ...Coupon, userId: Text, promoteStatus: Text }));
export const DeliveryStarted = Envelope(
  'DeliveryStarted',
  Type.Object({ deliveryId: Type.Integer(), userId: Text, address: Text, deliveryStatus: Text, ...Coupon }),
);
export const DeliveryCanceled = Envelope(
  'DeliveryCanceled',
  Type.Object({ deliveryId: Type.Integer(), userId: Text, deliveryStatus: Text }),
);

export const StreetEventSchema = Type.Union([
  OrderPlaced,
  OrderCanceled,
  PaymentApproved,
  PaymentCanceled,
  CouponPublished,
  CouponCanceled,
  DeliveryStarted,
  DeliveryCanceled,
]);

export type OrderPlaced = Static<typeof OrderPlaced>;
export type OrderCanceled = Static<typeof OrderCanceled>;
export type PaymentApproved = Static<typeof PaymentApproved>;
export type PaymentCanceled = Static<typeof PaymentCanceled>;
export type CouponPublished = Static<typeof CouponPublished>;
export type CouponCanceled = Static<typeof CouponCanceled>;
export type DeliveryStarted = Static<typeof DeliveryStarted>;
export type DeliveryCanceled = Static<typeof DeliveryCanceled>;
export type StreetEvent = Static<typeof StreetEventSchema>;
export type StreetEventType = StreetEvent['eventType'];
export type EventOf<T extends StreetEventType> = Extract<StreetEvent, { eventType: T }>;
export type PayloadOf<T extends StreetEventType> = EventOf<T>['payload'];

export const STREET_EVENT_TYPES = [
  'OrderPlaced',
  'OrderCanceled',
  'PaymentApproved',
  'PaymentCanceled',
  'CouponPublished',
  'CouponCanceled',
  'DeliveryStarted',
  'DeliveryCanceled',
] as const satisfies readonly StreetEventType[];

/** Which service publishes each event, and so which topic carries it. */
export const PUBLISHER_OF: Record<StreetEventType, 'order' | 'payment' | 'marketing' | 'delivery'> = {
  OrderPlaced: 'order',
  OrderCanceled: 'order',
  PaymentApproved: 'payment',
  PaymentCanceled: 'payment',
  CouponPublished: 'marketing',
  CouponCanceled: 'marketing',
  DeliveryStarted: 'delivery',
  DeliveryCanceled: 'delivery',
};

export const topicOf = (eventType: StreetEventType): string => `12street.${PUBLISHER_OF[eventType]}-events`;

/** Wraps a payload in the shared envelope; the id and time come from the caller. */
export function envelope<T extends StreetEventType>(
  eventType: T,
  orderId: number,
  payload: PayloadOf<T>,
  meta: { eventId: string; occurredAt: Date },
): EventOf<T> {
  return {
    eventId: meta.eventId,
    eventType,
    occurredAt: meta.occurredAt.toISOString(),
    orderId,
    schemaVersion: SCHEMA_VERSION,
    payload,
  } as EventOf<T>;
}

const checkStreetEvent = (value: unknown) => Value.Check(StreetEventSchema, value);

export class InvalidEvent extends Error {
  override readonly name = 'InvalidEvent';
}

/** Validates what arrives from the wire; a malformed message is a poison message, not a crash. */
export function parseStreetEvent(value: unknown): StreetEvent {
  if (checkStreetEvent(value)) return value;
  const first = Value.Errors(StreetEventSchema, value)[0];
  const where = first ? `${first.instancePath || '/'}: ${first.message}` : 'does not match any event schema';
  throw new InvalidEvent(`invalid event ${(value as { eventType?: string })?.eventType ?? '?'} (${where})`);
}
