import assert from 'node:assert/strict';
import { test } from 'node:test';
import { PAY_STATUS } from '@12street/contracts';
import { eventually } from '@12street/testkit';
import { orderWithPayment, PROBLEM_JSON } from './support.ts';

type Setup = Awaited<ReturnType<typeof orderWithPayment>>;

const placeOne = async (s: Setup) => {
  const res = await s.place();
  assert.equal(res.statusCode, 201);
  return res.json().id as number;
};

test('cancelling by POST answers the cancelled order and publishes OrderCanceled; payment follows', async (t) => {
  const s = await orderWithPayment(t);
  const bare = await placeOne(s);
  const withReason = await placeOne(s);

  const res = await s.order.app.inject({ method: 'POST', url: `/orders/${bare}/cancel` });
  assert.equal(res.statusCode, 200);
  assert.equal(res.json().orderStatus, 'Order Canceled');
  assert.equal(res.json()._links.self.href, `http://localhost:80/orders/${bare}`);
  const explained = await s.order.app.inject({
    method: 'POST',
    url: `/orders/${withReason}/cancel`,
    payload: { reason: 'found it cheaper' },
  });
  assert.equal(explained.statusCode, 200);

  const canceled = await s.outbox('OrderCanceled');
  assert.deepEqual(
    canceled.map((e) => [e.orderId, e.payload]),
    [
      [bare, { userId: 'u1', orderStatus: 'Order Canceled', reason: 'customer request' }],
      [withReason, { userId: 'u1', orderStatus: 'Order Canceled', reason: 'found it cheaper' }],
    ],
  );
  await eventually(() => s.eventsOf('OrderCanceled', bare).length === 1, { what: 'OrderCanceled published' });
  await eventually(() => s.eventsOf('PaymentCanceled', bare).length === 1, {
    what: "payment cancelled the order's payment",
  });
  assert.equal((await s.paymentsFor(bare))[0]?.payStatus, PAY_STATUS.canceled);
  const listed = await s.listed();
  assert.deepEqual(
    listed._embedded.orders.map((o: { orderStatus: string }) => o.orderStatus),
    ['Order Canceled', 'Order Canceled'],
    "a cancelled order is still the customer's order",
  );
});

test('the original PATCH with orderStatus "Order Canceled" cancels the same way', async (t) => {
  const s = await orderWithPayment(t);
  const id = await placeOne(s);
  const res = await s.order.app.inject({
    method: 'PATCH',
    url: `/orders/${id}`,
    payload: { orderStatus: 'Order Canceled' },
  });
  assert.equal(res.statusCode, 200);
  assert.equal(res.json().orderStatus, 'Order Canceled');
  const [event] = await s.outbox('OrderCanceled');
  assert.deepEqual(event?.payload, { userId: 'u1', orderStatus: 'Order Canceled', reason: 'customer request' });
  assert.equal((await s.order.app.inject({ url: `/orders/${id}` })).json().orderStatus, 'Order Canceled');
});

test('any other PATCH is refused with 400 and cancels nothing', async (t) => {
  const s = await orderWithPayment(t);
  const id = await placeOne(s);
  for (const payload of [
    { orderStatus: 'Ordered' },
    { orderStatus: 'Delivered' },
    { orderStatus: 'order canceled' },
    { qty: 5 },
    { orderStatus: 'Order Canceled', qty: 5 },
    { orderStatus: 7 },
    {},
  ]) {
    const res = await s.order.app.inject({ method: 'PATCH', url: `/orders/${id}`, payload });
    const what = JSON.stringify(payload);
    assert.equal(res.statusCode, 400, what);
    assert.equal(res.headers['content-type'], PROBLEM_JSON, what);
  }
  const explained = await s.order.app.inject({
    method: 'PATCH',
    url: `/orders/${id}`,
    payload: { orderStatus: 'Ordered' },
  });
  assert.match(explained.json().detail, /only cancellation can be patched/);
  assert.equal((await s.order.app.inject({ url: `/orders/${id}` })).json().orderStatus, 'Ordered');
  assert.deepEqual(await s.outbox('OrderCanceled'), []);
});

test('cancelling twice answers 409; an unknown order, or one payment never approved, answers 404', async (t) => {
  const s = await orderWithPayment(t);
  const id = await placeOne(s);
  assert.equal((await s.order.app.inject({ method: 'POST', url: `/orders/${id}/cancel` })).statusCode, 200);
  for (const again of [
    { method: 'POST' as const, url: `/orders/${id}/cancel` },
    { method: 'PATCH' as const, url: `/orders/${id}`, payload: { orderStatus: 'Order Canceled' } },
  ]) {
    const res = await s.order.app.inject(again);
    assert.equal(res.statusCode, 409, again.method);
    assert.equal(res.headers['content-type'], PROBLEM_JSON);
    assert.equal(res.json().title, 'Order already canceled');
  }
  assert.equal((await s.outbox('OrderCanceled')).length, 1);

  const unknown = await s.order.app.inject({ method: 'POST', url: '/orders/999/cancel' });
  assert.equal(unknown.statusCode, 404);
  assert.equal(unknown.headers['content-type'], PROBLEM_JSON);
  const unknownPatch = await s.order.app.inject({
    method: 'PATCH',
    url: '/orders/999',
    payload: { orderStatus: 'Order Canceled' },
  });
  assert.equal(unknownPatch.statusCode, 404);

  s.paymentFaults.set({ kind: 'failing' });
  const rejected = (await s.place()).json();
  assert.equal(rejected.status, 503);
  const row = await s.db
    .selectFrom('orders')
    .select('id')
    .where('order_status', '=', 'Rejected')
    .executeTakeFirstOrThrow();
  assert.equal((await s.order.app.inject({ method: 'POST', url: `/orders/${row.id}/cancel` })).statusCode, 404);
});

test('invalid cancel requests are refused with problem+json and cancel nothing', async (t) => {
  const s = await orderWithPayment(t);
  const id = await placeOne(s);
  for (const [url, payload] of [
    [`/orders/${id}/cancel`, { reason: 5 }],
    [`/orders/${id}/cancel`, { reason: 'x', refund: true }],
    [`/orders/${id}/cancel`, { reason: 'x'.repeat(201) }],
    ['/orders/abc/cancel', {}],
  ] as const) {
    const res = await s.order.app.inject({ method: 'POST', url, payload });
    assert.equal(res.statusCode, 400, JSON.stringify(payload));
    assert.equal(res.headers['content-type'], PROBLEM_JSON);
  }
  assert.equal((await s.order.app.inject({ url: `/orders/${id}` })).json().orderStatus, 'Ordered');
  assert.deepEqual(await s.outbox('OrderCanceled'), []);
});
