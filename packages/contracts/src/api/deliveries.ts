import Type, { type Static } from 'typebox';
import { Fields } from './fields.ts';

export const StockDeliveryBody = Type.Object({
  id: Fields.id,
  orderId: Fields.id,
  productId: Type.Integer(),
  productName: Type.String(),
  qty: Type.Integer(),
  userId: Type.String(),
  username: Type.String(),
  address: Type.String(),
  phoneNo: Type.String(),
  deliveryStatus: Type.String(),
  couponId: Type.Union([Type.Integer(), Type.Null()]),
  couponKind: Type.Union([Type.String(), Type.Null()]),
  couponUseYn: Type.Union([Type.Literal('Y'), Type.Literal('N'), Type.Null()]),
  createdAt: Type.String(),
  updatedAt: Type.String(),
});
export type StockDeliveryBody = Static<typeof StockDeliveryBody>;
