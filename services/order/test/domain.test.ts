import assert from 'node:assert/strict';
import { test } from 'node:test';
import { sampleOrder } from '@12street/testkit';
import {
  cancelOrder,
  completeOrder,
  DEFAULT_CANCEL_REASON,
  isCustomerVisible,
  isStalePending,
  OnlyCancellationCanBePatched,
  ORDER_STATES,
  type Order,
  OrderAbandoned,
  OrderAlreadyCanceled,
  type OrderDetails,
  OrderNotFound,
  rejectOrder,
  requireCancellationPatch,
  settlePayment,
  startOrder,
} from '../src/domain/order.ts';

const details = sampleOrder() as OrderDetails;
const t0 = new Date('2024-05-01T10:00:00.000Z');
const later = new Date('2024-05-01T10:00:05.000Z');
const stored = (order: Order): Order => ({ ...order, id: 7 });
const pending = () => stored(startOrder(details, t0));
const placed = () => completeOrder(pending(), later) as Order;
const rejected = (paymentSettled: boolean) =>
  rejectOrder(pending(), { reason: 'payment timed out', paymentSettled }, later) as Order;

test('a new order waits for payment and is not yet an order the customer sees', () => {
  const order = startOrder(details, t0);
  assert.equal(order.orderStatus, ORDER_STATES.pending);
  assert.equal(order.createdAt, t0.toISOString());
  assert.equal(order.paymentSettled, false);
  assert.equal(isCustomerVisible(order), false);
});

test('an approved order is placed and becomes visible; placing it again changes nothing', () => {
  const order = placed();
  assert.equal(order.orderStatus, 'Ordered');
  assert.equal(order.updatedAt, later.toISOString());
  assert.equal(isCustomerVisible(order), true);
  assert.equal(completeOrder(order, later), null);
});

test('an order given up on cannot be placed by a late approval', () => {
  assert.throws(() => completeOrder(rejected(false), later), OrderAbandoned);
});

test('a rejected order keeps its reason, stays invisible, and says whether its payment is settled', () => {
  const unknown = rejected(false);
  assert.equal(unknown.orderStatus, ORDER_STATES.rejected);
  assert.equal(unknown.reason, 'payment timed out');
  assert.equal(unknown.paymentSettled, false);
  assert.equal(isCustomerVisible(unknown), false);
  assert.equal(rejected(true).paymentSettled, true);
  assert.equal(rejectOrder(pending(), { reason: 'x'.repeat(500), paymentSettled: false }, later)?.reason?.length, 200);
});

test('only an order still waiting for payment can be rejected', () => {
  assert.equal(rejectOrder(placed(), { reason: 'late', paymentSettled: false }, later), null);
  assert.equal(rejectOrder(rejected(true), { reason: 'again', paymentSettled: false }, later), null);
});

test("settling marks a rejected order's void as confirmed, once", () => {
  const settled = settlePayment(rejected(false), later);
  assert.equal(settled?.paymentSettled, true);
  assert.equal(settlePayment(settled as Order, later), null);
  assert.equal(settlePayment(rejected(true), later), null);
  assert.equal(settlePayment(placed(), later), null);
  assert.equal(settlePayment(pending(), later), null);
});

test('a pending order is stale only once it has waited the whole period', () => {
  const order = pending();
  assert.equal(isStalePending(order, new Date(t0.getTime() + 29_999), 30_000), false);
  assert.equal(isStalePending(order, new Date(t0.getTime() + 30_000), 30_000), true);
  assert.equal(isStalePending(placed(), new Date(t0.getTime() + 60_000), 30_000), false);
});

test('a placed order is cancelled with the reason given, or the default one', () => {
  const canceled = cancelOrder(placed(), 7, 'changed my mind', later);
  assert.equal(canceled.orderStatus, 'Order Canceled');
  assert.equal(canceled.reason, 'changed my mind');
  assert.equal(isCustomerVisible(canceled), true);
  assert.equal(cancelOrder(placed(), 7, undefined, later).reason, DEFAULT_CANCEL_REASON);
  assert.equal(cancelOrder(placed(), 7, '   ', later).reason, DEFAULT_CANCEL_REASON);
});

test('a cancelled order cannot be cancelled twice', () => {
  const canceled = cancelOrder(placed(), 7, undefined, later);
  assert.throws(() => cancelOrder(canceled, 7, undefined, later), OrderAlreadyCanceled);
});

test('an unknown, pending or rejected order cannot be cancelled: for the customer it does not exist', () => {
  assert.throws(() => cancelOrder(undefined, 9, undefined, later), OrderNotFound);
  assert.throws(() => cancelOrder(pending(), 7, undefined, later), OrderNotFound);
  assert.throws(() => cancelOrder(rejected(true), 7, undefined, later), OrderNotFound);
});

test('the original PATCH may only ask for cancellation', () => {
  assert.doesNotThrow(() => requireCancellationPatch({ orderStatus: 'Order Canceled' }));
  for (const orderStatus of ['Ordered', 'Delivered', 'order canceled', ''])
    assert.throws(() => requireCancellationPatch({ orderStatus }), OnlyCancellationCanBePatched, orderStatus);
});
