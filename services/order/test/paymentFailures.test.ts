import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { test } from 'node:test';
import { PAY_STATUS } from '@12street/contracts';
import type { BreakerState } from '@12street/platform';
import { inProcessTransport, openSqlite } from '@12street/platform';
import { eventually, sampleOrder, tempDir, testLogger } from '@12street/testkit';
import type { OrderDatabase } from '../src/adapters/persistence/orderStore.ts';
import { createOrderService } from '../src/compose.ts';
import { orderWithPayment, PROBLEM_JSON, SMALL_BREAKER } from './support.ts';

test('while payment is down an order is refused with 503, never listed, and its payment voided once payment is back', async (t) => {
  const s = await orderWithPayment(t);
  s.paymentFaults.set({ kind: 'down' });
  const res = await s.place();
  assert.equal(res.statusCode, 503);
  assert.equal(res.headers['content-type'], PROBLEM_JSON);
  assert.equal(res.headers['retry-after'], '1');
  const problem = res.json();
  assert.equal(problem.title, 'Payment unavailable');
  assert.equal(problem.reason, 'failed');
  assert.match(problem.detail, /payment failed/);

  assert.equal((await s.listed()).page.totalElements, 0);
  assert.equal((await s.order.app.inject({ url: '/orders/1' })).statusCode, 404);
  assert.equal(
    (await s.order.app.inject({ url: '/orders/search/findByUserId?userId=u1' })).json()._embedded.orders.length,
    0,
  );

  // The void fails while payment is down and is retried on later runs.
  await eventually(() => s.voidsAsked.length >= 2, { what: 'the void tried again' });
  assert.equal(s.approvalsAsked.length, 1);
  const unsettled = await s.orderRow(1);
  assert.equal(unsettled?.order_status, 'Rejected');
  assert.equal(Number(unsettled?.payment_settled), 0);

  s.paymentFaults.set({ kind: 'none' });
  await s.settled(1);
  assert.deepEqual(await s.paymentsFor(1), [], 'no payment for the rejected order');
  const late = await s.payment.app.inject({
    method: 'POST',
    url: '/payments',
    payload: { orderId: 1, ...sampleOrder() },
  });
  assert.equal(late.statusCode, 409, 'the void bars a late approval');
  assert.deepEqual(await s.outbox('OrderPlaced'), []);
});

test('payment not listening at all: the order is refused with 503 and its void waits for payment', async (t) => {
  const closed = createServer();
  await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
  const { port } = closed.address() as AddressInfo;
  await new Promise((resolve) => closed.close(resolve));
  const db = openSqlite<OrderDatabase>(join(tempDir(t), 'order.db'));
  const order = createOrderService({
    db,
    dialect: 'sqlite',
    transport: inProcessTransport(),
    logger: testLogger(),
    paymentUrl: `http://127.0.0.1:${port}`,
    breaker: SMALL_BREAKER,
    settleIntervalMs: 20,
  });
  await order.start();
  t.after(async () => {
    await order.stop();
    await db.destroy();
  });
  const res = await order.app.inject({ method: 'POST', url: '/orders', payload: sampleOrder() });
  assert.equal(res.statusCode, 503);
  assert.equal(res.headers['content-type'], PROBLEM_JSON);
  assert.equal(res.json().reason, 'failed');
  assert.match(res.json().detail, /payment failed: fetch failed: .*ECONNREFUSED/);
  assert.equal((await order.app.inject({ url: '/orders' })).json().page.totalElements, 0);
  const row = await db.selectFrom('orders').selectAll().executeTakeFirstOrThrow();
  assert.equal(row.order_status, 'Rejected');
  assert.equal(Number(row.payment_settled), 0, 'not settled until payment confirms the void');
});

test('payment answering after the timeout: the order is refused, and the late approval is cancelled by the void', async (t) => {
  const s = await orderWithPayment(t);
  s.paymentLag.ms = SMALL_BREAKER.timeoutMs * 2;
  const res = await s.place();
  assert.equal(res.statusCode, 503);
  assert.equal(res.headers['content-type'], PROBLEM_JSON);
  assert.equal(res.json().reason, 'timeout');
  assert.match(res.json().detail, /did not answer within 200 ms/);
  assert.ok(Number(res.headers['retry-after']) >= 1);

  await eventually(() => s.eventsOf('PaymentApproved', 1).length === 1, { what: 'the late approval' });
  await eventually(() => s.eventsOf('PaymentCanceled', 1).length === 1, { what: 'the approval cancelled' });
  await s.settled(1);
  const [payment] = await s.paymentsFor(1);
  assert.equal(payment?.payStatus, PAY_STATUS.canceled);
  assert.equal((await s.listed()).page.totalElements, 0);
  assert.deepEqual(await s.outbox('OrderPlaced'), []);
  assert.deepEqual(s.eventsOf('OrderPlaced', 1), []);
});

test('payment refusing an order (409) rejects it as settled, with no void and no OrderPlaced', async (t) => {
  const s = await orderWithPayment(t);
  // A void that reached payment first bars order 1 from ever being paid.
  await s.payment.app.inject({ method: 'POST', url: '/payments/void', payload: { orderId: 1, reason: 'test' } });
  const res = await s.place();
  assert.equal(res.statusCode, 409);
  assert.equal(res.headers['content-type'], PROBLEM_JSON);
  assert.equal(res.json().title, 'Payment refused');
  const row = await s.orderRow(1);
  assert.equal(row?.order_status, 'Rejected');
  assert.equal(Number(row?.payment_settled), 1);
  assert.equal((await s.listed()).page.totalElements, 0);
  assert.deepEqual(await s.outbox('OrderPlaced'), []);
  assert.equal(s.paymentFaults.mode.kind, 'none');
});

test('after enough failures the circuit opens and orders are refused at once without asking payment; it half-opens and recovers', async (t) => {
  const s = await orderWithPayment(t);
  const states: BreakerState[] = [];
  s.order.paymentBreaker.onStateChange((state) => states.push(state));

  s.paymentFaults.set({ kind: 'failing' });
  for (let i = 0; i < SMALL_BREAKER.minimumCalls; i++) {
    const res = await s.place();
    assert.equal(res.statusCode, 503);
    assert.equal(res.json().reason, 'failed');
    assert.match(res.json().detail, /answered 500/);
  }
  assert.equal(s.order.paymentBreaker.state, 'open');
  assert.equal(s.approvalsAsked.length, SMALL_BREAKER.minimumCalls);

  const started = Date.now();
  const refused = await s.place();
  assert.ok(Date.now() - started < SMALL_BREAKER.timeoutMs, 'refused without waiting on payment');
  assert.equal(refused.statusCode, 503);
  assert.equal(refused.json().reason, 'circuit-open');
  assert.match(refused.json().detail, /circuit to payment is open/);
  assert.equal(refused.headers['retry-after'], String(Math.ceil(SMALL_BREAKER.halfOpenAfterMs / 1000)));
  assert.equal(s.approvalsAsked.length, SMALL_BREAKER.minimumCalls, 'payment was not asked');

  s.paymentFaults.set({ kind: 'none' });
  const placed = await eventually(
    async () => {
      const res = await s.place();
      return res.statusCode === 201 && (res.json() as { id: number; orderStatus: string });
    },
    { what: 'an order placed after the circuit half-opened', intervalMs: 50 },
  );
  assert.equal(placed.orderStatus, 'Ordered');
  assert.equal(s.order.paymentBreaker.state, 'closed');
  assert.deepEqual(states.slice(0, 3), ['open', 'half-open', 'closed']);
  assert.equal((await s.listed()).page.totalElements, 1);
  // Every refused order is still settled with payment, so none leaves a payment behind.
  for (let id = 1; id < placed.id; id++) await s.settled(id);
});
