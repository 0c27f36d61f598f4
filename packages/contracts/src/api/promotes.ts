import Type, { type Static } from 'typebox';
import { Fields } from './fields.ts';

/** delivery → marketing, synchronous. Idempotent by orderId: one coupon per order. */
export const IssueCouponRequest = Type.Object(
  {
    orderId: Fields.id,
    userId: Fields.userId,
    username: Fields.username,
    phoneNo: Fields.phoneNo,
    amount: Fields.amount,
  },
  { additionalProperties: false },
);
export type IssueCouponRequest = Static<typeof IssueCouponRequest>;

/** delivery → marketing: cancel the order's coupon; also bars a coupon that was never issued. Idempotent. */
export const CancelCouponRequest = Type.Object(
  { orderId: Fields.id, userId: Fields.userId, reason: Fields.reason },
  { additionalProperties: false },
);
export type CancelCouponRequest = Static<typeof CancelCouponRequest>;

export const PromoteBody = Type.Object({
  id: Fields.id,
  orderId: Fields.id,
  userId: Type.String(),
  username: Type.String(),
  phoneNo: Type.String(),
  couponId: Type.Union([Type.Integer(), Type.Null()]),
  couponKind: Type.Union([Type.String(), Type.Null()]),
  couponUseYn: Type.Union([Type.Literal('Y'), Type.Literal('N'), Type.Null()]),
  promoteStatus: Type.String(),
  createdAt: Type.String(),
  updatedAt: Type.String(),
});
export type PromoteBody = Static<typeof PromoteBody>;
