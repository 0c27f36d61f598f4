import { DELIVERY_STATUS } from '@12street/contracts';

export type DeliveryStatus = (typeof DELIVERY_STATUS)[keyof typeof DELIVERY_STATUS];

/** What delivery keeps from the approved payment: where to go, what to bring, what was paid. */
export type DeliveryDetails = {
  orderId: number;
  productId: number;
  productName: string;
  qty: number;
  amount: number;
  userId: string;
  username: string;
  address: string;
  phoneNo: string;
};

export type Coupon = { couponId: number | null; couponKind: string | null; couponUseYn: 'Y' | 'N' | null };
const NO_COUPON: Coupon = { couponId: null, couponKind: null, couponUseYn: null };

/** The call to marketing a delivery still owes before it can move on. */
export type CouponWork = 'issue-coupon' | 'cancel-coupon';

/**
 * One delivery per order. It starts only once marketing issued the order's coupon, and is
 * cancelled only once marketing cancelled it. A cancelled delivery without details is a
 * placeholder: the payment was cancelled before it was approved, and the placeholder bars a late
 * approval from starting a delivery.
 */
export type Delivery = {
  id: number | null;
  orderId: number;
  userId: string;
  details: DeliveryDetails | null;
  deliveryStatus: DeliveryStatus;
  coupon: Coupon;
  pendingAction: CouponWork | null;
  attempts: number;
  /** Epoch milliseconds when the pending call to marketing is due. */
  nextAttemptAt: number;
  lastError: string | null;
  reason: string | null;
  createdAt: string;
  updatedAt: string;
};

const REASON_MAX = 200;
const reasonFrom = (text: string) => text.trim().slice(0, REASON_MAX) || 'payment canceled';

const due = (delivery: Delivery, work: CouponWork, now: Date): Delivery => ({
  ...delivery,
  pendingAction: work,
  attempts: 0,
  nextAttemptAt: now.getTime(),
  lastError: null,
  updatedAt: now.toISOString(),
});

/** A paid order is accepted once; it then waits for its coupon. */
export function acceptDelivery(existing: Delivery | undefined, details: DeliveryDetails, now: Date): Delivery | null {
  if (existing) return null;
  const at = now.toISOString();
  return due(
    {
      id: null,
      orderId: details.orderId,
      userId: details.userId,
      details,
      deliveryStatus: DELIVERY_STATUS.awaitingCoupon,
      coupon: NO_COUPON,
      pendingAction: null,
      attempts: 0,
      nextAttemptAt: 0,
      lastError: null,
      reason: null,
      createdAt: at,
      updatedAt: at,
    },
    'issue-coupon',
    now,
  );
}

export type Cancellation =
  | { outcome: 'cancel-pending'; delivery: Delivery }
  | { outcome: 'barred'; delivery: Delivery }
  | { outcome: 'unchanged' };

/**
 * A cancelled payment cancels the delivery, but only after marketing cancelled the coupon, so the
 * delivery first waits for that. With no delivery yet, a late approval is barred.
 */
export function requestCancellation(
  existing: Delivery | undefined,
  request: { orderId: number; userId: string; reason: string },
  now: Date,
): Cancellation {
  const at = now.toISOString();
  if (!existing) {
    return {
      outcome: 'barred',
      delivery: {
        id: null,
        orderId: request.orderId,
        userId: request.userId,
        details: null,
        deliveryStatus: DELIVERY_STATUS.canceled,
        coupon: NO_COUPON,
        pendingAction: null,
        attempts: 0,
        nextAttemptAt: 0,
        lastError: null,
        reason: reasonFrom(request.reason),
        createdAt: at,
        updatedAt: at,
      },
    };
  }
  const { deliveryStatus } = existing;
  if (deliveryStatus !== DELIVERY_STATUS.awaitingCoupon && deliveryStatus !== DELIVERY_STATUS.started) {
    return { outcome: 'unchanged' };
  }
  const pending = { ...existing, deliveryStatus: DELIVERY_STATUS.cancelPending, reason: reasonFrom(request.reason) };
  return { outcome: 'cancel-pending', delivery: due(pending, 'cancel-coupon', now) };
}

const finished = (delivery: Delivery, status: DeliveryStatus, coupon: Coupon, now: Date): Delivery => ({
  ...delivery,
  deliveryStatus: status,
  coupon,
  pendingAction: null,
  lastError: null,
  updatedAt: now.toISOString(),
});

/** The coupon arrived: the delivery starts, unless it has been cancelled meanwhile (then null). */
export function startDelivery(delivery: Delivery, coupon: Coupon, now: Date): Delivery | null {
  if (delivery.pendingAction !== 'issue-coupon') return null;
  return finished(delivery, DELIVERY_STATUS.started, coupon, now);
}

/** Marketing cancelled the coupon: now the delivery is cancelled (null if that already happened). */
export function completeCancellation(delivery: Delivery, now: Date): Delivery | null {
  if (delivery.pendingAction !== 'cancel-coupon') return null;
  return finished(delivery, DELIVERY_STATUS.canceled, delivery.coupon, now);
}

/**
 * Marketing did not settle the work: try again at retryAt. Null when the delivery has moved on
 * to other work meanwhile, which must not be postponed by this failure.
 */
export function postponeCouponWork(
  delivery: Delivery,
  work: CouponWork,
  failure: { error: string; retryAt: number },
  now: Date,
): Delivery | null {
  if (delivery.pendingAction !== work) return null;
  return {
    ...delivery,
    attempts: delivery.attempts + 1,
    nextAttemptAt: failure.retryAt,
    lastError: failure.error.slice(0, 2000),
    updatedAt: now.toISOString(),
  };
}
