import type { InTransaction, RecordEvents } from '@12street/platform';
import { type CancelRequest, cancelCoupon as decide, type Promote } from '../domain/promote.ts';
import type { PromoteStore } from './ports.ts';
import { couponCanceled, type EventMeta } from './promoteEvents.ts';

export type CancelCouponDeps = EventMeta & {
  inTransaction: InTransaction;
  promotes: PromoteStore;
  recordEvents: RecordEvents;
};

/** delivery asks, synchronously: cancel this order's coupon, or bar it if it was never issued. */
export function cancelCoupon(deps: CancelCouponDeps) {
  return (request: CancelRequest): Promise<Promote> =>
    deps.inTransaction(async (tx) => {
      const existing = await deps.promotes.findPromoteForOrder(tx, request.orderId);
      const result = decide(existing, request, deps.clock());
      if (result.outcome === 'barred') {
        const id = await deps.promotes.addPromote(tx, result.promote);
        return { ...result.promote, id };
      }
      if (result.outcome === 'canceled') {
        await deps.promotes.updatePromote(tx, result.promote);
        await deps.recordEvents(tx, [couponCanceled(result.promote, deps)]);
      }
      return result.promote;
    });
}
