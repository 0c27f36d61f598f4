import Type, { type Static } from 'typebox';
import { Fields } from './fields.ts';

const Nullable = <T extends Type.TSchema>(t: T) => Type.Union([t, Type.Null()]);

export const TimelineEntry = Type.Object({
  eventId: Type.String(),
  eventType: Type.String(),
  service: Type.String(),
  occurredAt: Type.String(),
});

/** The customer's view of one order, built only from events. */
export const OrderStatusBody = Type.Object({
  id: Fields.id,
  orderId: Fields.id,
  userId: Nullable(Type.String()),
  username: Nullable(Type.String()),
  productId: Nullable(Type.Integer()),
  productName: Nullable(Type.String()),
  productPrice: Nullable(Type.Number()),
  qty: Nullable(Type.Integer()),
  address: Nullable(Type.String()),
  phoneNo: Nullable(Type.String()),
  orderStatus: Nullable(Type.String()),
  payStatus: Nullable(Type.String()),
  couponId: Nullable(Type.Integer()),
  couponKind: Nullable(Type.String()),
  couponUseYn: Nullable(Type.String()),
  promoteStatus: Nullable(Type.String()),
  deliveryStatus: Nullable(Type.String()),
  status: Type.String(),
  timeline: Type.Array(TimelineEntry),
  updatedAt: Type.String(),
});
export type OrderStatusBody = Static<typeof OrderStatusBody>;
