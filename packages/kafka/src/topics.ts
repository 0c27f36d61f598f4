import { STREET_EVENT_TYPES, type StreetEventType, topicOf } from '@12street/contracts';
import { Admin, findErrorBy } from '@platformatic/kafka';

/** The topic an event type travels on; a prefix (`t-1a2b`) isolates a test run's topics from everyone else's. */
export const topicFor = (eventType: StreetEventType, topicPrefix = ''): string =>
  topicPrefix ? `${topicPrefix}.${topicOf(eventType)}` : topicOf(eventType);

/** Where a consuming service (a consumer group) keeps the messages it gave up on. */
export const deadLetterTopicFor = (service: string, topicPrefix = ''): string =>
  topicPrefix ? `${topicPrefix}.12street.${service}.dead-letters` : `12street.${service}.dead-letters`;

/** The four topics of the system (one per publishing service). */
export const streetTopics = (topicPrefix = ''): string[] => [
  ...new Set(STREET_EVENT_TYPES.map((eventType) => topicFor(eventType, topicPrefix))),
];

/**
 * The events are the system's history: order-status rebuilds its view by replaying them from the
 * beginning, so they are kept for good (they are small; compaction would drop all but an order's last).
 */
export const EVENT_TOPIC_CONFIG = { 'retention.ms': '-1', 'cleanup.policy': 'delete' };

/** Dead letters also stay in each service's table until redriven; the topic is for tools, 30 days. */
export const DEAD_LETTER_TOPIC_CONFIG = { 'retention.ms': String(30 * 24 * 3600 * 1000), 'cleanup.policy': 'delete' };

export type EnsureTopicsOptions = {
  bootstrapBrokers: string[];
  /** Defaults to the four street topics under topicPrefix. */
  topics?: string[];
  topicPrefix?: string;
  partitions?: number;
  replicationFactor?: number;
  clientId?: string;
  /** Topic-level settings for the topics it creates. */
  configs?: Record<string, string>;
};

/**
 * Creates the topics that do not exist yet (the broker does not auto-create them). Existing topics
 * are left as they are, whatever their partition count; returns the names it created.
 */
export async function ensureTopics(options: EnsureTopicsOptions): Promise<string[]> {
  const { bootstrapBrokers, topicPrefix, partitions = 6, replicationFactor = 1 } = options;
  const wanted = options.topics ?? streetTopics(topicPrefix);
  const admin = new Admin({ clientId: options.clientId ?? '12street-topics', bootstrapBrokers, retryDelay: 100 });
  try {
    const existing = new Set(await admin.listTopics());
    const missing = wanted.filter((topic) => !existing.has(topic));
    if (missing.length === 0) return [];
    try {
      await admin.createTopics({
        topics: missing,
        partitions,
        replicas: replicationFactor,
        configs: Object.entries(options.configs ?? {}).map(([name, value]) => ({ name, value })),
      });
    } catch (error) {
      // Another replica starting at the same moment may have created them first; that is the goal anyway.
      if (!findErrorBy(error as Error, 'apiId', 'TOPIC_ALREADY_EXISTS')) throw error;
    }
    await untilServing(admin, missing);
    return missing;
  } finally {
    await admin.close();
  }
}

/**
 * Freshly created partitions answer NOT_LEADER_OR_FOLLOWER for a moment even once metadata names a
 * leader; the first fetch would then back off a whole second. Wait until every partition serves reads.
 */
async function untilServing(admin: Admin, topics: string[], timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const metadata = await admin.metadata({ topics, forceUpdate: true });
      await admin.listOffsets({
        topics: topics.map((name) => ({
          name,
          partitions: Array.from({ length: metadata.topics.get(name)?.partitionsCount ?? 0 }, (_, partitionIndex) => ({
            partitionIndex,
            timestamp: -1n,
          })),
        })),
      });
      return;
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
}
