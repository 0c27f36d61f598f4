import {
  type Backoff,
  type InOrderTrace,
  type InTransaction,
  nextDelayMs,
  type RecordEvents,
} from '@12street/platform';
import type { Logger } from 'pino';
import {
  type Coupon,
  type CouponWork,
  completeCancellation,
  type Delivery,
  postponeCouponWork,
  startDelivery,
} from '../domain/delivery.ts';
import { deliveryCanceled, deliveryStarted, type EventMeta } from './deliveryEvents.ts';
import { type CouponDesk, CouponRefused, type DeliveryStore } from './ports.ts';

export type SettleCouponsDeps = EventMeta & {
  inTransaction: InTransaction;
  recordEvents: RecordEvents;
  deliveries: DeliveryStore;
  couponDesk: CouponDesk;
  backoff: Backoff;
  logger: Logger;
  batchSize?: number;
  /** Each delivery's work joins its order's trace. */
  inOrderTrace?: InOrderTrace;
};

type Answer = { ok: true; coupon: Coupon | null } | { ok: false; error: unknown };

/**
 * The coupon worker: makes the calls to marketing that deliveries owe. Marketing is asked outside
 * any transaction; its answer is applied to the delivery as it is by then, so a delivery cancelled
 * while its coupon was being issued is not started. A failed call is retried later with back-off.
 */
export function settleCoupons(deps: SettleCouponsDeps) {
  const batchSize = deps.batchSize ?? 20;

  const ask = async (delivery: Delivery, work: CouponWork): Promise<Answer> => {
    try {
      if (work === 'issue-coupon')
        return { ok: true, coupon: await deps.couponDesk.issueCoupon(couponRequestOf(delivery)) };
      const reason = delivery.reason ?? 'payment canceled';
      await deps.couponDesk.cancelCoupon({ orderId: delivery.orderId, userId: delivery.userId, reason });
      return { ok: true, coupon: null };
    } catch (error) {
      return { ok: false, error };
    }
  };

  const apply = (delivery: Delivery, work: CouponWork, answer: Answer) =>
    deps.inTransaction(async (tx) => {
      const current = await deps.deliveries.findDeliveryForOrder(tx, delivery.orderId);
      if (!current) return;
      const now = deps.clock();
      if (!answer.ok) {
        const retryAt = now.getTime() + nextDelayMs(current.attempts, deps.backoff);
        const postponed = postponeCouponWork(current, work, { error: describe(answer.error), retryAt }, now);
        if (postponed) await deps.deliveries.updateDelivery(tx, postponed);
        return;
      }
      const next =
        work === 'issue-coupon'
          ? startDelivery(current, answer.coupon ?? current.coupon, now)
          : completeCancellation(current, now);
      if (!next) return;
      await deps.deliveries.updateDelivery(tx, next);
      const stored = { ...next, id: next.id ?? 0 };
      const event = work === 'issue-coupon' ? deliveryStarted(stored, deps) : deliveryCanceled(stored, deps);
      await deps.recordEvents(tx, [event]);
    });

  const inOrderTrace: InOrderTrace = deps.inOrderTrace ?? ((_orderId, _name, work) => work());
  const settle = async (delivery: Delivery) => {
    const work = delivery.pendingAction;
    if (!work) return;
    await inOrderTrace(delivery.orderId, work, async () => {
      const answer = await ask(delivery, work);
      if (!answer.ok) report(deps.logger, delivery, work, answer.error);
      await apply(delivery, work, answer);
    });
  };

  return async () => {
    for (;;) {
      const due = await deps.inTransaction((tx) =>
        deps.deliveries.deliveriesDueForCoupon(tx, deps.clock().getTime(), batchSize),
      );
      for (const delivery of due) await settle(delivery);
      if (due.length < batchSize) return;
    }
  };
}

function couponRequestOf(delivery: Delivery) {
  const d = delivery.details;
  if (!d) throw new Error(`delivery for order ${delivery.orderId} has no details to ask a coupon for`);
  return { orderId: d.orderId, userId: d.userId, username: d.username, phoneNo: d.phoneNo, amount: d.amount };
}

const describe = (error: unknown) => (error instanceof Error ? error.message : String(error));

function report(logger: Logger, delivery: Delivery, work: CouponWork, error: unknown) {
  const context = { orderId: delivery.orderId, work, attempts: delivery.attempts + 1 };
  if (error instanceof CouponRefused) {
    // The coupon was cancelled at marketing: the payment's cancellation is on its way and will
    // switch this delivery to cancelling; until then it is only retried with back-off.
    logger.info(context, 'marketing refused the coupon; waiting for the cancellation');
    return;
  }
  logger.warn({ ...context, err: error }, 'marketing did not answer; will retry');
}
