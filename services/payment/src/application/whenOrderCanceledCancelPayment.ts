import type { OrderCanceled } from '@12street/contracts';
import type { EventPolicy } from '@12street/platform';
import { type CancelPaymentDeps, cancelPaymentForOrder } from './cancelPaymentForOrder.ts';

export function whenOrderCanceledCancelPayment(deps: CancelPaymentDeps): EventPolicy<OrderCanceled> {
  return async (tx, event) => {
    await cancelPaymentForOrder(deps, tx, event.orderId, event.payload.reason);
  };
}
