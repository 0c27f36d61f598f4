import type { RecordEvents, Tx } from '@12street/platform';
import { cancelPayment, type Payment } from '../domain/payment.ts';
import { type EventMeta, paymentCanceled } from './paymentEvents.ts';
import type { PaymentStore } from './ports.ts';

export type CancelPaymentDeps = EventMeta & { payments: PaymentStore; recordEvents: RecordEvents };

/** Shared by the OrderCanceled policy and the void command: cancel, or bar a later approval. */
export async function cancelPaymentForOrder(
  deps: CancelPaymentDeps,
  tx: Tx,
  orderId: number,
  reason: string,
): Promise<Payment> {
  const existing = await deps.payments.findPaymentForOrder(tx, orderId);
  const result = cancelPayment(existing, orderId, reason, deps.clock());
  if (result.outcome === 'barred') {
    const id = await deps.payments.addPayment(tx, result.payment);
    return { ...result.payment, id };
  }
  if (result.outcome === 'canceled') {
    await deps.payments.updatePayment(tx, result.payment);
    await deps.recordEvents(tx, [paymentCanceled({ ...result.payment, id: result.payment.id ?? 0 }, deps)]);
  }
  return result.payment;
}
