import type { Backoff, EventTransport, Subscription } from '@12street/platform';
import type { Logger } from 'pino';
import {
  type ConsumerGroup,
  consumerGroup,
  DEFAULT_GROUP_TIMINGS,
  type GroupStatus,
  type GroupTimings,
} from './consumerGroup.ts';
import { createPublisher } from './publisher.ts';
import {
  DEAD_LETTER_TOPIC_CONFIG,
  deadLetterTopicFor,
  EVENT_TOPIC_CONFIG,
  ensureTopics,
  streetTopics,
  topicFor,
} from './topics.ts';
import { within } from './within.ts';

export type KafkaTransportOptions = {
  bootstrapBrokers: string[];
  clientId: string;
  logger: Logger;
  /** Isolates topics (`<prefix>.12street.order-events`), for tests. */
  topicPrefix?: string;
  /** For topics this transport creates; existing topics keep theirs. */
  partitions?: number;
  replicationFactor?: number;
  /** Between attempts at a message whose handler failed (a subscription's deadLetters bounds how many). */
  retryBackoff?: Backoff;
  /** Group membership and fetch timings; tests shrink them to rebalance quickly. */
  group?: Partial<GroupTimings>;
  /** Per shutdown phase (in-flight messages, leaving the groups, closing the producer). */
  stopTimeoutMs?: number;
  maxBufferedMessages?: number;
  /** A partition with work and no message completed for this long is stalled, and the transport not live. */
  stallTimeoutMs?: number;
};

export type KafkaTransportStatus = {
  /** Started, producer healthy, and every consumer group joined and consuming (false during a rebalance). */
  ready: boolean;
  /** healthy: connected at start and the last publish succeeded; connected: sockets open right now. */
  producer: { healthy: boolean; connected: boolean };
  groups: GroupStatus[];
  /** No partition is stalled: false means only a restart is likely to get the consumers going again. */
  live: boolean;
  stalled: { group: string; topic: string; partition: number; sinceMs: number }[];
};

export type ConsumerLag = { group: string; topic: string; lag: number };

export type KafkaTransport = EventTransport & {
  status(): KafkaTransportStatus;
  /**
   * By group and topic, the messages not yet processed on the partitions this member is assigned
   * (read from the broker at most every few seconds, and bounded in time).
   */
  consumerLag(): Promise<ConsumerLag[]>;
};

/**
 * The distributed mode's transport. Every subscription with the same consumer name shares one
 * consumer group named after it, so a service's replicas split the partitions between them and
 * each event reaches one replica of each subscribing service (at least once: inboxes de-duplicate).
 * What a service gives up on goes to its dead-letter topic (`12street.<service>.dead-letters`).
 */
export function kafkaTransport(options: KafkaTransportOptions): KafkaTransport {
  const { bootstrapBrokers, clientId, logger, topicPrefix } = options;
  const log = logger.child({ transport: 'kafka' });
  const stopTimeoutMs = options.stopTimeoutMs ?? 10_000;
  const subscriptions: Subscription[] = [];
  const publisher = createPublisher({ bootstrapBrokers, clientId, topicPrefix });
  let groups: ConsumerGroup[] = [];
  let started: Promise<void> | undefined;
  let running = false;
  let stopped: Promise<void> | undefined;

  const createGroups = () =>
    [...Map.groupBy(subscriptions, (s) => s.consumer)].map(([groupId, ofGroup]) =>
      consumerGroup({
        bootstrapBrokers,
        clientId,
        groupId,
        topics: [...new Set(ofGroup.flatMap((s) => s.eventTypes.map((type) => topicFor(type, topicPrefix))))],
        subscriptions: ofGroup,
        logger: log,
        retryBackoff: options.retryBackoff ?? { baseMs: 200, maxMs: 5_000 },
        timings: { ...DEFAULT_GROUP_TIMINGS, ...options.group },
        maxBufferedMessages: options.maxBufferedMessages ?? 1_000,
        stallTimeoutMs: options.stallTimeoutMs ?? 60_000,
        deadLetterTopic: deadLetterTopicFor(groupId, topicPrefix),
        send: (messages) => publisher.send(messages),
      }),
    );

  const start = async () => {
    const topics = streetTopics(topicPrefix);
    const deadLetterTopics = [...new Set(subscriptions.map((s) => deadLetterTopicFor(s.consumer, topicPrefix)))];
    const creating = {
      bootstrapBrokers,
      clientId: `${clientId}-admin`,
      partitions: options.partitions,
      replicationFactor: options.replicationFactor,
    };
    await ensureTopics({ ...creating, topics, configs: EVENT_TOPIC_CONFIG });
    await ensureTopics({ ...creating, topics: deadLetterTopics, configs: DEAD_LETTER_TOPIC_CONFIG });
    await publisher.connect([...topics, ...deadLetterTopics]);
    groups = createGroups();
    await Promise.all(groups.map((group) => group.start()));
    running = true;
    log.info({ groups: groups.map((g) => g.groupId) }, 'kafka transport started');
  };

  const stop = async () => {
    running = false;
    if (started) await Promise.allSettled([started]);
    await Promise.all(groups.map((group) => group.stop(stopTimeoutMs)));
    await within(log, 'closing the producer', stopTimeoutMs, [publisher.close()]);
  };

  return {
    name: 'kafka',
    subscribe(subscription) {
      if (started) throw new Error('kafkaTransport: subscribe() must come before start()');
      subscriptions.push(subscription);
    },
    publish: (events, contexts) => publisher.publish(events, contexts),
    start() {
      if (stopped) return Promise.reject(new Error('kafkaTransport: stopped, cannot start again'));
      started ??= start();
      return started;
    },
    stop() {
      stopped ??= stop();
      return stopped;
    },
    status() {
      const groupStatuses = groups.map((group) => group.status());
      const stalled = groupStatuses.flatMap((g) => g.stalled.map((partition) => ({ group: g.groupId, ...partition })));
      return {
        ready: running && publisher.healthy && groupStatuses.every((g) => g.joined && g.consuming),
        producer: { healthy: publisher.healthy, connected: publisher.connected },
        groups: groupStatuses,
        live: stalled.length === 0,
        stalled,
      };
    },
    async consumerLag() {
      const lags = await Promise.all(
        groups.map(async (group) => (await group.lag()).map((lag) => ({ group: group.groupId, ...lag }))),
      );
      return lags.flat();
    },
  };
}
