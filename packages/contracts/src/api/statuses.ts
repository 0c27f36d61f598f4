// The human status words each resource shows, as the original's clients read them.
export const ORDER_STATUS = { placed: 'Ordered', canceled: 'Order Canceled' } as const;
export const PAY_STATUS = { approved: 'Pay Approved', canceled: 'Pay Canceled', voided: 'Pay Voided' } as const;
export const PROMOTE_STATUS = { published: 'Coupon Published', canceled: 'Coupon Canceled' } as const;
export const DELIVERY_STATUS = {
  awaitingCoupon: 'Awaiting Coupon',
  started: 'Delivery Started',
  cancelPending: 'Cancel Pending',
  canceled: 'Delivery Canceled',
} as const;
