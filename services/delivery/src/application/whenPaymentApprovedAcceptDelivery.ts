import type { PaymentApproved } from '@12street/contracts';
import type { Clock, EventPolicy } from '@12street/platform';
import { acceptDelivery } from '../domain/delivery.ts';
import type { DeliveryStore } from './ports.ts';

export type AcceptDeliveryDeps = { clock: Clock; deliveries: DeliveryStore };

/** A paid order is accepted for delivery and waits for its coupon; the coupon worker asks marketing. */
export function whenPaymentApprovedAcceptDelivery(deps: AcceptDeliveryDeps): EventPolicy<PaymentApproved> {
  return async (tx, event) => {
    const { payload: p } = event;
    const existing = await deps.deliveries.findDeliveryForOrder(tx, event.orderId);
    const accepted = acceptDelivery(
      existing,
      {
        orderId: event.orderId,
        productId: p.productId,
        productName: p.productName,
        qty: p.qty,
        amount: p.amount,
        userId: p.userId,
        username: p.username,
        address: p.address,
        phoneNo: p.phoneNo,
      },
      deps.clock(),
    );
    if (!accepted) return;
    await deps.deliveries.addDelivery(tx, accepted);
  };
}
