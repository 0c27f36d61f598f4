import assert from 'node:assert/strict';
import { test } from 'node:test';
import { eventually } from '@12street/testkit';
import pino from 'pino';
import { brokerSkipReason } from './broker.ts';
import { isolatedKafka, orderPlaced, recorder } from './fixtures.ts';

const skip = await brokerSkipReason();

test('a poison message is moved to the dead-letter topic with where it sat, and the events behind it still arrive', {
  skip,
}, async (t) => {
  const kafka = isolatedKafka(t);
  const errors: Record<string, unknown>[] = [];
  const logger = pino({ level: 'error' }, { write: (line: string) => void errors.push(JSON.parse(line)) });
  const received = recorder();
  const transport = kafka.transport({ logger });
  const group = kafka.consumer('payment');
  transport.subscribe({ consumer: group, eventTypes: ['OrderPlaced'], handle: received.handle });
  await transport.start();

  const topic = kafka.topic('12street.order-events');
  const unreadable = ['{not json', JSON.stringify({ ...orderPlaced(77), orderId: 'seventy-seven' })];
  await kafka.produceRaw(unreadable.map((value) => ({ topic, key: '77', value })));
  const valid = orderPlaced(77);
  await transport.publish([valid]);

  await eventually(() => received.events.length === 1, { what: 'the valid event' });
  assert.deepEqual(received.events, [valid]);
  const poison = errors.filter((e) => e.msg === 'poison message parked');
  assert.deepEqual(
    poison.map((e) => [e.topic, e.offset]),
    [
      [topic, '0'],
      [topic, '1'],
    ],
  );
  const partition = poison[0]?.partition;
  assert.equal(typeof partition, 'number');
  await eventually(async () => (await kafka.committedOffsets(group))[`${topic}:${partition}`] === 3, {
    what: 'the offset committed past all three',
  });

  const parked = await kafka.readRaw(kafka.topic(`12street.${group}.dead-letters`), 2);
  assert.deepEqual(
    parked.map((r) => [r.key, r.value]),
    unreadable.map((value) => ['77', value]),
  );
  const headers = parked.map((r) => Object.fromEntries(r.headers ?? []));
  assert.deepEqual(
    headers.map((h) => [h['original-topic'], h['original-partition'], h['original-offset'], h.attempts, h.consumer]),
    [
      [topic, String(partition), '0', '1', '(unreadable)'],
      [topic, String(partition), '1', '1', '(unreadable)'],
    ],
  );
  assert.match(String(headers[0]?.error), /JSON/);
  assert.match(String(headers[1]?.error), /orderId/);
});
