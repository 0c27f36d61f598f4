import type { InTransaction, RecordEvents } from '@12street/platform';
import type { Logger } from 'pino';
import {
  completeOrder,
  isStalePending,
  ORDER_STATES,
  type Order,
  rejectOrder,
  settlePayment,
} from '../domain/order.ts';
import { type EventMeta, orderPlaced } from './orderEvents.ts';
import type { OrderStore, PaymentDesk } from './ports.ts';

export type SettleOpenPaymentsDeps = EventMeta & {
  inTransaction: InTransaction;
  recordEvents: RecordEvents;
  orders: OrderStore;
  paymentDesk: PaymentDesk;
  /** How long an order may wait for payment before its request is taken for dead. */
  stalePendingMs: number;
  logger: Logger;
  batchSize?: number;
};

/**
 * The settle worker keeps both sides agreeing: a rejected order leaves no approved payment behind
 * (payment is told to void it), and an order whose request died between payment's approval and
 * its own commit is repaired from what payment says. A failed call is retried on a later run.
 */
export function settleOpenPayments(deps: SettleOpenPaymentsDeps) {
  const batchSize = deps.batchSize ?? 50;

  const resolveStalePending = async (order: Order & { id: number }) => {
    const paid = await deps.paymentDesk.hasApprovedPayment(order.id);
    await deps.inTransaction(async (tx) => {
      const current = await deps.orders.findOrder(tx, order.id);
      if (current?.orderStatus !== ORDER_STATES.pending) return;
      const now = deps.clock();
      if (paid) {
        const placed = completeOrder(current, now);
        if (placed && (await deps.orders.updateOrder(tx, placed, ORDER_STATES.pending))) {
          await deps.recordEvents(tx, [orderPlaced({ ...placed, id: order.id }, deps)]);
        }
        return;
      }
      // Not paid as far as payment knows; the void below also bars an approval still on its way.
      const rejection = { reason: 'payment never answered; order abandoned', paymentSettled: false };
      const rejected = rejectOrder(current, rejection, now);
      if (rejected) await deps.orders.updateOrder(tx, rejected, ORDER_STATES.pending);
    });
  };

  const voidPayment = async (order: Order & { id: number }) => {
    await deps.paymentDesk.voidPayment({ orderId: order.id, reason: order.reason ?? 'order rejected' });
    await deps.inTransaction(async (tx) => {
      const current = await deps.orders.findOrder(tx, order.id);
      const settled = current && settlePayment(current, deps.clock());
      if (settled) await deps.orders.updateOrder(tx, settled, ORDER_STATES.rejected);
    });
  };

  /** Runs each order's work; false if any failed, so the batch is not fetched again this run. */
  const each = async (orders: Order[], work: (order: Order & { id: number }) => Promise<void>, what: string) => {
    let allDone = true;
    for (const order of orders) {
      const id = order.id ?? 0;
      try {
        await work({ ...order, id });
      } catch (error) {
        allDone = false;
        deps.logger.warn({ err: error, orderId: id }, `${what} failed; will retry`);
      }
    }
    return allDone;
  };

  return async () => {
    for (;;) {
      const now = deps.clock();
      const cutoff = new Date(now.getTime() - deps.stalePendingMs);
      const stale = await deps.inTransaction((tx) => deps.orders.pendingOrdersCreatedBy(tx, cutoff, batchSize));
      const staleDone = await each(
        stale.filter((o) => isStalePending(o, now, deps.stalePendingMs)),
        resolveStalePending,
        'repairing a stale pending order',
      );
      const rejected = await deps.inTransaction((tx) => deps.orders.rejectedOrdersToSettle(tx, batchSize));
      const voidsDone = await each(rejected, voidPayment, 'voiding the payment of a rejected order');
      const more = (staleDone && stale.length === batchSize) || (voidsDone && rejected.length === batchSize);
      if (!more) return;
    }
  };
}
