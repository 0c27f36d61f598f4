import assert from 'node:assert/strict';
import { test } from 'node:test';
import { eventually } from '@12street/testkit';
import type { KafkaTransport } from '../src/index.ts';
import { brokerSkipReason } from './broker.ts';
import { isolatedKafka, orderPlaced, recorder } from './fixtures.ts';

const skip = await brokerSkipReason();

const partitionsOf = (transport: KafkaTransport) =>
  transport.status().groups.flatMap((g) => g.assignments.flatMap((a) => a.partitions));

test('two replicas of a service split the partitions and each event is handled once across them', {
  skip,
}, async (t) => {
  const kafka = isolatedKafka(t);
  const consumer = kafka.consumer('delivery');
  const handledBy = [recorder(), recorder()];
  const replicas = handledBy.map((received) => {
    const replica = kafka.transport();
    replica.subscribe({ consumer, eventTypes: ['OrderPlaced'], handle: received.handle });
    return replica;
  });
  for (const replica of replicas) await replica.start();

  await eventually(
    () => {
      const [first, second] = replicas.map(partitionsOf);
      return first?.length && second?.length && [...(first ?? []), ...(second ?? [])].sort().join() === '0,1,2,3,4,5';
    },
    { what: 'the rebalance to give both replicas partitions' },
  );

  const published = Array.from({ length: 40 }, (_, i) => orderPlaced(i + 1));
  await replicas[0]?.publish(published);

  const handled = () => handledBy.flatMap((r) => r.ids());
  await eventually(() => handled().length >= published.length, { what: 'every event' });
  const counts = Map.groupBy(handled(), (id) => id);
  assert.deepEqual(
    published.filter((e) => counts.get(e.eventId)?.length !== 1).map((e) => e.eventId),
    [],
    'every event exactly once',
  );
  assert.ok(
    handledBy.every((r) => r.events.length > 0),
    'both replicas handled some',
  );
});

test('a restarted consumer resumes from its committed offset: nothing missed, nothing handled twice', {
  skip,
}, async (t) => {
  const kafka = isolatedKafka(t);
  const consumer = kafka.consumer('order-status');
  const received = recorder();
  const instance = () => {
    const transport = kafka.transport();
    transport.subscribe({ consumer, eventTypes: ['OrderPlaced'], handle: received.handle });
    return transport;
  };
  const before = Array.from({ length: 5 }, (_, i) => orderPlaced(5, `before-${i}`));
  const whileDown = Array.from({ length: 5 }, (_, i) => orderPlaced(5, `while-down-${i}`));

  const first = instance();
  await first.start();
  await first.publish(before);
  await eventually(() => received.events.length === before.length, { what: 'the first events' });
  await first.stop();

  const publisher = kafka.transport();
  await publisher.publish(whileDown);

  const second = instance();
  await second.start();
  await eventually(() => received.events.length >= before.length + whileDown.length, {
    what: 'the events sent while down',
  });
  // One order means one partition: a re-delivered old event would have come before the new ones.
  assert.deepEqual(
    received.ids(),
    [...before, ...whileDown].map((e) => e.eventId),
  );
});

test('when one replica stops, the other takes over its partitions and nothing is lost', { skip }, async (t) => {
  const kafka = isolatedKafka(t);
  const consumer = kafka.consumer('marketing');
  const received = recorder();
  const replicas = [kafka.transport(), kafka.transport()];
  for (const replica of replicas) {
    replica.subscribe({ consumer, eventTypes: ['OrderPlaced'], handle: received.handle });
    await replica.start();
  }
  const [leaving, staying] = replicas as [KafkaTransport, KafkaTransport];
  await eventually(() => partitionsOf(leaving).length > 0 && partitionsOf(staying).length > 0, {
    what: 'both replicas with partitions',
  });

  await leaving.stop();
  await eventually(() => partitionsOf(staying).length === 6, { what: 'the survivor to own every partition' });
  const published = Array.from({ length: 12 }, (_, i) => orderPlaced(i + 1));
  await staying.publish(published);

  await eventually(() => published.every((e) => received.ids().includes(e.eventId)), { what: 'every event' });
});

test('when a replica leaves, the one that stays takes over all its partitions', { skip }, async (t) => {
  const kafka = isolatedKafka(t);
  const consumer = kafka.consumer('delivery');
  const received = recorder();
  const replicas = [kafka.transport(), kafka.transport()];
  for (const replica of replicas) {
    replica.subscribe({ consumer, eventTypes: ['OrderPlaced'], handle: received.handle });
    await replica.start();
  }
  const [staying, leaving] = replicas as [KafkaTransport, KafkaTransport];
  await eventually(() => partitionsOf(staying).length > 0 && partitionsOf(leaving).length > 0, {
    what: 'both replicas own partitions',
  });
  await leaving.stop();
  await eventually(() => partitionsOf(staying).sort().join() === '0,1,2,3,4,5', {
    what: `the staying replica to own every partition (has ${partitionsOf(staying)})`,
    timeoutMs: 20_000,
  });
  const published = Array.from({ length: 12 }, (_, i) => orderPlaced(100 + i));
  await staying.publish(published);
  await eventually(() => published.every((e) => received.ids().includes(e.eventId)), { what: 'every event handled' });
});
