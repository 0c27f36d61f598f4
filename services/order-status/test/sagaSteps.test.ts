import assert from 'node:assert/strict';
import { test } from 'node:test';
import { envelope, type StreetEvent } from '@12street/contracts';
import { stepsCompletedBy } from '../src/domain/sagaSteps.ts';

const at = (seconds: number) => new Date(Date.UTC(2026, 10, 24, 12, 0, seconds));
const approved = envelope(
  'PaymentApproved',
  1,
  {
    paymentId: 1,
    productId: 1,
    productName: 'TV',
    productPrice: 100,
    qty: 1,
    amount: 100,
    userId: 'u',
    username: 'kim',
    address: 'Seoul',
    phoneNo: '010',
    payStatus: 'Pay Approved',
  },
  { eventId: 'approved', occurredAt: at(0) },
);
const coupon = envelope(
  'CouponPublished',
  1,
  { couponId: 1, couponKind: 'K', couponUseYn: 'N', userId: 'u', promoteStatus: 'Coupon Published' },
  { eventId: 'coupon', occurredAt: at(2) },
);
const started = envelope(
  'DeliveryStarted',
  1,
  {
    deliveryId: 1,
    userId: 'u',
    address: 'Seoul',
    deliveryStatus: 'Delivery Started',
    couponId: 1,
    couponKind: 'K',
    couponUseYn: 'N',
  },
  { eventId: 'started', occurredAt: at(3) },
);

test('an event that ends a step measures it from the event that began it', () => {
  const events: StreetEvent[] = [approved, coupon, started];
  assert.deepEqual(stepsCompletedBy(coupon, events), [{ step: 'coupon', seconds: 2 }]);
  assert.deepEqual(stepsCompletedBy(started, events), [{ step: 'delivery', seconds: 3 }]);
});

test('a step whose beginning arrives last is measured when it arrives, and an unfinished step not at all', () => {
  assert.deepEqual(stepsCompletedBy(approved, [coupon, approved]), [{ step: 'coupon', seconds: 2 }]);
  assert.deepEqual(stepsCompletedBy(approved, [approved]), []);
  assert.deepEqual(stepsCompletedBy(coupon, [coupon]), []);
});
