import { PAY_STATUS } from '@12street/contracts';

export type PayStatus = (typeof PAY_STATUS)[keyof typeof PAY_STATUS];

export type PaymentDetails = {
  orderId: number;
  productId: number;
  productName: string;
  productPrice: number;
  qty: number;
  userId: string;
  username: string;
  address: string;
  phoneNo: string;
};

/**
 * One payment per order. A voided payment is the order service's "I gave up on this order": it
 * may have been approved before (then it is cancelled) or not yet (then it bars a late approval).
 */
export type Payment = {
  id: number | null;
  orderId: number;
  details: PaymentDetails | null;
  amount: number | null;
  payStatus: PayStatus;
  reason: string | null;
  createdAt: string;
  updatedAt: string;
};

export class PaymentRefused extends Error {
  override readonly name = 'PaymentRefused';
}

export const amountOf = (d: PaymentDetails) => Math.round(d.productPrice * d.qty * 100) / 100;

export type Approval = { outcome: 'approved'; payment: Payment } | { outcome: 'already-approved'; payment: Payment };

/** Approving is idempotent per order; an order that was voided or cancelled is never approved. */
export function approvePayment(existing: Payment | undefined, details: PaymentDetails, now: Date): Approval {
  if (existing?.payStatus === PAY_STATUS.approved) return { outcome: 'already-approved', payment: existing };
  if (existing)
    throw new PaymentRefused(`order ${details.orderId} cannot be paid: its payment is "${existing.payStatus}"`);
  const at = now.toISOString();
  return {
    outcome: 'approved',
    payment: {
      id: null,
      orderId: details.orderId,
      details,
      amount: amountOf(details),
      payStatus: PAY_STATUS.approved,
      reason: null,
      createdAt: at,
      updatedAt: at,
    },
  };
}

export type Cancellation =
  | { outcome: 'canceled'; payment: Payment }
  | { outcome: 'barred'; payment: Payment }
  | { outcome: 'unchanged'; payment: Payment };

/**
 * Cancels an approved payment. With no payment yet, the order is barred from being paid later
 * (an OrderCanceled or a void can overtake the approval it cancels).
 */
export function cancelPayment(existing: Payment | undefined, orderId: number, reason: string, now: Date): Cancellation {
  const at = now.toISOString();
  if (!existing) {
    return {
      outcome: 'barred',
      payment: {
        id: null,
        orderId,
        details: null,
        amount: null,
        payStatus: PAY_STATUS.voided,
        reason,
        createdAt: at,
        updatedAt: at,
      },
    };
  }
  if (existing.payStatus !== PAY_STATUS.approved) return { outcome: 'unchanged', payment: existing };
  return { outcome: 'canceled', payment: { ...existing, payStatus: PAY_STATUS.canceled, reason, updatedAt: at } };
}
