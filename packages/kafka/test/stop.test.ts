import assert from 'node:assert/strict';
import { test } from 'node:test';
import { eventually } from '@12street/testkit';
import { brokerSkipReason } from './broker.ts';
import { isolatedKafka, orderPlaced, partitionOf } from './fixtures.ts';

const skip = await brokerSkipReason();

test('stop lets the event being handled finish and commits it, and drops what waits behind it', { skip }, async (t) => {
  const kafka = isolatedKafka(t);
  const group = kafka.consumer('delivery');
  const started: string[] = [];
  let finish = () => {};
  const transport = kafka.transport();
  transport.subscribe({
    consumer: group,
    eventTypes: ['OrderPlaced'],
    handle: (event) =>
      new Promise<void>((resolve) => {
        started.push(event.eventId);
        finish = resolve;
      }),
  });
  await transport.start();
  await transport.publish([orderPlaced(8, 'in-flight'), orderPlaced(8, 'waiting')]);
  await eventually(() => started.length === 1, { what: 'the first event in its handler' });

  const stopped = transport.stop();
  finish();
  await stopped;

  assert.deepEqual(started, ['in-flight']);
  const committed = await kafka.committedOffsets(group);
  assert.equal(committed[`${kafka.topic('12street.order-events')}:${partitionOf(8)}`], 1);
});

test('stop ends in bounded time even when a handler never returns', { skip }, async (t) => {
  const kafka = isolatedKafka(t);
  let entered = false;
  const transport = kafka.transport({ stopTimeoutMs: 300 });
  transport.subscribe({
    consumer: kafka.consumer('payment'),
    eventTypes: ['OrderPlaced'],
    handle: () => {
      entered = true;
      return new Promise(() => {});
    },
  });
  await transport.start();
  await transport.publish([orderPlaced(4)]);
  await eventually(() => entered, { what: 'the handler' });

  const begun = Date.now();
  await transport.stop();
  assert.ok(Date.now() - begun < 2_000, `stopped after ${Date.now() - begun} ms`);
});
