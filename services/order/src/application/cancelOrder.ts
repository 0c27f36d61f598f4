import type { InTransaction, RecordEvents, TraceContext } from '@12street/platform';
import { cancelOrder as decide, ORDER_STATES, type Order, OrderAlreadyCanceled } from '../domain/order.ts';
import { type EventMeta, orderCanceled } from './orderEvents.ts';
import type { OrderStore } from './ports.ts';

export type CancelOrderDeps = EventMeta & {
  inTransaction: InTransaction;
  orders: OrderStore;
  recordEvents: RecordEvents;
};

/** The customer cancels a placed order; payment, delivery and marketing follow the event. */
export function cancelOrder(deps: CancelOrderDeps) {
  return (id: number, reason?: string, trace: TraceContext = {}): Promise<Order & { id: number }> =>
    deps.inTransaction(async (tx) => {
      const current = await deps.orders.findOrder(tx, id);
      const canceled = { ...decide(current, id, reason, deps.clock()), id };
      // Only a placed order is cancelled, so whoever changed it first cancelled it.
      if (!(await deps.orders.updateOrder(tx, canceled, ORDER_STATES.placed))) throw new OrderAlreadyCanceled(id);
      await deps.recordEvents(tx, [orderCanceled(canceled, deps)], trace);
      return canceled;
    });
}
