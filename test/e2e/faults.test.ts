import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DELIVERY_STATUS, ORDER_STATUS, PAY_STATUS } from '@12street/contracts';
import { eventually, sampleOrder } from '@12street/testkit';
import { opsClient, startSystem } from './support.ts';

test('marketing down: orders and payments carry on, deliveries wait, then finish by themselves', async (t) => {
  const system = await startSystem(t);
  const api = await opsClient(system);
  system.faults.marketing.set({ kind: 'down' });

  const ids: number[] = [];
  for (let i = 0; i < 3; i++) {
    const reply = await api.post('/orders', sampleOrder({ userId: `u${i}` }));
    assert.equal(reply.status, 201, 'placing an order does not need marketing');
    ids.push(reply.body.id);
  }
  const waiting = await eventually(
    async () => {
      const all = await api.all('/stockDeliveries', 'stockDeliveries');
      return all.length === 3 && all.every((d) => d.deliveryStatus === DELIVERY_STATUS.awaitingCoupon) && all;
    },
    { what: 'deliveries awaiting their coupon' },
  );
  assert.ok(waiting.every((d) => d.couponId === null));
  const payments = await api.all('/payments', 'payments');
  assert.equal(payments.filter((p) => p.payStatus === PAY_STATUS.approved).length, 3);
  await eventually(() => system.breakers.marketing.state === 'open', { what: 'marketing breaker open' });

  system.faults.marketing.set({ kind: 'none' });
  await eventually(
    async () => {
      const all = await api.all('/stockDeliveries', 'stockDeliveries');
      return all.every((d) => d.deliveryStatus === DELIVERY_STATUS.started && d.couponId !== null);
    },
    { what: 'deliveries started after marketing returned', timeoutMs: 15_000 },
  );
  const views = await eventually(
    async () => {
      const all = await api.all('/orderStatus', 'orderStatuses');
      return all.every((v) => v.deliveryStatus === DELIVERY_STATUS.started) && all;
    },
    { what: 'view caught up' },
  );
  assert.deepEqual(views.map((v) => v.orderId).sort(), [...ids].sort());
});

test('payment down: the circuit opens, orders are refused fast with 503 and nothing is half-written', async (t) => {
  const system = await startSystem(t);
  const api = await opsClient(system);
  system.faults.payment.set({ kind: 'down' });

  for (let i = 0; i < 6; i++) {
    const reply = await api.post('/orders', sampleOrder());
    assert.equal(reply.status, 503);
    assert.equal(reply.headers.get('content-type')?.startsWith('application/problem+json'), true);
    assert.ok(reply.headers.get('retry-after'), 'tells the client when to retry');
  }
  assert.equal(system.breakers.payment.state, 'open');
  const started = performance.now();
  const refused = await api.post('/orders', sampleOrder());
  const elapsed = performance.now() - started;
  assert.equal(refused.status, 503);
  assert.equal(refused.body.reason, 'circuit-open');
  assert.match(refused.body.detail, /circuit/i);
  assert.ok(elapsed < 300, `refused without waiting for the payment timeout (${Math.round(elapsed)} ms)`);

  system.faults.payment.set({ kind: 'none' });
  assert.equal((await api.all('/orders', 'orders')).length, 0, 'no order exists');
  assert.equal((await api.all('/payments', 'payments')).length, 0, 'no payment exists');
  assert.equal((await api.all('/orderStatus', 'orderStatuses')).length, 0, 'nothing to show');

  const recovered = await eventually(
    async () => {
      const reply = await api.post('/orders', sampleOrder());
      return reply.status === 201 && reply.body;
    },
    { what: 'orders accepted again after the cool-down', timeoutMs: 5000, intervalMs: 100 },
  );
  assert.equal(recovered.orderStatus, ORDER_STATUS.placed);
  assert.equal(system.breakers.payment.state, 'closed');
});

test('a payment that answers after the timeout is voided, so no approved payment is left behind', async (t) => {
  const system = await startSystem(t);
  const api = await opsClient(system);
  system.faults.payment.set({ kind: 'slow', delayMs: 600 });
  const reply = await api.post('/orders', sampleOrder({ userId: 'slow' }));
  assert.equal(reply.status, 503);
  assert.equal(reply.body.reason, 'timeout');
  assert.match(reply.body.detail, /did not answer within/);

  // Still slow: the late approval lands first, then order's void (sent after it) cancels it.
  const payment = await eventually(
    async () => {
      const all = await api.all('/payments', 'payments');
      return all.length === 1 && all[0].payStatus === PAY_STATUS.canceled && all[0];
    },
    { what: 'the late payment cancelled' },
  );
  system.faults.payment.set({ kind: 'none' });
  assert.equal(payment.userId, 'slow');
  assert.equal((await api.all('/orders', 'orders')).length, 0, 'the rejected order is not an order');
  await eventually(
    async () => {
      const deliveries = await api.all('/stockDeliveries', 'stockDeliveries');
      return deliveries.every((d) => d.deliveryStatus === DELIVERY_STATUS.canceled);
    },
    { what: 'any delivery it started compensated' },
  );
});
