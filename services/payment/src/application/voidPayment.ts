import type { InTransaction } from '@12street/platform';
import { type CancelPaymentDeps, cancelPaymentForOrder } from './cancelPaymentForOrder.ts';

/** order gave up on an order (timeout, crash): no approved payment may stay behind for it. */
export function voidPayment(deps: CancelPaymentDeps & { inTransaction: InTransaction }) {
  return (orderId: number, reason: string) =>
    deps.inTransaction((tx) => cancelPaymentForOrder(deps, tx, orderId, reason));
}
