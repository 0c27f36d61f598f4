import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { StreetEvent } from '@12street/contracts';
import type { Tx } from '@12street/platform';
import { infraMissing } from '@12street/testkit';
import type { Redis } from 'ioredis';
import { orderStatusKeys } from '../src/adapters/redis/orderStatusKeys.ts';
import { redisOrderEventStore, redisOrderStatusQueries } from '../src/adapters/redis/redisOrderStatusStore.ts';
import { ProjectionKeptConflicting, redisProjectionRunner } from '../src/adapters/redis/redisProjectionSession.ts';
import type { OrderEventStore } from '../src/application/ports.ts';
import { whenOrderEventProjectStatus } from '../src/application/whenOrderEventProjectStatus.ts';
import { projectOrderStatus } from '../src/domain/orderStatusView.ts';
import { sagaOf, shuffled } from './events.ts';
import {
  getJson,
  isolatedRedis,
  type Json,
  redisOrderStatusService,
  sqlOrderStatusService,
  tickingClock,
} from './redisSupport.ts';

const skip = await infraMissing('redis');

/** One replica's projection on its own client, as a consumer would run it; its store can be swapped for a test's. */
function replica(redis: Redis, keyPrefix: string, options: { maxAttempts?: number; store?: OrderEventStore } = {}) {
  const keys = orderStatusKeys(keyPrefix);
  const inProjection = redisProjectionRunner(redis, keys, { maxAttempts: options.maxAttempts });
  const policy = whenOrderEventProjectStatus({
    clock: tickingClock(),
    orderEvents: options.store ?? redisOrderEventStore(),
  });
  return {
    project: (event: StreetEvent) => inProjection((tx: Tx) => policy(tx, event)),
    queries: redisOrderStatusQueries(redis, keys),
    keys,
  };
}

const withoutWriteTime = ({ updatedAt, ...view }: Json) => view;
const withoutWriteTimes = ({ _links, updatedAt, ...rest }: Json) => rest;

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

test('events delivered twice and shuffled build the same Redis views as events delivered once in order, and as SQL', {
  skip,
}, async (t) => {
  const { redis, keyPrefix } = isolatedRedis(t);
  const events = fourOrders();
  const inOrder = await redisOrderStatusService(t, redis, `${keyPrefix}in-order:`);
  await inOrder.publish(events);
  const chaos = await redisOrderStatusService(t, redis, `${keyPrefix}chaos:`);
  await chaos.publish(shuffled([...events, ...events], 7));
  const sql = await sqlOrderStatusService(t);
  await sql.publish(events);

  const views = async (service: typeof inOrder.service) =>
    (await getJson(service, '/orderStatus?size=100')).body._embedded.orderStatuses.map(withoutWriteTimes);
  const expected = await views(sql.service);
  assert.equal(expected.length, 4);
  assert.deepEqual(await views(inOrder.service), expected);
  assert.deepEqual(await views(chaos.service), expected);

  const kept = async (prefix: string) => {
    const keys = orderStatusKeys(prefix);
    const counts = await Promise.all([1, 2, 3, 4].map((id) => redis.hlen(keys.eventsOf(id))));
    return counts.reduce((a, b) => a + b);
  };
  assert.equal(await kept(`${keyPrefix}chaos:`), events.length, 'each event is kept once');
});

test('a redelivered event changes nothing in Redis, not even the time the view was written', { skip }, async (t) => {
  const { redis, keyPrefix } = isolatedRedis(t);
  const keys = orderStatusKeys(keyPrefix);
  const { publish } = await redisOrderStatusService(t, redis, keyPrefix);
  const saga = sagaOf(5);
  await publish(saga.happy);
  const state = async () => ({
    view: await redis.get(keys.viewOf(5)),
    events: await redis.hgetall(keys.eventsOf(5)),
    updated: await redis.zrange(keys.byUpdatedAt, 0, '-1', 'WITHSCORES'),
    updatedDesc: await redis.zrange(keys.byUpdatedAtDesc, 0, '-1', 'WITHSCORES'),
    ofUser: await redis.zrange(keys.ofUser('u5'), 0, '-1', 'WITHSCORES'),
  });
  const before = await state();
  await publish([saga.placed, saga.started, saga.placed]);
  assert.deepEqual(await state(), before);
  assert.equal(JSON.parse(before.view ?? '{}').timeline.length, 4);
});

test('two replicas projecting different events of the same orders at once keep every event in the views', {
  skip,
}, async (t) => {
  const { redis, keyPrefix, newClient } = isolatedRedis(t);
  const replicas = [replica(redis, keyPrefix), replica(newClient(), keyPrefix)] as const;
  const orders = Array.from({ length: 20 }, (_, i) => sagaOf(100 + i).canceled);

  await Promise.all(
    orders.flatMap((events) => events.map((e, i) => (i % 2 === 0 ? replicas[0] : replicas[1]).project(e))),
  );

  for (const events of orders) {
    const orderId = events[0]?.orderId ?? 0;
    const view = await replicas[0].queries.orderStatusOf(orderId);
    assert.deepEqual(withoutWriteTime(view), projectOrderStatus(events), `order ${orderId}`);
    assert.equal(await redis.hlen(replicas[0].keys.eventsOf(orderId)), 8);
  }
});

test('a projection that lost the race for its order to another replica is run again on the newer events', {
  skip,
}, async (t) => {
  const { redis, keyPrefix, newClient } = isolatedRedis(t);
  const saga = sagaOf(7);
  const other = replica(newClient(), keyPrefix);
  const store = redisOrderEventStore();
  let reads = 0;
  const racing: OrderEventStore = {
    ...store,
    async eventsOfOrder(tx, orderId) {
      const events = await store.eventsOfOrder(tx, orderId);
      if (reads++ === 0) await other.project(saga.placed);
      return events;
    },
  };
  const slow = replica(redis, keyPrefix, { store: racing });

  await slow.project(saga.approved);

  assert.equal(reads, 2, 'the first attempt saw only its own event and was thrown away');
  const view = await slow.queries.orderStatusOf(7);
  assert.deepEqual(
    view?.timeline.map((e) => e.eventType),
    ['OrderPlaced', 'PaymentApproved'],
  );
  assert.equal(view?.status, 'Payment Approved');
});

test('a projection that keeps losing gives up after maxAttempts, keeps nothing, and succeeds when redelivered', {
  skip,
}, async (t) => {
  const { redis, keyPrefix, newClient } = isolatedRedis(t);
  const saga = sagaOf(8);
  const other = replica(newClient(), keyPrefix);
  const store = redisOrderEventStore();
  const meanwhile = [saga.placed, saga.published, saga.started];
  const racing: OrderEventStore = {
    ...store,
    async eventsOfOrder(tx, orderId) {
      const events = await store.eventsOfOrder(tx, orderId);
      const next = meanwhile.shift();
      if (next) await other.project(next);
      return events;
    },
  };
  const loser = replica(redis, keyPrefix, { store: racing, maxAttempts: 3 });

  await assert.rejects(loser.project(saga.approved), ProjectionKeptConflicting);
  assert.equal(await redis.hexists(loser.keys.eventsOf(8), saga.approved.eventId), 0);
  assert.deepEqual(
    (await loser.queries.orderStatusOf(8))?.timeline.map((e) => e.eventType),
    ['OrderPlaced', 'CouponPublished', 'DeliveryStarted'],
  );

  await loser.project(saga.approved);
  assert.deepEqual(withoutWriteTime(await loser.queries.orderStatusOf(8)), projectOrderStatus(saga.happy));
});

test('the same event projected by two replicas at once is kept once', { skip }, async (t) => {
  const { redis, keyPrefix, newClient } = isolatedRedis(t);
  const saga = sagaOf(9);
  const replicas = [replica(redis, keyPrefix), replica(newClient(), keyPrefix)];
  await Promise.all([...replicas, ...replicas].map((r) => r.project(saga.placed)));
  const keys = orderStatusKeys(keyPrefix);
  assert.equal(await redis.hlen(keys.eventsOf(9)), 1);
  assert.equal((await replicas[1]?.queries.orderStatusOf(9))?.timeline.length, 1);
});

test("a view whose owner changes leaves the former owner's list", { skip }, async (t) => {
  const { redis, keyPrefix } = isolatedRedis(t);
  const saga = sagaOf(10, { userId: 'bob' });
  const r = replica(redis, keyPrefix);
  // Only the order and the payment carry the buyer's details; an earlier event could name someone else.
  await r.project({ ...saga.published, payload: { ...saga.published.payload, userId: 'someone-else' } });
  assert.deepEqual(
    (await r.queries.orderStatusesOfUser('someone-else')).map((v) => v.orderId),
    [10],
  );
  await r.project(saga.placed);
  assert.deepEqual(await r.queries.orderStatusesOfUser('someone-else'), []);
  assert.deepEqual(
    (await r.queries.orderStatusesOfUser('bob')).map((v) => v.orderId),
    [10],
  );
});
