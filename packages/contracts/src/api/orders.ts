import Type, { type Static } from 'typebox';
import { Fields } from './fields.ts';

export const PlaceOrderRequest = Type.Object(
  {
    productId: Fields.productId,
    productName: Fields.productName,
    productPrice: Fields.productPrice,
    qty: Fields.qty,
    userId: Fields.userId,
    username: Fields.username,
    address: Fields.address,
    phoneNo: Fields.phoneNo,
  },
  { additionalProperties: false },
);
export type PlaceOrderRequest = Static<typeof PlaceOrderRequest>;

/** The original's cancel: PATCH with orderStatus "Order Canceled". Nothing else may be patched. */
export const PatchOrderRequest = Type.Object(
  { orderStatus: Type.String({ maxLength: 50 }) },
  { additionalProperties: false },
);

export const CancelOrderRequest = Type.Object(
  { reason: Type.Optional(Fields.reason) },
  { additionalProperties: false },
);

export const OrderBody = Type.Object({
  id: Fields.id,
  productId: Fields.productId,
  productName: Type.String(),
  productPrice: Type.Number(),
  qty: Type.Integer(),
  userId: Type.String(),
  username: Type.String(),
  address: Type.String(),
  phoneNo: Type.String(),
  orderStatus: Type.String(),
  createdAt: Type.String(),
});
export type OrderBody = Static<typeof OrderBody>;
