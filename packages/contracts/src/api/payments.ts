import Type, { type Static } from 'typebox';
import { Fields } from './fields.ts';

/** order → payment, synchronous. Idempotent by orderId: asking twice approves once. */
export const ApprovePaymentRequest = Type.Object(
  {
    orderId: Fields.id,
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
export type ApprovePaymentRequest = Static<typeof ApprovePaymentRequest>;

/**
 * order → payment, when order gave up on a payment (timeout, crash): the payment for that order is
 * cancelled if it was approved, and refused if it arrives later. Idempotent.
 */
export const VoidPaymentRequest = Type.Object(
  { orderId: Fields.id, reason: Fields.reason },
  { additionalProperties: false },
);
export type VoidPaymentRequest = Static<typeof VoidPaymentRequest>;

export const PaymentBody = Type.Object({
  id: Fields.id,
  orderId: Fields.id,
  productId: Type.Integer(),
  productName: Type.String(),
  productPrice: Type.Number(),
  qty: Type.Integer(),
  amount: Type.Number(),
  userId: Type.String(),
  username: Type.String(),
  address: Type.String(),
  phoneNo: Type.String(),
  payStatus: Type.String(),
  createdAt: Type.String(),
  updatedAt: Type.String(),
});
export type PaymentBody = Static<typeof PaymentBody>;
