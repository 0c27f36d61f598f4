import type { InTransaction, RecordEvents } from '@12street/platform';
import { type CouponRequest, issueCoupon as decide, type Promote } from '../domain/promote.ts';
import type { PromoteStore } from './ports.ts';
import { couponPublished, type EventMeta } from './promoteEvents.ts';

export type IssueCouponDeps = EventMeta & {
  inTransaction: InTransaction;
  promotes: PromoteStore;
  recordEvents: RecordEvents;
};

/** delivery asks, synchronously: issue this order's coupon (once, however often it asks). */
export function issueCoupon(deps: IssueCouponDeps) {
  return (request: CouponRequest): Promise<{ created: boolean; promote: Promote }> =>
    deps.inTransaction(async (tx) => {
      const existing = await deps.promotes.findPromoteForOrder(tx, request.orderId);
      const issue = decide(existing, request, deps.clock());
      if (issue.outcome === 'already-issued') return { created: false, promote: issue.promote };
      const id = await deps.promotes.addPromote(tx, issue.promote);
      const promote = { ...issue.promote, id, couponId: id };
      await deps.promotes.updatePromote(tx, promote);
      await deps.recordEvents(tx, [couponPublished(promote, deps)]);
      return { created: true, promote };
    });
}
