import { randomUUID } from 'node:crypto';
import { envelope, type OrderPlaced, type StreetEvent } from '@12street/contracts';
import { sampleOrder, testLogger } from '@12street/testkit';
import {
  Admin,
  Consumer,
  compatibilityPartitioner,
  Producer,
  stringDeserializers,
  stringSerializers,
} from '@platformatic/kafka';
import { type KafkaTransport, type KafkaTransportOptions, kafkaTransport } from '../src/index.ts';
import { BOOTSTRAP } from './broker.ts';

type TestContext = { after(fn: () => Promise<void>): void };

/** Small enough that a second replica or a restart rebalances in well under a second. */
export const TEST_GROUP_TIMINGS = {
  sessionTimeoutMs: 6_000, // the broker's group.min.session.timeout.ms
  heartbeatIntervalMs: 200,
  rebalanceTimeoutMs: 6_000,
  maxWaitTimeMs: 200,
};

/**
 * A Kafka namespace of one test: its own topic prefix and group names, so runs never see each
 * other's messages. Its transports are stopped, and its topics and groups deleted, when the test ends
 * (not on a broker of the test's own, given as ownBroker: that one is wiped anyway).
 */
export function isolatedKafka(t: TestContext, ownBroker?: string) {
  const bootstrap = ownBroker ?? BOOTSTRAP;
  const prefix = `t-${randomUUID().slice(0, 8)}`;
  const transports: KafkaTransport[] = [];
  const groups = new Set<string>();
  const clients: { close(force?: boolean): Promise<void> }[] = [];

  t.after(async () => {
    await Promise.all(transports.map((transport) => transport.stop()));
    await Promise.all(clients.map((client) => client.close(true)));
    if (ownBroker) return;
    const admin = new Admin({ clientId: `${prefix}-cleanup`, bootstrapBrokers: [BOOTSTRAP] });
    try {
      const ours = (await admin.listTopics()).filter((topic) => topic.startsWith(`${prefix}.`));
      if (ours.length > 0) await admin.deleteTopics({ topics: ours });
      const existing = new Set((await admin.listGroups()).keys());
      const empty = [...groups].filter((group) => existing.has(group));
      if (empty.length > 0) await admin.deleteGroups({ groups: empty });
    } finally {
      await admin.close();
    }
  });

  return {
    prefix,
    topic: (name: string) => `${prefix}.${name}`,
    /** A consumer (group) name private to this test. */
    consumer(name: string) {
      const group = `${prefix}-${name}`;
      groups.add(group);
      return group;
    },
    transport(overrides: Partial<KafkaTransportOptions> = {}) {
      const transport = kafkaTransport({
        bootstrapBrokers: [bootstrap],
        clientId: `${prefix}-${transports.length}`,
        logger: testLogger('kafka'),
        topicPrefix: prefix,
        group: TEST_GROUP_TIMINGS,
        retryBackoff: { baseMs: 20, maxMs: 100 },
        ...overrides,
      });
      transports.push(transport);
      return transport;
    },
    /** Writes records as they are, bypassing the transport (for poison messages). */
    async produceRaw(messages: { topic: string; key: string; value: string }[]) {
      const producer = new Producer({
        clientId: `${prefix}-raw`,
        bootstrapBrokers: [bootstrap],
        serializers: stringSerializers,
      });
      clients.push(producer);
      await producer.send({ messages });
    },
    /** The group's committed offsets, as `topic:partition` → next offset to read. */
    async committedOffsets(group: string) {
      const admin = new Admin({ clientId: `${prefix}-offsets`, bootstrapBrokers: [bootstrap] });
      try {
        const [offsets] = await admin.listConsumerGroupOffsets({ groups: [group] });
        return Object.fromEntries(
          (offsets?.topics ?? []).flatMap((topic) =>
            topic.partitions
              .filter((p) => p.committedOffset >= 0n)
              .map((p) => [`${topic.name}:${p.partitionIndex}`, Number(p.committedOffset)]),
          ),
        );
      } finally {
        await admin.close();
      }
    },
    /** The first records of a topic as they are on the wire. */
    async readRaw(topic: string, count: number) {
      const consumer = new Consumer({
        clientId: `${prefix}-raw`,
        groupId: this.consumer('raw-reader'),
        bootstrapBrokers: [bootstrap],
        deserializers: stringDeserializers,
      });
      clients.push(consumer);
      const stream = await consumer.consume({ topics: [topic], mode: 'earliest', autocommit: false });
      const records = [];
      for await (const record of stream) {
        records.push(record);
        if (records.length === count) break;
      }
      return records;
    },
  };
}

export function orderPlaced(orderId: number, eventId: string = randomUUID()): OrderPlaced {
  return envelope(
    'OrderPlaced',
    orderId,
    { ...sampleOrder(), orderStatus: 'OrderPlaced' },
    { eventId, occurredAt: new Date() },
  );
}

/** The partition (of 6) the transport's producer picks for an order's events. */
export const partitionOf = (orderId: number) =>
  compatibilityPartitioner({ topic: '' }, Buffer.from(String(orderId))) % 6;

/** A subscription handler that keeps what it was given, in arrival order. */
export function recorder() {
  const events: StreetEvent[] = [];
  return {
    events,
    ids: () => events.map((e) => e.eventId),
    handle: async (event: StreetEvent) => {
      events.push(event);
    },
  };
}
