import { type CouponCanceled, type CouponPublished, envelope } from '@12street/contracts';
import type { Clock, NewId } from '@12street/platform';
import type { Promote } from '../domain/promote.ts';

export type EventMeta = { clock: Clock; newId: NewId };

const couponOf = (p: Promote) => ({
  couponId: p.couponId,
  couponKind: p.couponKind,
  couponUseYn: p.couponUseYn,
  userId: p.userId,
  promoteStatus: p.promoteStatus,
});

export function couponPublished(promote: Promote, meta: EventMeta): CouponPublished {
  return envelope('CouponPublished', promote.orderId, couponOf(promote), {
    eventId: meta.newId(),
    occurredAt: meta.clock(),
  });
}

export function couponCanceled(promote: Promote, meta: EventMeta): CouponCanceled {
  return envelope('CouponCanceled', promote.orderId, couponOf(promote), {
    eventId: meta.newId(),
    occurredAt: meta.clock(),
  });
}
