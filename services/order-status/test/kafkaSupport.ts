import { randomUUID } from 'node:crypto';
import { kafkaTransport } from '@12street/kafka';
import type { EventTransport } from '@12street/platform';
import { INFRA, testLogger } from '@12street/testkit';
import { Admin } from '@platformatic/kafka';

type TestContext = { after(fn: () => Promise<void>): void };

/**
 * Topics and a consumer group of the test's own on the real broker, deleted when it ends. The
 * service's subscriptions are moved into that group, so parallel runs never share one.
 */
export function isolatedKafka(t: TestContext) {
  const prefix = `t-${randomUUID().slice(0, 8)}`;
  const group = `${prefix}-order-status`;
  const brokers = INFRA.kafka.split(',');
  const transports: EventTransport[] = [];
  t.after(async () => {
    for (const transport of transports) await transport.stop();
    const admin = new Admin({ clientId: `${prefix}-cleanup`, bootstrapBrokers: brokers });
    try {
      const ours = (await admin.listTopics()).filter((topic) => topic.startsWith(`${prefix}.`));
      if (ours.length > 0) await admin.deleteTopics({ topics: ours });
      if ((await admin.listGroups()).has(group)) await admin.deleteGroups({ groups: [group] });
    } finally {
      await admin.close();
    }
  });
  return {
    prefix,
    brokers,
    transport(): EventTransport {
      const transport = kafkaTransport({
        bootstrapBrokers: brokers,
        clientId: prefix,
        topicPrefix: prefix,
        logger: testLogger('kafka'),
        group: { sessionTimeoutMs: 6_000, heartbeatIntervalMs: 200, rebalanceTimeoutMs: 6_000, maxWaitTimeMs: 200 },
      });
      transports.push(transport);
      return { ...transport, subscribe: (s) => transport.subscribe({ ...s, consumer: group }) };
    },
  };
}
