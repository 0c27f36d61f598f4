import assert from 'node:assert/strict';
import { test } from 'node:test';
import { envelope, ORDER_STATUS, type PayloadOf } from '@12street/contracts';
import { sampleOrder } from '@12street/testkit';
import { deadUrl, echoService, gatewayOver, orderStatusService } from './support.ts';

const PROBLEM = 'application/problem+json; charset=utf-8';

// biome-ignore lint/suspicious/noExplicitAny: tests read JSON documents field by field.
type Json = any;
const read = (response: Response): Promise<Json> => response.json();

async function system(t: { after(fn: () => void): void }, settings: { upstreamTimeoutMs?: number } = {}) {
  const echo = await echoService(t);
  const status = await orderStatusService(t);
  const down = await deadUrl();
  const { gateway, url } = await gatewayOver(
    t,
    {
      order: echo.url,
      payment: down,
      delivery: down,
      marketing: echo.url,
      orderStatus: status.url,
      identity: echo.url,
    },
    settings,
  );
  return { echo, status, gateway, url };
}

test('each prefix is routed to its service with the path and query kept', async (t) => {
  const { echo, status, url } = await system(t);
  await status.transport.publish([
    envelope(
      'OrderPlaced',
      7,
      { ...(sampleOrder() as Omit<PayloadOf<'OrderPlaced'>, 'orderStatus'>), orderStatus: ORDER_STATUS.placed },
      {
        eventId: 'e-7',
        occurredAt: new Date(),
      },
    ),
  ]);

  const orders = await fetch(`${url}/orders?page=1&size=5`);
  assert.equal(orders.status, 200);
  assert.deepEqual(await read(orders), { servedBy: 'echo', url: '/orders?page=1&size=5' });

  const view = await fetch(`${url}/orderStatus/7`);
  assert.equal(view.status, 200);
  const body = await read(view);
  assert.equal(body.orderId, 7);
  assert.equal(body.status, 'Order Placed');

  const placed = await fetch(`${url}/orders`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ productName: 'TV' }),
  });
  assert.equal(placed.status, 201);
  assert.equal((await read(placed)).productName, 'TV');
  assert.deepEqual(echo.seen.at(-1)?.body, { productName: 'TV' }, 'the body reached the service');
});

test('links and locations written by the services point at the gateway', async (t) => {
  const { status, url } = await system(t);
  await status.transport.publish([
    envelope(
      'OrderCanceled',
      3,
      { userId: 'u1', orderStatus: ORDER_STATUS.canceled, reason: 'x' },
      {
        eventId: 'e-3',
        occurredAt: new Date(),
      },
    ),
  ]);
  const page = await read(await fetch(`${url}/orderStatus`));
  assert.equal(page._links.self.href, `${url}/orderStatus?page=0&size=20`);
  assert.equal(page._embedded.orderStatuses[0]._links.self.href, `${url}/orderStatus/3`);

  const placed = await fetch(`${url}/orders`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: '{}',
  });
  assert.equal(placed.headers.get('location'), `${url}/orders/1`);
  assert.equal((await read(await fetch(`${url}/orders/5`)))._links.self.href, `${url}/orders/5`);
});

test("the caller's request id reaches the service and comes back; without one the gateway makes one", async (t) => {
  const { echo, url } = await system(t);
  const given = await fetch(`${url}/orders`, { headers: { 'x-request-id': 'trace-me-42' } });
  assert.equal(given.headers.get('x-request-id'), 'trace-me-42');
  assert.equal(echo.seen.at(-1)?.headers['x-request-id'], 'trace-me-42');
  assert.equal(echo.seen.at(-1)?.headers['x-forwarded-proto'], 'http');
  assert.equal(echo.seen.at(-1)?.headers['x-forwarded-host'], new URL(url).host);

  const made = await fetch(`${url}/orders`);
  const id = made.headers.get('x-request-id');
  assert.match(id ?? '', /^[0-9a-f-]{36}$/);
  assert.equal(echo.seen.at(-1)?.headers['x-request-id'], id);
});

test('a service that is down answers 503 problem+json at once', async (t) => {
  const { echo, url } = await system(t);
  const started = Date.now();
  const refused = await fetch(`${url}/payments`);
  assert.equal(refused.status, 503);
  assert.equal(refused.headers.get('content-type'), PROBLEM);
  const problem = await read(refused);
  assert.equal(problem.status, 503);
  assert.match(problem.detail, /payment service is unavailable/);
  assert.equal(problem.instance, '/payments');

  echo.faults.set({ kind: 'down' });
  const dropped = await fetch(`${url}/orders`);
  assert.equal(dropped.status, 503, 'a connection dropped mid-request is the same');
  assert.equal(dropped.headers.get('content-type'), PROBLEM);
  assert.ok(Date.now() - started < 2000, 'no waiting on a dead service');
});

test('a service too slow to answer becomes 504 problem+json after the timeout', async (t) => {
  const { echo, url } = await system(t, { upstreamTimeoutMs: 100 });
  const started = Date.now();
  const reply = await fetch(`${url}/orders/hanging`);
  echo.release();
  assert.equal(reply.status, 504);
  assert.equal(reply.headers.get('content-type'), PROBLEM);
  assert.match((await read(reply)).detail, /order service did not answer in time/);
  // undici checks its timers about every half second, so the cut comes within a second or so.
  assert.ok(Date.now() - started < 2000);
});

test("a service's own 503 is passed on as it is, once", async (t) => {
  const { echo, url } = await system(t);
  const reply = await fetch(`${url}/promotes`);
  assert.equal(reply.status, 503);
  assert.equal((await read(reply)).detail, 'my own dependency is down');
  assert.equal(echo.seen.filter((r) => r.url === '/promotes').length, 1, 'not retried');
});

test('a path no service serves is 404 problem+json from the gateway', async (t) => {
  const { echo, url } = await system(t);
  for (const path of ['/nothing', '/orderz', '/profile/orders']) {
    const reply = await fetch(`${url}${path}`);
    assert.equal(reply.status, 404, path);
    assert.equal(reply.headers.get('content-type'), PROBLEM);
    assert.equal((await read(reply)).status, 404);
  }
  assert.equal(echo.seen.length, 0);
});

test('the gateway is ready only when every service is, and says which is not', async (t) => {
  const { url } = await system(t);
  const live = await fetch(`${url}/health/live`);
  assert.equal(live.status, 200);
  const partly = await fetch(`${url}/health/ready`);
  assert.equal(partly.status, 503);
  assert.deepEqual((await read(partly)).checks, {
    order: true,
    payment: false,
    delivery: false,
    marketing: true,
    orderStatus: true,
    identity: true,
    notDraining: true,
  });

  const echo = await echoService(t);
  const all = await gatewayOver(t, {
    order: echo.url,
    payment: echo.url,
    delivery: echo.url,
    marketing: echo.url,
    orderStatus: echo.url,
    identity: echo.url,
  });
  const ready = await fetch(`${all.url}/health/ready`);
  assert.equal(ready.status, 200);
  assert.equal(Object.values((await read(ready)).checks).every(Boolean), true);
});
