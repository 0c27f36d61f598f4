import type { InTransaction, RecordEvents } from '@12street/platform';
import { approvePayment as decide, type Payment, type PaymentDetails } from '../domain/payment.ts';
import { type EventMeta, paymentApproved } from './paymentEvents.ts';
import type { PaymentStore } from './ports.ts';

export type ApprovePaymentDeps = EventMeta & {
  inTransaction: InTransaction;
  payments: PaymentStore;
  recordEvents: RecordEvents;
};

/** order asks, synchronously: approve this order's payment (once, however often it asks). */
export function approvePayment(deps: ApprovePaymentDeps) {
  return (details: PaymentDetails): Promise<{ created: boolean; payment: Payment }> =>
    deps.inTransaction(async (tx) => {
      const existing = await deps.payments.findPaymentForOrder(tx, details.orderId);
      const approval = decide(existing, details, deps.clock());
      if (approval.outcome === 'already-approved') return { created: false, payment: approval.payment };
      const id = await deps.payments.addPayment(tx, approval.payment);
      const payment = { ...approval.payment, id };
      await deps.recordEvents(tx, [paymentApproved(payment, deps)]);
      return { created: true, payment };
    });
}
