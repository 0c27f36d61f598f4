import assert from 'node:assert/strict';
import { test } from 'node:test';
import { eventually } from '@12street/testkit';
import { brokerSkipReason } from './broker.ts';
import { isolatedKafka, orderPlaced, partitionOf } from './fixtures.ts';

const skip = await brokerSkipReason();

/** Checks the transport's liveness as often as eventually would, for as long as given. */
async function liveThroughout(status: () => { live: boolean; stalled: unknown[] }, ms: number) {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    const now = status();
    assert.ok(now.live, `not live: ${JSON.stringify(now.stalled)}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

test('a handler that never returns stalls its partition, and the transport is no longer live', { skip }, async (t) => {
  const kafka = isolatedKafka(t);
  const group = kafka.consumer('delivery');
  let entered = false;
  const transport = kafka.transport({ stallTimeoutMs: 1_000, stopTimeoutMs: 300 });
  transport.subscribe({
    consumer: group,
    eventTypes: ['OrderPlaced'],
    handle: () => {
      entered = true;
      return new Promise(() => {});
    },
  });
  await transport.start();
  await transport.publish([orderPlaced(4)]);
  await eventually(() => entered, { what: 'the handler' });
  assert.equal(transport.status().live, true, 'not stalled before stallTimeoutMs');

  const stalled = await eventually(() => !transport.status().live && transport.status().stalled, {
    what: 'the partition reported stalled',
  });
  assert.deepEqual(
    stalled.map(({ group, topic, partition }) => ({ group, topic, partition })),
    [{ group, topic: kafka.topic('12street.order-events'), partition: partitionOf(4) }],
  );
  assert.ok(Date.now() - (stalled[0]?.sinceMs ?? 0) >= 1_000);
});

test('a consumer that keeps up, or retries a failing message with long back-offs, stays live', { skip }, async (t) => {
  const kafka = isolatedKafka(t);
  const handled: string[] = [];
  let failuresLeft = 2;
  const transport = kafka.transport({ stallTimeoutMs: 500, retryBackoff: { baseMs: 800, maxMs: 800 } });
  transport.subscribe({
    consumer: kafka.consumer('marketing'),
    eventTypes: ['OrderPlaced'],
    handle: async (event) => {
      if (event.eventId === 'failing' && failuresLeft-- > 0) throw new Error('not yet');
      handled.push(event.eventId);
    },
  });
  await transport.start();
  await transport.publish([orderPlaced(1, 'failing'), orderPlaced(1, 'behind'), orderPlaced(2, 'elsewhere')]);

  await eventually(() => transport.status().groups[0]?.retrying.length === 1, { what: 'the failing event retried' });
  await liveThroughout(() => transport.status(), 1_200);
  await eventually(() => handled.length === 3, { what: 'every event handled' });
  await liveThroughout(() => transport.status(), 1_000);
  assert.deepEqual(transport.status().stalled, []);
});
