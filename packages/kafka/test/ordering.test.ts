import assert from 'node:assert/strict';
import { test } from 'node:test';
import { setTimeout as delay } from 'node:timers/promises';
import type { StreetEvent } from '@12street/contracts';
import { eventually } from '@12street/testkit';
import { brokerSkipReason } from './broker.ts';
import { isolatedKafka, orderPlaced, partitionOf, recorder } from './fixtures.ts';

const skip = await brokerSkipReason();

const idsOf = (events: StreetEvent[], orderId: number) =>
  events.filter((e) => e.orderId === orderId).map((e) => e.eventId);

test("one order's events arrive in the order they were published while other orders interleave", {
  skip,
}, async (t) => {
  const kafka = isolatedKafka(t);
  const received = recorder();
  const transport = kafka.transport();
  transport.subscribe({
    consumer: kafka.consumer('delivery'),
    eventTypes: ['OrderPlaced'],
    async handle(event) {
      await delay(Math.random() * 3); // uneven handling time must not reorder a key
      await received.handle(event);
    },
  });
  await transport.start();

  const orders = [1, 2, 3, 4, 5];
  const published = Array.from({ length: 20 }, (_, i) =>
    orders.map((orderId) => orderPlaced(orderId, `${orderId}-${i}`)),
  ).flat();
  for (let i = 0; i < published.length; i += 10) await transport.publish(published.slice(i, i + 10));

  await eventually(() => received.events.length >= published.length, { what: 'all 100 events', timeoutMs: 15_000 });
  for (const orderId of orders) assert.deepEqual(idsOf(received.events, orderId), idsOf(published, orderId));
});

test('a failing handler gets the same event again until it succeeds, and later events of that order wait for it', {
  skip,
}, async (t) => {
  const kafka = isolatedKafka(t);
  const attempts: string[] = [];
  const handled = recorder();
  const transport = kafka.transport();
  transport.subscribe({
    consumer: kafka.consumer('payment'),
    eventTypes: ['OrderPlaced'],
    async handle(event) {
      attempts.push(event.eventId);
      if (event.eventId === 'first' && attempts.length <= 2) throw new Error('database unavailable');
      await handled.handle(event);
    },
  });
  await transport.start();

  await transport.publish([orderPlaced(9, 'first'), orderPlaced(9, 'second'), orderPlaced(9, 'third')]);

  await eventually(() => handled.events.length === 3, { what: 'the three events handled' });
  assert.deepEqual(attempts, ['first', 'first', 'first', 'second', 'third']);
  assert.deepEqual(handled.ids(), ['first', 'second', 'third']);
});

test('while one partition retries its head event, the other partitions keep flowing', { skip }, async (t) => {
  const kafka = isolatedKafka(t);
  const handled = recorder();
  let databaseBack = false;
  const transport = kafka.transport();
  transport.subscribe({
    consumer: kafka.consumer('order-status'),
    eventTypes: ['OrderPlaced'],
    async handle(event) {
      if (event.orderId === 1 && !databaseBack) throw new Error('row locked');
      await handled.handle(event);
    },
  });
  await transport.start();

  const elsewhere = Array.from({ length: 12 }, (_, i) => i + 2).filter(
    (orderId) => partitionOf(orderId) !== partitionOf(1),
  );
  await transport.publish([orderPlaced(1, 'stuck'), ...elsewhere.map((orderId) => orderPlaced(orderId))]);

  await eventually(() => handled.events.length === elsewhere.length, { what: 'the other partitions' });
  assert.deepEqual(transport.status().groups[0]?.retrying, [
    `${kafka.topic('12street.order-events')}:${partitionOf(1)}`,
  ]);
  databaseBack = true;
  await eventually(() => handled.ids().includes('stuck'), { what: 'the stuck event' });
});

test('an event is retried only in the policy that failed, not in those that already handled it', {
  skip,
}, async (t) => {
  const kafka = isolatedKafka(t);
  const consumer = kafka.consumer('marketing');
  const calls: string[] = [];
  let failures = 1;
  const transport = kafka.transport();
  transport.subscribe({ consumer, eventTypes: ['OrderPlaced'], handle: async () => void calls.push('steady') });
  transport.subscribe({
    consumer,
    eventTypes: ['OrderPlaced'],
    async handle() {
      calls.push('flaky');
      if (failures-- > 0) throw new Error('flaky');
    },
  });
  await transport.start();

  await transport.publish([orderPlaced(3)]);

  await eventually(() => calls.length === 3, { what: 'the retry' });
  assert.deepEqual(calls, ['steady', 'flaky', 'flaky']);
});

test('with a tiny buffer the stream pauses and resumes, and every event still arrives in order', {
  skip,
}, async (t) => {
  const kafka = isolatedKafka(t);
  const received = recorder();
  const transport = kafka.transport({ maxBufferedMessages: 3 });
  transport.subscribe({
    consumer: kafka.consumer('order-status'),
    eventTypes: ['OrderPlaced'],
    handle: received.handle,
  });
  await transport.start();

  const published = Array.from({ length: 60 }, (_, i) => orderPlaced((i % 3) + 1, `${(i % 3) + 1}-${i}`));
  await transport.publish(published);

  await eventually(() => received.events.length >= published.length, { what: 'all 60 events' });
  for (const orderId of [1, 2, 3]) assert.deepEqual(idsOf(received.events, orderId), idsOf(published, orderId));
});
