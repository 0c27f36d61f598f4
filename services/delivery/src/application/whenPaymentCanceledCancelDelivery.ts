import type { PaymentCanceled } from '@12street/contracts';
import type { Clock, EventPolicy } from '@12street/platform';
import { requestCancellation } from '../domain/delivery.ts';
import type { DeliveryStore } from './ports.ts';

export type CancelDeliveryDeps = { clock: Clock; deliveries: DeliveryStore };

/**
 * A cancelled payment cancels the delivery once marketing cancelled the coupon (the coupon worker
 * asks); a cancellation that overtook the approval bars the delivery from ever starting.
 */
export function whenPaymentCanceledCancelDelivery(deps: CancelDeliveryDeps): EventPolicy<PaymentCanceled> {
  return async (tx, event) => {
    const existing = await deps.deliveries.findDeliveryForOrder(tx, event.orderId);
    const result = requestCancellation(
      existing,
      { orderId: event.orderId, userId: event.payload.userId, reason: event.payload.reason },
      deps.clock(),
    );
    if (result.outcome === 'barred') await deps.deliveries.addDelivery(tx, result.delivery);
    if (result.outcome === 'cancel-pending') {
      await deps.deliveries.updateDelivery(tx, result.delivery);
    }
  };
}
