import assert from 'node:assert/strict';
import { test } from 'node:test';
import { envelope, type StreetEvent } from '@12street/contracts';
import { testLogger } from '@12street/testkit';
import { Admin } from '@platformatic/kafka';
import { replayEvents, streetTopics } from '../src/index.ts';
import { BOOTSTRAP, brokerSkipReason } from './broker.ts';
import { isolatedKafka, orderPlaced, TEST_GROUP_TIMINGS } from './fixtures.ts';

const skip = await brokerSkipReason();

const canceledPayment = (orderId: number, eventId: string) =>
  envelope(
    'PaymentCanceled',
    orderId,
    { paymentId: orderId, userId: 'u', payStatus: 'Canceled', reason: 'r' },
    { eventId, occurredAt: new Date() },
  );

test('a replay reads every topic from the beginning up to the end it found at the start, in order per order, then stops', {
  skip,
}, async (t) => {
  const kafka = isolatedKafka(t);
  const transport = kafka.transport();
  await transport.start();
  const history: StreetEvent[] = Array.from({ length: 12 }, (_, i) => [
    orderPlaced((i % 4) + 1, `placed-${i}`),
    canceledPayment((i % 4) + 1, `canceled-${i}`),
  ]).flat();
  await transport.publish(history);
  await kafka.produceRaw([{ topic: kafka.topic('12street.order-events'), key: '1', value: 'not an event' }]);

  const replayed: StreetEvent[] = [];
  const groupId = kafka.consumer('replay');
  const result = await replayEvents({
    bootstrapBrokers: [BOOTSTRAP],
    topics: streetTopics(kafka.prefix),
    groupId,
    logger: testLogger(),
    timings: TEST_GROUP_TIMINGS,
    async handle(event) {
      // Published while the replay runs: past the end it set out to reach.
      if (replayed.length === 0) await transport.publish([orderPlaced(1, 'later')]);
      replayed.push(event);
    },
  });

  assert.equal(result.events, history.length);
  assert.equal(result.unreadable, 1);
  assert.deepEqual(replayed.map((e) => e.eventId).toSorted(), history.map((e) => e.eventId).toSorted());
  for (const orderId of [1, 2, 3, 4]) {
    for (const type of ['OrderPlaced', 'PaymentCanceled']) {
      const of = (events: StreetEvent[]) =>
        events.filter((e) => e.orderId === orderId && e.eventType === type).map((e) => e.eventId);
      assert.deepEqual(of(replayed), of(history), `order ${orderId}'s ${type} events in order`);
    }
  }
  const admin = new Admin({ clientId: `${kafka.prefix}-check`, bootstrapBrokers: [BOOTSTRAP] });
  t.after(() => admin.close());
  assert.equal((await admin.listGroups()).has(groupId), false, 'the replay group is gone');
});

test('a replay of empty topics ends at once', { skip }, async (t) => {
  const kafka = isolatedKafka(t);
  await kafka.transport().start();
  const result = await replayEvents({
    bootstrapBrokers: [BOOTSTRAP],
    topics: streetTopics(kafka.prefix),
    groupId: kafka.consumer('replay'),
    logger: testLogger(),
    timings: TEST_GROUP_TIMINGS,
    handle: async () => assert.fail('no events to replay'),
  });
  assert.equal(result.events, 0);
});
