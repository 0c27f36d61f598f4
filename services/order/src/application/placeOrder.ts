import type { InTransaction, RecordEvents, TraceContext } from '@12street/platform';
import {
  completeOrder,
  ORDER_STATES,
  type Order,
  type OrderDetails,
  rejectOrder,
  startOrder,
} from '../domain/order.ts';
import { type EventMeta, orderPlaced } from './orderEvents.ts';
import { type OrderStore, type PaymentDesk, PaymentRefused } from './ports.ts';

export type PlaceOrderDeps = EventMeta & {
  inTransaction: InTransaction;
  orders: OrderStore;
  recordEvents: RecordEvents;
  paymentDesk: PaymentDesk;
  /** Wakes the settle worker: a rejected order may have left an approved payment behind. */
  settlePaymentsSoon(): void;
};

/**
 * The customer orders and payment is asked at once. The order is written before payment is asked
 * (so payment has its id, and a crash while asking leaves a pending order to repair) and becomes
 * an order only when payment approved it; payment is never asked inside a transaction.
 */
export function placeOrder(deps: PlaceOrderDeps) {
  return async (details: OrderDetails, trace: TraceContext = {}): Promise<Order & { id: number }> => {
    const pending = await deps.inTransaction(async (tx) => {
      const order = startOrder(details, deps.clock());
      return { ...order, id: await deps.orders.addOrder(tx, order) };
    });

    try {
      await deps.paymentDesk.approvePayment({ orderId: pending.id, ...details });
    } catch (error) {
      const refused = error instanceof PaymentRefused;
      await reject(deps, pending.id, { reason: describe(error), paymentSettled: refused });
      if (!refused) deps.settlePaymentsSoon();
      throw error;
    }

    return deps.inTransaction(async (tx) => {
      const current = await deps.orders.findOrder(tx, pending.id);
      if (!current) throw new Error(`order ${pending.id} vanished while payment approved it`);
      const placed = completeOrder(current, deps.clock());
      if (!placed) return { ...current, id: pending.id };
      if (!(await deps.orders.updateOrder(tx, placed, ORDER_STATES.pending))) {
        throw new Error(`order ${pending.id} changed while it was being placed`);
      }
      const stored = { ...placed, id: pending.id };
      await deps.recordEvents(tx, [orderPlaced(stored, deps)], trace);
      return stored;
    });
  };
}

async function reject(
  deps: PlaceOrderDeps,
  id: number,
  rejection: { reason: string; paymentSettled: boolean },
): Promise<void> {
  await deps.inTransaction(async (tx) => {
    const current = await deps.orders.findOrder(tx, id);
    const rejected = current && rejectOrder(current, rejection, deps.clock());
    if (rejected) await deps.orders.updateOrder(tx, rejected, ORDER_STATES.pending);
  });
}

const describe = (error: unknown) =>
  `payment did not approve: ${error instanceof Error ? error.message : String(error)}`;
