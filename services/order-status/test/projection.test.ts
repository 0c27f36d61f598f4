import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DELIVERY_STATUS, ORDER_STATUS, PAY_STATUS, PROMOTE_STATUS, type StreetEvent } from '@12street/contracts';
import { projectOrderStatus } from '../src/domain/orderStatusView.ts';
import { permutations, sagaOf, shuffled } from './events.ts';

test('a delivered order shows its details, every step and the furthest status', () => {
  const saga = sagaOf(7);
  const view = projectOrderStatus(saga.happy);
  assert.deepEqual(
    { ...view, timeline: undefined },
    {
      orderId: 7,
      userId: 'u7',
      username: 'kim',
      productId: 1,
      productName: 'TV',
      productPrice: 7000,
      qty: 1,
      address: 'Seoul',
      phoneNo: '010-1234-5678',
      orderStatus: ORDER_STATUS.placed,
      payStatus: PAY_STATUS.approved,
      couponId: 507,
      couponKind: 'DISCOUNT',
      couponUseYn: 'N',
      promoteStatus: PROMOTE_STATUS.published,
      deliveryStatus: DELIVERY_STATUS.started,
      status: 'Delivery Started',
      timeline: undefined,
    },
  );
  assert.deepEqual(
    view.timeline.map((e) => [e.eventType, e.service]),
    [
      ['OrderPlaced', 'order'],
      ['PaymentApproved', 'payment'],
      ['CouponPublished', 'marketing'],
      ['DeliveryStarted', 'delivery'],
    ],
  );
  assert.deepEqual(view.timeline[0], {
    eventId: '7-placed',
    eventType: 'OrderPlaced',
    service: 'order',
    occurredAt: '2024-05-01T09:00:00.000Z',
  });
});

test('the status names the furthest step reached, in the customer words', () => {
  const saga = sagaOf(1);
  const steps = [
    [[saga.placed], 'Order Placed'],
    [[saga.placed, saga.approved], 'Payment Approved'],
    [[saga.placed, saga.approved, saga.published], 'Coupon Issued'],
    [[saga.placed, saga.approved, saga.published, saga.started], 'Delivery Started'],
    // A later step known before an earlier one still counts as reached.
    [[saga.started], 'Delivery Started'],
    [[saga.approved], 'Payment Approved'],
  ] as const;
  for (const [events, status] of steps) {
    assert.equal(projectOrderStatus(events).status, status, events.map((e) => e.eventType).join());
  }
});

test('a fully compensated order is cancelled, and keeps what it was', () => {
  const view = projectOrderStatus(sagaOf(3).canceled);
  assert.equal(view.status, 'Order Canceled');
  assert.equal(view.orderStatus, ORDER_STATUS.canceled);
  assert.equal(view.payStatus, PAY_STATUS.canceled);
  assert.equal(view.promoteStatus, PROMOTE_STATUS.canceled);
  assert.equal(view.deliveryStatus, DELIVERY_STATUS.canceled);
  assert.equal(view.couponId, 503, 'the coupon that was cancelled is still shown');
  assert.equal(view.productName, 'TV');
  assert.equal(view.timeline.length, 8);
});

test('a cancellation is in progress until every step that happened was undone', () => {
  const s = sagaOf(4);
  const inProgress = [
    [...s.happy, s.orderCanceled],
    [...s.happy, s.orderCanceled, s.paymentCanceled],
    [...s.happy, s.orderCanceled, s.paymentCanceled, s.deliveryCanceled],
    [...s.happy, s.paymentCanceled, s.deliveryCanceled, s.couponCanceled],
    [s.placed, s.approved, s.orderCanceled],
  ];
  for (const events of inProgress) {
    assert.equal(projectOrderStatus(events).status, 'Cancellation In Progress', events.map((e) => e.eventType).join());
  }
  assert.equal(projectOrderStatus([s.placed, s.orderCanceled]).status, 'Order Canceled', 'nothing else to undo');
  assert.equal(
    projectOrderStatus([s.placed, s.approved, s.orderCanceled, s.paymentCanceled]).status,
    'Order Canceled',
    'cancelled before any delivery was known',
  );
});

test('a cancellation outranks the step it undoes whichever arrives last', () => {
  const s = sagaOf(5);
  const view = projectOrderStatus([
    s.couponCanceled,
    s.deliveryCanceled,
    s.paymentCanceled,
    s.orderCanceled,
    ...s.happy,
  ]);
  assert.equal(view.orderStatus, ORDER_STATUS.canceled);
  assert.equal(view.payStatus, PAY_STATUS.canceled);
  assert.equal(view.deliveryStatus, DELIVERY_STATUS.canceled);
  assert.equal(view.status, 'Order Canceled');
});

test('the details come from the payment when the order event has not arrived', () => {
  const s = sagaOf(6);
  const view = projectOrderStatus([s.approved, s.started]);
  assert.equal(view.productPrice, 6000);
  assert.equal(view.username, 'kim');
  assert.equal(view.orderStatus, null);
  const onlyCoupon = projectOrderStatus([s.published]);
  assert.equal(onlyCoupon.userId, 'u6', 'any event tells whose order it is');
  assert.equal(onlyCoupon.productName, null);
});

test('every arrival order of a full cancelled saga gives the same view', () => {
  const events = sagaOf(8).canceled;
  const expected = projectOrderStatus(events);
  let count = 0;
  for (const arrival of permutations(events)) {
    assert.deepEqual(projectOrderStatus(arrival), expected);
    count++;
  }
  assert.equal(count, 40_320);
});

test('many random orders converge whatever the arrival order and however often events come', () => {
  let seed = 17;
  const random = (n: number) => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return seed % n;
  };
  for (let orderId = 1; orderId <= 200; orderId++) {
    const saga = sagaOf(orderId).canceled;
    const known = saga.filter(() => random(3) > 0);
    if (known.length === 0) continue;
    const expected = projectOrderStatus(known);
    for (let round = 0; round < 10; round++) {
      const repeated: StreetEvent[] = [...known, ...known.filter(() => random(2) === 0)];
      assert.deepEqual(projectOrderStatus(shuffled(repeated, orderId * 100 + round)), expected, `order ${orderId}`);
    }
  }
});

test('a duplicated event is counted once', () => {
  const s = sagaOf(9);
  const once = projectOrderStatus(s.happy);
  const twice = projectOrderStatus([...s.happy, s.placed, s.started, { ...s.started }]);
  assert.deepEqual(twice, once);
  assert.equal(twice.timeline.length, 4);
});

test('events that share a timestamp are ordered by event id', () => {
  const s = sagaOf(10);
  const at = '2024-05-01T10:00:00.000Z';
  const view = projectOrderStatus([
    { ...s.approved, occurredAt: at },
    { ...s.placed, occurredAt: at },
  ]);
  assert.deepEqual(
    view.timeline.map((e) => e.eventId),
    ['10-approved', '10-placed'],
  );
});
