import assert from 'node:assert/strict';
import { test } from 'node:test';
import { eventually } from '@12street/testkit';
import { brokerSkipReason, ownBroker } from './broker.ts';
import { isolatedKafka, orderPlaced } from './fixtures.ts';

const skip = await brokerSkipReason();

test('a message whose handler finishes while the broker is away does not hold its partition once the broker is back', {
  skip,
}, async (t) => {
  const broker = await ownBroker(t);
  const kafka = isolatedKafka(t, broker.brokers);
  const handled: string[] = [];
  let release = () => {};
  const released = new Promise<void>((resolve) => {
    release = resolve;
  });
  const transport = kafka.transport({ stopTimeoutMs: 2_000 });
  transport.subscribe({
    consumer: kafka.consumer('order-status'),
    eventTypes: ['OrderPlaced'],
    handle: async (event) => {
      if (event.eventId === 'in-flight') await released;
      handled.push(event.eventId);
    },
  });
  await transport.start();
  await transport.publish([orderPlaced(8, 'in-flight'), orderPlaced(8, 'behind')]);
  await eventually(() => transport.status().groups[0]?.buffered === 2, { what: 'both events fetched' });

  await broker.stop();
  // The stream failed and its reopening could not rejoin: the group is not active while the handler ends.
  await eventually(() => !transport.status().groups[0]?.joined, {
    what: 'the group to lose the broker',
    timeoutMs: 30_000,
  });
  release();
  await eventually(() => handled.includes('in-flight'), { what: 'the handler to finish' });
  await broker.start();

  await eventually(() => handled.includes('behind'), { what: 'the event behind it', timeoutMs: 60_000 });
  const stopping = Date.now();
  await transport.stop();
  assert.ok(
    Date.now() - stopping < 2_000,
    `stopping took ${Date.now() - stopping} ms: something in flight never settled`,
  );
});

test('a handler that never returns holds its partition across a broker restart no longer than a rebalance timeout', {
  skip,
}, async (t) => {
  const broker = await ownBroker(t);
  const kafka = isolatedKafka(t, broker.brokers);
  const handled: string[] = [];
  let hung = false;
  const transport = kafka.transport({ stopTimeoutMs: 500 });
  transport.subscribe({
    consumer: kafka.consumer('delivery'),
    eventTypes: ['OrderPlaced'],
    handle: async (event) => {
      if (event.eventId === 'hanging' && !hung) {
        hung = true;
        return new Promise(() => {});
      }
      handled.push(event.eventId);
    },
  });
  await transport.start();
  await transport.publish([orderPlaced(8, 'hanging'), orderPlaced(8, 'behind')]);
  await eventually(() => hung, { what: 'the handler to hang' });

  // The stream fails and is opened again: the partition's new lane waits for the old, hung one.
  await broker.stop();
  await eventually(() => !transport.status().groups[0]?.joined, {
    what: 'the group to lose the broker',
    timeoutMs: 30_000,
  });
  await broker.start();

  await eventually(() => handled.includes('behind'), { what: 'the events of the partition', timeoutMs: 60_000 });
  assert.deepEqual(handled, ['hanging', 'behind']);
});
