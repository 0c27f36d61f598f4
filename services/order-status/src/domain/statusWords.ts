// The one place that says, in the customer's words, how far an order has come.
export const VIEW_STATUS = {
  orderPlaced: 'Order Placed',
  paymentApproved: 'Payment Approved',
  couponIssued: 'Coupon Issued',
  deliveryStarted: 'Delivery Started',
  cancellationInProgress: 'Cancellation In Progress',
  canceled: 'Order Canceled',
} as const;

export type ViewStatus = (typeof VIEW_STATUS)[keyof typeof VIEW_STATUS];

/** Each part of the saga as far as the events tell: not heard of, done, or undone. */
export type PartState = 'unknown' | 'done' | 'canceled';

export type SagaParts = { order: PartState; payment: PartState; coupon: PartState; delivery: PartState };

/**
 * Once anything was cancelled the order is on its way back: it is cancelled when every part known
 * to have happened was undone, and still in progress while one of them has not been yet.
 * Otherwise the status is the furthest step reached, whichever events arrived first.
 */
export function overallStatus(parts: SagaParts): ViewStatus {
  const states = Object.values(parts);
  if (states.includes('canceled')) {
    return states.includes('done') ? VIEW_STATUS.cancellationInProgress : VIEW_STATUS.canceled;
  }
  if (parts.delivery === 'done') return VIEW_STATUS.deliveryStarted;
  if (parts.coupon === 'done') return VIEW_STATUS.couponIssued;
  if (parts.payment === 'done') return VIEW_STATUS.paymentApproved;
  return VIEW_STATUS.orderPlaced;
}
