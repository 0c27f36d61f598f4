import Type from 'typebox';

/** Field rules shared by every resource that carries an order's details. */
export const Fields = {
  id: Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER }),
  productId: Type.Integer({ minimum: 1, maximum: 2_147_483_647 }),
  productName: Type.String({ minLength: 1, maxLength: 200 }),
  productPrice: Type.Number({ minimum: 0, maximum: 1_000_000_000 }),
  /** price × qty */
  amount: Type.Number({ minimum: 0, maximum: 10_000_000_000_000 }),
  qty: Type.Integer({ minimum: 1, maximum: 10_000 }),
  userId: Type.String({ minLength: 1, maxLength: 100 }),
  username: Type.String({ minLength: 1, maxLength: 100 }),
  address: Type.String({ minLength: 1, maxLength: 500 }),
  phoneNo: Type.String({ minLength: 1, maxLength: 30, pattern: '^[0-9+() -]+$' }),
  reason: Type.String({ minLength: 1, maxLength: 200 }),
};

export const IdParams = Type.Object({ id: Fields.id }, { additionalProperties: false });
export const OrderIdQuery = Type.Object({ orderId: Fields.id }, { additionalProperties: false });
