import assert from 'node:assert/strict';
import { test } from 'node:test';
import { PAY_STATUS } from '@12street/contracts';
import { eventually, sampleOrder } from '@12street/testkit';
import { orderWithPayment, PROBLEM_JSON } from './support.ts';

test('placing an order has payment approve it, answers 201 with the HAL order, and records OrderPlaced', async (t) => {
  const s = await orderWithPayment(t);
  const res = await s.place({ productPrice: 1500, qty: 2, address: 'Busan' });
  assert.equal(res.statusCode, 201);
  const body = res.json();
  assert.match(res.headers.location as string, /\/orders\/1$/);
  assert.equal(body._links.self.href, res.headers.location);
  assert.equal(body._links.order.href, res.headers.location);
  const { _links, createdAt, ...fields } = body;
  assert.deepEqual(fields, {
    ...sampleOrder({ productPrice: 1500, qty: 2, address: 'Busan' }),
    id: 1,
    orderStatus: 'Ordered',
  });
  assert.ok(Date.parse(createdAt) > 0);

  const [paid] = await s.paymentsFor(1);
  assert.equal(paid?.payStatus, PAY_STATUS.approved);
  assert.equal(paid?.amount, 3000);

  const [recorded] = await s.outbox('OrderPlaced');
  assert.equal(recorded?.orderId, 1);
  assert.deepEqual(recorded?.payload, {
    ...sampleOrder({ productPrice: 1500, qty: 2, address: 'Busan' }),
    orderStatus: 'Ordered',
  });
  await eventually(() => s.eventsOf('OrderPlaced', 1).length === 1 && s.eventsOf('PaymentApproved', 1).length === 1, {
    what: 'OrderPlaced and PaymentApproved published',
  });
});

test('orders are read as HAL: paged and sorted lists, one by id, and by user', async (t) => {
  const s = await orderWithPayment(t);
  for (const [userId, productPrice] of [
    ['u1', 300],
    ['u2', 100],
    ['u1', 200],
  ] as const)
    assert.equal((await s.place({ userId, productPrice })).statusCode, 201);

  const all = await s.listed();
  assert.equal(all.page.totalElements, 3);
  assert.deepEqual(
    all._embedded.orders.map((o: { id: number }) => o.id),
    [1, 2, 3],
  );
  assert.match(all._links.search.href, /\/orders\/search$/);

  const page = (await s.order.app.inject({ url: '/orders?page=1&size=1&sort=productPrice,desc' })).json();
  assert.deepEqual(page.page, { size: 1, totalElements: 3, totalPages: 3, number: 1 });
  assert.equal(page._embedded.orders[0].productPrice, 200);
  const unsortable = await s.order.app.inject({ url: '/orders?sort=address' });
  assert.equal(unsortable.statusCode, 400);
  assert.equal(unsortable.headers['content-type'], PROBLEM_JSON);

  const one = await s.order.app.inject({ url: '/orders/2' });
  assert.equal(one.json().userId, 'u2');
  assert.equal(one.json()._links.self.href, one.json()._links.order.href);
  assert.equal((await s.order.app.inject({ url: '/orders/99' })).statusCode, 404);

  const search = (await s.order.app.inject({ url: '/orders/search' })).json();
  assert.match(search._links.findByUserId.href, /\/orders\/search\/findByUserId\{\?userId\}$/);
  assert.equal(search._links.findByUserId.templated, true);
  const mine = (await s.order.app.inject({ url: '/orders/search/findByUserId?userId=u1' })).json();
  assert.deepEqual(
    mine._embedded.orders.map((o: { id: number }) => o.id),
    [1, 3],
  );
  assert.equal((await s.order.app.inject({ url: '/orders/search/findByUserId' })).statusCode, 400);
});

test('invalid orders are refused with problem+json before anything is written or payment is asked', async (t) => {
  const s = await orderWithPayment(t);
  const invalid: Record<string, unknown> = {
    'negative qty': sampleOrder({ qty: -1 }),
    'unknown field': sampleOrder({ couponId: 3 }),
    'price as a string': sampleOrder({ productPrice: '10000' }),
    'qty as a string': sampleOrder({ qty: '2' }),
    'missing field': (({ address: _, ...rest }) => rest)(sampleOrder()),
    'bad phone number': sampleOrder({ phoneNo: 'call me' }),
    'not an object': [sampleOrder()],
  };
  for (const [what, payload] of Object.entries(invalid)) {
    const res = await s.order.app.inject({ method: 'POST', url: '/orders', payload: payload as object });
    assert.equal(res.statusCode, 400, what);
    assert.equal(res.headers['content-type'], PROBLEM_JSON, what);
    assert.equal(res.json().status, 400, what);
  }
  const huge = await s.order.app.inject({
    method: 'POST',
    url: '/orders',
    payload: sampleOrder({ productName: 'x'.repeat(100_000) }),
  });
  assert.equal(huge.statusCode, 413);
  assert.equal(huge.headers['content-type'], PROBLEM_JSON);
  const garbled = await s.order.app.inject({
    method: 'POST',
    url: '/orders',
    headers: { 'content-type': 'application/json' },
    payload: '{"productId": 1,',
  });
  assert.equal(garbled.statusCode, 400);
  assert.equal(garbled.headers['content-type'], PROBLEM_JSON);

  assert.equal((await s.db.selectFrom('orders').selectAll().execute()).length, 0);
  assert.equal((await s.db.selectFrom('outbox').selectAll().execute()).length, 0);
  assert.equal(s.approvalsAsked.length, 0);
});
