import assert from 'node:assert/strict';
import { test } from 'node:test';
import { IDENTITY_HEADERS } from '@12street/platform';
import { sampleOrder } from '@12street/testkit';
import { orderWithPayment, PROBLEM_JSON } from './support.ts';

type Setup = Awaited<ReturnType<typeof orderWithPayment>>;
type Method = 'GET' | 'POST' | 'PATCH';

/** As the gateway passes a verified caller on. */
const as = (userId: string, roles: string) => ({ [IDENTITY_HEADERS.userId]: userId, [IDENTITY_HEADERS.roles]: roles });
const kim = as('u1', 'customer');
const lee = as('u2', 'customer');
const ops = as('ops1', 'ops');

function call(s: Setup, headers: Record<string, string>) {
  return (method: Method, url: string, payload?: object) => s.order.app.inject({ method, url, headers, payload });
}

async function ordersOfKimAndLee(s: Setup) {
  const ids: Record<string, number[]> = { u1: [], u2: [] };
  for (const [userId, price] of [
    ['u1', 300],
    ['u2', 100],
    ['u1', 200],
    ['u2', 400],
    ['u1', 100],
  ] as const) {
    const placed = await s.place({ userId, productPrice: price });
    assert.equal(placed.statusCode, 201);
    ids[userId]?.push(placed.json().id);
  }
  return ids as { u1: number[]; u2: number[] };
}

test("a customer lists only their own orders, paged and sorted; another's list is empty to them", async (t) => {
  const s = await orderWithPayment(t);
  const ids = await ordersOfKimAndLee(s);
  const asKim = call(s, kim);

  const all = (await asKim('GET', '/orders')).json();
  assert.deepEqual(
    all._embedded.orders.map((o: { id: number }) => o.id),
    ids.u1,
  );
  assert.equal(all.page.totalElements, 3);
  const page = (await asKim('GET', '/orders?page=1&size=2&sort=productPrice,desc')).json();
  assert.deepEqual(
    page._embedded.orders.map((o: { productPrice: number }) => o.productPrice),
    [100],
  );
  assert.deepEqual(page.page, { size: 2, totalElements: 3, totalPages: 2, number: 1 });

  const mine = (await asKim('GET', '/orders/search/findByUserId?userId=u1')).json();
  assert.equal(mine._embedded.orders.length, 3);
  const theirs = (await asKim('GET', '/orders/search/findByUserId?userId=u2')).json();
  assert.deepEqual(theirs._embedded.orders, []);
});

test("another customer's order is not found: reading, cancelling and patching it are 404 and change nothing", async (t) => {
  const s = await orderWithPayment(t);
  const ids = await ordersOfKimAndLee(s);
  const asKim = call(s, kim);
  const leesOrder = ids.u2[0] as number;

  for (const [method, url, payload] of [
    ['GET', `/orders/${leesOrder}`, undefined],
    ['POST', `/orders/${leesOrder}/cancel`, { reason: 'not mine' }],
    ['PATCH', `/orders/${leesOrder}`, { orderStatus: 'Order Canceled' }],
  ] as const) {
    const reply = await asKim(method, url, payload);
    assert.equal(reply.statusCode, 404, `${method} ${url}`);
    assert.equal(reply.headers['content-type'], PROBLEM_JSON);
  }
  assert.equal((await s.orderRow(leesOrder))?.order_status, 'Ordered', "lee's order is untouched");
  assert.deepEqual(await s.outbox('OrderCanceled'), []);

  const own = await asKim('POST', `/orders/${ids.u1[0]}/cancel`, { reason: 'mine' });
  assert.equal(own.statusCode, 200, 'her own she can cancel');
});

test("a customer cannot order in another user's name (403), and nothing is written", async (t) => {
  const s = await orderWithPayment(t);
  const reply = await call(s, kim)('POST', '/orders', sampleOrder({ userId: 'u2' }));
  assert.equal(reply.statusCode, 403);
  assert.equal(reply.headers['content-type'], PROBLEM_JSON);
  assert.equal(await s.orderRow(1), undefined);
  assert.equal(s.approvalsAsked.length, 0, 'payment was not asked');
  assert.equal((await call(s, kim)('POST', '/orders', sampleOrder({ userId: 'u1' }))).statusCode, 201);
});

test('ops, and callers inside the system (no identity headers), see and do everything', async (t) => {
  const s = await orderWithPayment(t);
  const ids = await ordersOfKimAndLee(s);
  for (const headers of [ops, {}]) {
    const list = (await call(s, headers)('GET', '/orders')).json();
    assert.equal(list.page.totalElements, 5);
    assert.equal((await call(s, headers)('GET', `/orders/${ids.u2[0]}`)).statusCode, 200);
  }
  assert.equal((await call(s, ops)('POST', '/orders', sampleOrder({ userId: 'u7' }))).statusCode, 201);
  assert.equal((await call(s, ops)('POST', `/orders/${ids.u2[1]}/cancel`)).statusCode, 200);
  const roleless = call(s, as('u1', ''));
  assert.equal((await roleless('GET', `/orders/${ids.u2[0]}`)).statusCode, 404, 'no role is a customer at most');
  assert.equal((await call(s, lee)('GET', `/orders/${ids.u2[0]}`)).statusCode, 200);
});
