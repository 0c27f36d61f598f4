import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { StreetEvent } from '@12street/contracts';
import { inProcessTransport } from '@12street/platform';
import { infraMissing, testLogger } from '@12street/testkit';
import { Redis } from 'ioredis';
import { createOrderStatusServiceOnRedis } from '../src/compose.ts';
import { sagaOf, shuffled } from './events.ts';
import { getJson, isolatedRedis, redisOrderStatusService, sqlOrderStatusService } from './redisSupport.ts';

const skip = await infraMissing('redis');

/** Seven orders of three users at various steps, delivered out of order and partly twice. */
function mixedDeliveries(): StreetEvent[] {
  const events = [1, 2, 3, 4, 5, 6, 7].flatMap((id) => {
    const saga = sagaOf(id, { userId: ['alice', 'bob', 'carol'][id % 3] });
    return id % 2 === 0 ? saga.canceled : saga.happy.slice(0, 1 + (id % 4));
  });
  return shuffled([...events, ...events.slice(0, 9)], 3);
}

/** The same deliveries on SQL and on Redis, with clocks that tick alike. */
async function sqlAndRedis(t: Parameters<typeof isolatedRedis>[0], clock?: () => () => Date) {
  const { redis, keyPrefix } = isolatedRedis(t);
  const sql = await sqlOrderStatusService(t, clock?.());
  const onRedis = await redisOrderStatusService(t, redis, keyPrefix, clock?.());
  const events = mixedDeliveries();
  await sql.publish(events);
  await onRedis.publish(events);
  return { sql: sql.service, redis: onRedis.service };
}

test('paging and sorting on Redis give the same pages as on SQL', { skip }, async (t) => {
  const { sql, redis } = await sqlAndRedis(t);
  const queries = [
    '',
    'page=0&size=3',
    'page=1&size=3',
    'page=2&size=3',
    'page=9&size=3',
    'sort=orderId,desc&size=4',
    'sort=orderId,desc&page=1&size=4',
    'sort=updatedAt',
    'sort=updatedAt,desc&size=2&page=1',
    'sort=updatedAt,asc&size=5',
  ];
  for (const query of queries) {
    const expected = await getJson(sql, `/orderStatus?${query}`);
    assert.equal(expected.status, 200);
    assert.deepEqual(await getJson(redis, `/orderStatus?${query}`), expected, query);
  }
  const byUpdate = (await getJson(redis, '/orderStatus?sort=updatedAt')).body._embedded.orderStatuses;
  assert.notDeepEqual(
    byUpdate.map((v: { orderId: number }) => v.orderId),
    [1, 2, 3, 4, 5, 6, 7],
    'the update order is not the id order',
  );
  const firstPage = (await getJson(redis, '/orderStatus?page=0&size=3')).body;
  assert.deepEqual(firstPage.page, { size: 3, totalElements: 7, totalPages: 3, number: 0 });
  const refused = await getJson(redis, '/orderStatus?sort=status');
  assert.equal(refused.status, 400);
  assert.equal(refused.contentType, 'application/problem+json; charset=utf-8');
});

test('views written in the same millisecond sort by orderId within that time on Redis, as on SQL', {
  skip,
}, async (t) => {
  const frozen = () => () => new Date('2024-06-01T00:00:00.000Z');
  const { sql, redis } = await sqlAndRedis(t, frozen);
  for (const query of ['sort=updatedAt', 'sort=updatedAt,desc', 'sort=updatedAt,desc&page=1&size=3']) {
    const expected = await getJson(sql, `/orderStatus?${query}`);
    assert.deepEqual(await getJson(redis, `/orderStatus?${query}`), expected, query);
  }
  const ids = (await getJson(redis, '/orderStatus?sort=updatedAt,desc')).body._embedded.orderStatuses.map(
    (v: { orderId: number }) => v.orderId,
  );
  assert.deepEqual(ids, [1, 2, 3, 4, 5, 6, 7]);
});

test("a user's orders are found by userId on Redis as on SQL", { skip }, async (t) => {
  const { sql, redis } = await sqlAndRedis(t);
  for (const userId of ['alice', 'bob', 'carol', 'nobody']) {
    const url = `/orderStatus/search/findByUserId?userId=${userId}`;
    assert.deepEqual(await getJson(redis, url), await getJson(sql, url), userId);
  }
  const alice = (await getJson(redis, '/orderStatus/search/findByUserId?userId=alice')).body;
  assert.deepEqual(
    alice._embedded.orderStatuses.map((v: { orderId: number }) => v.orderId),
    [3, 6],
  );
  assert.equal((await getJson(redis, '/orderStatus/search/findByUserId')).status, 400);
  assert.deepEqual(await getJson(redis, '/orderStatus/search'), await getJson(sql, '/orderStatus/search'));
});

test('one view is read by order id on Redis; an unknown order is 404 and a malformed id 400, as problem+json', {
  skip,
}, async (t) => {
  const { redis, keyPrefix } = isolatedRedis(t);
  const { service, publish } = await redisOrderStatusService(t, redis, keyPrefix);
  await publish(sagaOf(2).canceled);
  const found = await getJson(service, '/orderStatus/2');
  assert.equal(found.status, 200);
  assert.equal(found.body.id, 2);
  assert.equal(found.body.status, 'Order Canceled');
  assert.equal(found.body._links.self.href, 'http://localhost:80/orderStatus/2');
  assert.match(found.body.updatedAt, /^2024-06-01T/);
  const missing = await getJson(service, '/orderStatus/99');
  assert.equal(missing.status, 404);
  assert.equal(missing.contentType, 'application/problem+json; charset=utf-8');
  assert.equal((await getJson(service, '/orderStatus/abc')).status, 400);
});

test('ready when Redis answers and every added check passes', { skip }, async (t) => {
  const { redis, keyPrefix } = isolatedRedis(t);
  const { service } = await redisOrderStatusService(t, redis, keyPrefix);
  const ready = await getJson(service, '/health/ready');
  assert.equal(ready.status, 200);
  assert.deepEqual(ready.body.checks, { redis: true });
  service.addReadinessCheck('transport', () => false);
  const notReady = await getJson(service, '/health/ready');
  assert.equal(notReady.status, 503);
  assert.deepEqual(notReady.body.checks, { redis: true, transport: false });
});

test('not ready, and start fails, when Redis cannot be reached', async (t) => {
  const unreachable = new Redis({
    host: '127.0.0.1',
    port: 1,
    lazyConnect: true,
    retryStrategy: () => null,
    maxRetriesPerRequest: 0,
    disconnectTimeout: 0,
  });
  unreachable.on('error', () => {}); // its failures are what this test expects
  t.after(() => unreachable.disconnect());
  const service = createOrderStatusServiceOnRedis({
    redis: unreachable,
    transport: inProcessTransport(),
    logger: testLogger(),
  });
  t.after(() => service.stop());
  await assert.rejects(service.start());
  const ready = await getJson(service, '/health/ready');
  assert.equal(ready.status, 503);
  assert.deepEqual(ready.body.checks, { redis: false });
});
