import assert from 'node:assert/strict';
import { test } from 'node:test';
import { eventually } from '@12street/testkit';
import pino from 'pino';
import { brokerSkipReason } from './broker.ts';
import { isolatedKafka, orderPlaced, recorder } from './fixtures.ts';

const skip = await brokerSkipReason();

test('a poison message is logged with where it sits and skipped, and the events behind it still arrive', {
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
  await kafka.produceRaw([
    { topic, key: '77', value: '{not json' },
    { topic, key: '77', value: JSON.stringify({ ...orderPlaced(77), orderId: 'seventy-seven' }) },
  ]);
  const valid = orderPlaced(77);
  await transport.publish([valid]);

  await eventually(() => received.events.length === 1, { what: 'the valid event' });
  assert.deepEqual(received.events, [valid]);
  const poison = errors.filter((e) => e.msg === 'poison message skipped');
  assert.deepEqual(
    poison.map((e) => [e.topic, e.offset]),
    [
      [topic, '0'],
      [topic, '1'],
    ],
  );
  assert.match(String(poison[0]?.reason), /JSON/);
  assert.match(String(poison[1]?.reason), /orderId/);
  assert.equal(typeof poison[0]?.partition, 'number');
  await eventually(async () => (await kafka.committedOffsets(group))[`${topic}:${poison[0]?.partition}`] === 3, {
    what: 'the offset committed past all three',
  });
});
