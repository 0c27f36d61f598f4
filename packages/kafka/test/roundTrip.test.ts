import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { DeliveryContext } from '@12street/platform';
import { eventually } from '@12street/testkit';
import { Admin, ConfigResourceTypes } from '@platformatic/kafka';
import { BOOTSTRAP, brokerSkipReason } from './broker.ts';
import { isolatedKafka, orderPlaced, partitionOf, recorder } from './fixtures.ts';

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

test('the traceparent an event was recorded with travels as a header and reaches the handler with where the record sat', {
  skip,
}, async (t) => {
  const kafka = isolatedKafka(t);
  const seen: (DeliveryContext | undefined)[] = [];
  const transport = kafka.transport();
  transport.subscribe({
    consumer: kafka.consumer('order-status'),
    eventTypes: ['OrderPlaced'],
    handle: async (_event, delivery) => void seen.push(delivery),
  });
  await transport.start();

  const traceparent = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
  const event = orderPlaced(42);
  await transport.publish([event], new Map([[event.eventId, { traceparent }]]));

  await eventually(() => seen.length === 1, { what: 'the event' });
  const topic = kafka.topic('12street.order-events');
  assert.deepEqual(seen[0], { traceparent, source: `${topic}/${partitionOf(42)}/0` });
  const [record] = await kafka.readRaw(topic, 1);
  assert.equal(Object.fromEntries(record?.headers ?? []).traceparent, traceparent);
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

test('the topics a transport creates keep events for good and dead letters for 30 days', { skip }, async (t) => {
  const kafka = isolatedKafka(t);
  const transport = kafka.transport();
  const group = kafka.consumer('payment');
  transport.subscribe({ consumer: group, eventTypes: ['OrderPlaced'], handle: async () => {} });
  await transport.start();

  const admin = new Admin({ clientId: `${kafka.prefix}-configs`, bootstrapBrokers: [BOOTSTRAP] });
  t.after(() => admin.close());
  const retentionOf = async (topic: string) => {
    const [described] = await admin.describeConfigs({
      resources: [
        { resourceType: ConfigResourceTypes.TOPIC, resourceName: topic, configurationKeys: ['retention.ms'] },
      ],
    });
    return described?.configs.find((c) => c.name === 'retention.ms')?.value;
  };
  assert.equal(await retentionOf(kafka.topic('12street.order-events')), '-1');
  assert.equal(await retentionOf(kafka.topic(`12street.${group}.dead-letters`)), String(30 * 24 * 3600 * 1000));
});
