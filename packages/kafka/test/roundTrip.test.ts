import assert from 'node:assert/strict';
import { test } from 'node:test';
import { eventually } from '@12street/testkit';
import { brokerSkipReason } from './broker.ts';
import { isolatedKafka, orderPlaced, recorder } from './fixtures.ts';

const skip = await brokerSkipReason();

test('a published event arrives intact at the subscribed service, keyed by its order id', { skip }, async (t) => {
  const kafka = isolatedKafka(t);
  const received = recorder();
  const transport = kafka.transport();
  transport.subscribe({
    consumer: kafka.consumer('order-status'),
    eventTypes: ['OrderPlaced'],
    handle: received.handle,
  });
  await transport.start();

  const event = orderPlaced(42);
  await transport.publish([event]);

  await eventually(() => received.events.length === 1, { what: 'the event' });
  assert.deepEqual(received.events[0], event);

  const [record] = await kafka.readRaw(kafka.topic('12street.order-events'), 1);
  assert.equal(record?.key, '42');
  assert.deepEqual(JSON.parse(record?.value ?? ''), event);
  assert.deepEqual(Object.fromEntries(record?.headers ?? []), {
    eventType: 'OrderPlaced',
    eventId: event.eventId,
    schemaVersion: '1',
  });
});

test('status reports the producer and each group with its partitions, and stop can be called twice', {
  skip,
}, async (t) => {
  const kafka = isolatedKafka(t);
  const transport = kafka.transport();
  const group = kafka.consumer('payment');
  const noop = async () => {};
  transport.subscribe({ consumer: group, eventTypes: ['OrderPlaced'], handle: noop });
  transport.subscribe({ consumer: group, eventTypes: ['CouponPublished'], handle: noop });
  assert.equal(transport.status().ready, false);
  await transport.start();

  const status = transport.status();
  assert.equal(status.ready, true);
  assert.deepEqual(status.producer, { healthy: true, connected: true });
  assert.equal(status.groups.length, 1, 'subscriptions of one service share one group');
  assert.equal(status.groups[0]?.groupId, group);
  assert.deepEqual(status.groups[0]?.assignments.map((a) => [a.topic, a.partitions.length]).sort(), [
    [kafka.topic('12street.marketing-events'), 6],
    [kafka.topic('12street.order-events'), 6],
  ]);

  await Promise.all([transport.stop(), transport.stop()]);
  await transport.stop();
  assert.equal(transport.status().ready, false);
  await assert.rejects(transport.publish([orderPlaced(1)]));
});

test('publish rejects when the broker cannot take the events', { skip }, async (t) => {
  const kafka = isolatedKafka(t);
  // Never started, so its topics were never created (and the broker does not auto-create them).
  const transport = kafka.transport();
  await assert.rejects(transport.publish([orderPlaced(7)]));
});
