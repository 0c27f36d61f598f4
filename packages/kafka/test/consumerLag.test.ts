import assert from 'node:assert/strict';
import { test } from 'node:test';
import { eventually } from '@12street/testkit';
import { brokerSkipReason } from './broker.ts';
import { isolatedKafka, orderPlaced } from './fixtures.ts';

const skip = await brokerSkipReason();

test('the consumer lag counts the events not yet handled, and falls to zero once they are', { skip }, async (t) => {
  const kafka = isolatedKafka(t);
  const group = kafka.consumer('order-status');
  let open = () => {};
  const gate = new Promise<void>((resolve) => {
    open = resolve;
  });
  let handled = 0;
  const transport = kafka.transport();
  transport.subscribe({
    consumer: group,
    eventTypes: ['OrderPlaced'],
    handle: async () => {
      await gate;
      handled++;
    },
  });
  await transport.start();
  const events = Array.from({ length: 20 }, (_, i) => orderPlaced(100 + i));
  await transport.publish(events);
  const topic = kafka.topic('12street.order-events');

  const behind = await eventually(
    async () => {
      const lag = await transport.consumerLag();
      return lag.some((l) => l.lag === events.length) && lag;
    },
    { what: 'a lag of every event published', timeoutMs: 20_000 },
  );
  assert.deepEqual(
    behind.filter((l) => l.topic === topic),
    [{ group, topic, lag: events.length }],
  );
  assert.equal(handled, 0);

  open();
  await eventually(() => handled === events.length, { what: 'every event handled' });
  await eventually(async () => (await transport.consumerLag()).find((l) => l.topic === topic)?.lag === 0, {
    what: 'no lag left',
    timeoutMs: 20_000,
  });
});
