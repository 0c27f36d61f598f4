import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import type { StreetEvent } from '@12street/contracts';
import { inProcessTransport, openSqlite } from '@12street/platform';
import { tempDir, testLogger } from '@12street/testkit';
import type { Kysely } from 'kysely';
import type { OrderStatusDatabase } from '../src/adapters/persistence/orderStatusStore.ts';
import { createOrderStatusService } from '../src/compose.ts';
import { sagaOf, shuffled } from './events.ts';

async function orderStatusService(t: { after(fn: () => void): void }, name = 'order-status') {
  const transport = inProcessTransport();
  const db = openSqlite<OrderStatusDatabase>(join(tempDir(t), `${name}.db`));
  let tick = Date.parse('2024-06-01T00:00:00.000Z');
  const clock = () => new Date(tick++ * 1);
  const service = createOrderStatusService({ db, dialect: 'sqlite', transport, logger: testLogger(), clock });
  await service.start();
  t.after(async () => {
    await service.stop();
    await db.destroy();
  });
  const publish = async (events: readonly StreetEvent[]) => {
    for (const event of events) await transport.publish([event]);
  };
  return { service, db, publish };
}

/** Four orders: one delivered, one fully cancelled, one half-way through cancelling, one just placed. */
function fourOrders(): StreetEvent[] {
  const half = sagaOf(3, { userId: 'alice' });
  return [
    ...sagaOf(1).happy,
    ...sagaOf(2, { userId: 'alice' }).canceled,
    ...half.happy,
    half.orderCanceled,
    half.paymentCanceled,
    sagaOf(4).placed,
  ];
}

// biome-ignore lint/suspicious/noExplicitAny: tests read JSON documents field by field.
type Json = any;
const withoutWriteTimes = ({ _links, updatedAt, ...rest }: Json) => rest;

async function listed(service: Awaited<ReturnType<typeof orderStatusService>>['service'], query = 'size=100') {
  const reply = await service.app.inject({ method: 'GET', url: `/orderStatus?${query}` });
  assert.equal(reply.statusCode, 200, reply.body);
  return reply.json();
}

async function storedRows(db: Kysely<OrderStatusDatabase>) {
  const rows = await db.selectFrom('order_status_view').selectAll().orderBy('order_id').execute();
  return rows.map(({ updated_at, ...row }) => row);
}

test('events delivered twice and shuffled build the same rows as events delivered once in order', async (t) => {
  const events = fourOrders();
  const inOrder = await orderStatusService(t, 'in-order');
  await inOrder.publish(events);
  const chaos = await orderStatusService(t, 'chaos');
  await chaos.publish(shuffled([...events, ...events], 7));

  assert.deepEqual(await storedRows(chaos.db), await storedRows(inOrder.db));
  const expected = (await listed(inOrder.service))._embedded.orderStatuses.map(withoutWriteTimes);
  assert.deepEqual((await listed(chaos.service))._embedded.orderStatuses.map(withoutWriteTimes), expected);
  assert.deepEqual(
    expected.map((v: Json) => [v.orderId, v.status]),
    [
      [1, 'Delivery Started'],
      [2, 'Order Canceled'],
      [3, 'Cancellation In Progress'],
      [4, 'Order Placed'],
    ],
  );
  const kept = await chaos.db
    .selectFrom('order_status_events')
    .select(({ fn }) => fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  assert.equal(Number(kept.n), events.length, 'each event is kept once');
});

test('a redelivered event changes nothing, not even the time the view was written', async (t) => {
  const { service, publish } = await orderStatusService(t);
  const saga = sagaOf(5);
  await publish(saga.happy);
  const before = await service.app.inject({ method: 'GET', url: '/orderStatus/5' });
  await publish([saga.placed, saga.started]);
  const after = await service.app.inject({ method: 'GET', url: '/orderStatus/5' });
  assert.deepEqual(after.json(), before.json());
  assert.equal(after.json().timeline.length, 4);
});

test('the collection is a HAL page of views whose id is the order id', async (t) => {
  const { service, publish } = await orderStatusService(t);
  await publish(fourOrders());
  const page = await listed(service, 'page=0&size=2');
  assert.deepEqual(Object.keys(page._embedded), ['orderStatuses']);
  assert.deepEqual(page.page, { size: 2, totalElements: 4, totalPages: 2, number: 0 });
  assert.equal(page._links.self.href, 'http://localhost:80/orderStatus?page=0&size=2');
  assert.equal(page._links.search.href, 'http://localhost:80/orderStatus/search');
  const [first] = page._embedded.orderStatuses;
  assert.equal(first.id, 1);
  assert.equal(first.orderId, 1);
  assert.equal(first._links.self.href, 'http://localhost:80/orderStatus/1');
  assert.equal(first._links.orderStatus.href, 'http://localhost:80/orderStatus/1');
  assert.deepEqual(Object.keys(first.timeline[0]), ['eventId', 'eventType', 'service', 'occurredAt']);
  assert.match(first.updatedAt, /^2024-06-01T/);
});

test('the collection sorts by orderId or updatedAt and refuses other fields', async (t) => {
  const { service, publish } = await orderStatusService(t);
  await publish([sagaOf(2).placed, sagaOf(1).placed, sagaOf(3).placed]);
  const ids = async (query: string) =>
    (await listed(service, query))._embedded.orderStatuses.map((v: Json) => v.orderId);
  assert.deepEqual(await ids('sort=orderId,desc'), [3, 2, 1]);
  assert.deepEqual(await ids('sort=updatedAt'), [2, 1, 3]);
  assert.deepEqual(await ids('sort=updatedAt,desc'), [3, 1, 2]);
  const refused = await service.app.inject({ method: 'GET', url: '/orderStatus?sort=status' });
  assert.equal(refused.statusCode, 400);
  assert.equal(refused.headers['content-type'], 'application/problem+json; charset=utf-8');
});

test('one view is read by order id; an unknown order is 404 and a malformed id 400, as problem+json', async (t) => {
  const { service, publish } = await orderStatusService(t);
  await publish(sagaOf(2).canceled);
  const found = await service.app.inject({
    method: 'GET',
    url: '/orderStatus/2',
    headers: { 'x-forwarded-host': 'shop.example', 'x-forwarded-proto': 'https' },
  });
  assert.equal(found.statusCode, 200);
  assert.equal(found.json().status, 'Order Canceled');
  assert.equal(found.json()._links.self.href, 'https://shop.example/orderStatus/2', 'links follow the gateway');
  const missing = await service.app.inject({ method: 'GET', url: '/orderStatus/99' });
  assert.equal(missing.statusCode, 404);
  assert.equal(missing.json().status, 404);
  assert.equal(missing.headers['content-type'], 'application/problem+json; charset=utf-8');
  const malformed = await service.app.inject({ method: 'GET', url: '/orderStatus/abc' });
  assert.equal(malformed.statusCode, 400);
});

test("a user's orders are found by userId, and the search resource links to that finder", async (t) => {
  const { service, publish } = await orderStatusService(t);
  await publish(fourOrders());
  const search = await service.app.inject({ method: 'GET', url: '/orderStatus/search' });
  assert.deepEqual(search.json()._links.findByUserId, {
    href: 'http://localhost:80/orderStatus/search/findByUserId{?userId}',
    templated: true,
  });
  const found = await service.app.inject({ method: 'GET', url: '/orderStatus/search/findByUserId?userId=alice' });
  assert.equal(found.statusCode, 200);
  assert.deepEqual(
    found.json()._embedded.orderStatuses.map((v: Json) => v.orderId),
    [2, 3],
  );
  assert.equal(found.json()._links.self.href, 'http://localhost:80/orderStatus/search/findByUserId?userId=alice');
  const none = await service.app.inject({ method: 'GET', url: '/orderStatus/search/findByUserId?userId=nobody' });
  assert.deepEqual(none.json()._embedded.orderStatuses, []);
  const noUser = await service.app.inject({ method: 'GET', url: '/orderStatus/search/findByUserId' });
  assert.equal(noUser.statusCode, 400);
});
