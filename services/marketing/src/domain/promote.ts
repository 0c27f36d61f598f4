import { PROMOTE_STATUS } from '@12street/contracts';

export type PromoteStatus = (typeof PROMOTE_STATUS)[keyof typeof PROMOTE_STATUS];

/**
 * The coupon an order earns, decided by what was paid: a large order (50,000 won or more) earns a
 * 10% discount on the next order, any other order a flat 1,000 won off.
 */
export const COUPON_KIND = { tenPercentOff: '10% Discount', thousandWonOff: '1,000 Won Discount' } as const;
export type CouponKind = (typeof COUPON_KIND)[keyof typeof COUPON_KIND];
export const LARGE_ORDER_AMOUNT = 50_000;

export const couponKindFor = (amount: number): CouponKind =>
  amount >= LARGE_ORDER_AMOUNT ? COUPON_KIND.tenPercentOff : COUPON_KIND.thousandWonOff;

export type CouponRequest = { orderId: number; userId: string; username: string; phoneNo: string; amount: number };

/**
 * One promote per order. A cancelled promote without a coupon is a placeholder: the coupon was
 * cancelled before it was ever issued, and the placeholder bars issuing it later.
 */
export type Promote = {
  id: number | null;
  orderId: number;
  userId: string;
  username: string | null;
  phoneNo: string | null;
  couponId: number | null;
  couponKind: CouponKind | null;
  couponUseYn: 'Y' | 'N' | null;
  promoteStatus: PromoteStatus;
  reason: string | null;
  createdAt: string;
  updatedAt: string;
};

export class CouponRefused extends Error {
  override readonly name = 'CouponRefused';
}

export type Issue = { outcome: 'issued'; promote: Promote } | { outcome: 'already-issued'; promote: Promote };

/** Issuing is idempotent per order; an order whose coupon was cancelled never gets one. */
export function issueCoupon(existing: Promote | undefined, request: CouponRequest, now: Date): Issue {
  if (existing?.promoteStatus === PROMOTE_STATUS.published) return { outcome: 'already-issued', promote: existing };
  if (existing) throw new CouponRefused(`order ${request.orderId} gets no coupon: its coupon was cancelled`);
  const at = now.toISOString();
  return {
    outcome: 'issued',
    promote: {
      id: null,
      orderId: request.orderId,
      userId: request.userId,
      username: request.username,
      phoneNo: request.phoneNo,
      // The coupon's number is the promote's id, known once it is stored.
      couponId: null,
      couponKind: couponKindFor(request.amount),
      couponUseYn: 'N',
      promoteStatus: PROMOTE_STATUS.published,
      reason: null,
      createdAt: at,
      updatedAt: at,
    },
  };
}

export type CancelRequest = { orderId: number; userId: string; reason: string };

export type Cancellation =
  | { outcome: 'canceled'; promote: Promote }
  | { outcome: 'barred'; promote: Promote }
  | { outcome: 'unchanged'; promote: Promote };

/** Cancels an issued coupon; with none issued yet, bars it (the cancellation overtook the issue). */
export function cancelCoupon(existing: Promote | undefined, request: CancelRequest, now: Date): Cancellation {
  const at = now.toISOString();
  if (!existing) {
    return {
      outcome: 'barred',
      promote: {
        id: null,
        orderId: request.orderId,
        userId: request.userId,
        username: null,
        phoneNo: null,
        couponId: null,
        couponKind: null,
        couponUseYn: null,
        promoteStatus: PROMOTE_STATUS.canceled,
        reason: request.reason,
        createdAt: at,
        updatedAt: at,
      },
    };
  }
  if (existing.promoteStatus !== PROMOTE_STATUS.published) return { outcome: 'unchanged', promote: existing };
  return {
    outcome: 'canceled',
    promote: { ...existing, promoteStatus: PROMOTE_STATUS.canceled, reason: request.reason, updatedAt: at },
  };
}
