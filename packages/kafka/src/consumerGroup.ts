import type { Backoff, Subscription } from '@12street/platform';
import { nextDelayMs } from '@12street/platform';
import { Consumer, type MessagesStream, stringDeserializers } from '@platformatic/kafka';
import type { Logger } from 'pino';
import { deadLetterMessage } from './deadLetters.ts';
import { type Delivery, dispatcher, type Incoming, type ParkRecord } from './dispatch.ts';
import { type PartitionLane, partitionLane } from './partitionLane.ts';
import { readPartitionMarks } from './partitionMarks.ts';
import { partitionProgress, type StalledPartition, type TopicLag } from './partitionProgress.ts';
import type { WireMessage } from './wire.ts';
import { bounded, within } from './within.ts';

export type GroupTimings = {
  sessionTimeoutMs: number;
  heartbeatIntervalMs: number;
  /** How long the broker waits for every member to rejoin during a rebalance (>= sessionTimeoutMs). */
  rebalanceTimeoutMs: number;
  /** Fetch long-poll: how long the broker may hold a fetch open waiting for new messages. */
  maxWaitTimeMs: number;
  /** An offset commit not answered by then is given up (the message may come again; inboxes drop it). */
  commitTimeoutMs: number;
};

export const DEFAULT_GROUP_TIMINGS: GroupTimings = {
  sessionTimeoutMs: 30_000,
  heartbeatIntervalMs: 3_000,
  rebalanceTimeoutMs: 60_000,
  maxWaitTimeMs: 1_000,
  commitTimeoutMs: 10_000,
};

/** A member of a consumer group with these timings, reading strings and committing only when told to. */
export function groupMember(options: {
  clientId: string;
  groupId: string;
  bootstrapBrokers: string[];
  timings: GroupTimings;
}) {
  const { timings } = options;
  return new Consumer({
    clientId: options.clientId,
    groupId: options.groupId,
    bootstrapBrokers: options.bootstrapBrokers,
    deserializers: stringDeserializers,
    autocommit: false,
    sessionTimeout: timings.sessionTimeoutMs,
    heartbeatInterval: timings.heartbeatIntervalMs,
    rebalanceTimeout: timings.rebalanceTimeoutMs,
    maxWaitTime: timings.maxWaitTimeMs,
  });
}

export type GroupStatus = {
  groupId: string;
  /** A member of the group (possibly with no partitions, when there are more replicas than partitions). */
  joined: boolean;
  consuming: boolean;
  generationId: number;
  assignments: { topic: string; partitions: number[] }[];
  buffered: number;
  /** topic:partition whose head message is failing and being retried. */
  retrying: string[];
  /**
   * Partitions with work (messages buffered or in flight, or a known lag) that showed no progress
   * for stallTimeoutMs: sinceMs is when they last did (epoch ms).
   */
  stalled: StalledPartition[];
};

export type ConsumerGroup = {
  readonly groupId: string;
  start(): Promise<void>;
  stop(timeoutMs: number): Promise<void>;
  status(): GroupStatus;
  /** Messages not yet processed on the partitions this member is assigned, by topic. */
  lag(): Promise<TopicLag[]>;
};

/**
 * One consumer group (one service): a single stream over the group's topics, split here into one
 * lane per partition, because the library delivers every assigned partition through one stream and
 * cannot pause a single partition. A message's offset is committed only after every matching
 * subscription handled it.
 */
export function consumerGroup(options: {
  bootstrapBrokers: string[];
  clientId: string;
  groupId: string;
  topics: string[];
  subscriptions: Subscription[];
  logger: Logger;
  retryBackoff: Backoff;
  timings: GroupTimings;
  /** Above this many fetched-but-unprocessed messages the whole stream pauses until half drained. */
  maxBufferedMessages: number;
  /** A partition with work and no progress for this long is reported stalled. */
  stallTimeoutMs: number;
  /** The group's dead-letter topic, and how to produce to it. */
  deadLetterTopic: string;
  send(messages: readonly WireMessage[]): Promise<void>;
}): ConsumerGroup {
  const { groupId, timings } = options;
  const log = options.logger.child({ consumerGroup: groupId });
  const consumer = groupMember({
    clientId: `${options.clientId}-${groupId}`,
    groupId,
    bootstrapBrokers: options.bootstrapBrokers,
    timings,
  });
  // On the topic first: if the service's table then fails, the retry parks it again (the topic may
  // hold it twice; the table keeps one letter per event and consumer).
  const parkRecord: ParkRecord = async (record, letter, park) => {
    await options.send([deadLetterMessage(record, letter, options.deadLetterTopic)]);
    await park?.(letter);
  };
  const deliver = dispatcher(options.subscriptions, log, parkRecord);
  const lanes = new Map<string, PartitionLane<Delivery>>();
  const closingLanes = new Map<string, Promise<void>>();
  let stream: MessagesStream<string, string, string, string> | undefined;
  let buffered = 0;
  let paused = false;
  let stopping = false;
  let stopped: Promise<void> | undefined;
  let reopenTimer: NodeJS.Timeout | undefined;
  let reopenAttempts = 0;
  const progress = partitionProgress({
    topics: options.topics,
    assignments: () => consumer.assignments ?? [],
    readMarks: (assignments) => readPartitionMarks(consumer, assignments),
    stallTimeoutMs: options.stallTimeoutMs,
    log,
  });

  const owns = (topic: string, partition: number) =>
    consumer.assignments?.some((a) => a.topic === topic && a.partitions.includes(partition)) ?? false;

  const commit = async ({ record }: Delivery) => {
    progress.processed(record.topic, record.partition, record.offset);
    // Revoked meanwhile: the new owner starts from the last commit, so committing now would only rewind it.
    if (!owns(record.topic, record.partition)) return;
    try {
      // Bounded: the library never settles a commit asked of a stream that is gone while the group is
      // rejoining (as after a broker restart), and the partition's next lane waits for this one.
      await bounded(Promise.resolve(record.commit()), timings.commitTimeoutMs, 'offset commit');
    } catch (error) {
      log.warn(
        { err: error, topic: record.topic, partition: record.partition, offset: String(record.offset) },
        'offset commit failed; the message may be delivered again',
      );
    }
  };

  const left = (count: number) => {
    buffered -= count;
    if (paused && buffered <= options.maxBufferedMessages / 2) {
      paused = false;
      stream?.resume();
    }
  };

  const laneFor = (key: string) => {
    let lane = lanes.get(key);
    if (!lane) {
      lane = partitionLane<Delivery>({
        backoff: options.retryBackoff,
        process: deliver,
        completed: commit,
        left,
        after: previousLane(key),
        failed: ({ record }, error, attempt, delayMs) =>
          log.warn(
            {
              err: error,
              topic: record.topic,
              partition: record.partition,
              offset: String(record.offset),
              attempt,
              delayMs,
            },
            'event handling failed; retrying the same message',
          ),
      });
      lanes.set(key, lane);
    }
    return lane;
  };

  // A lane closed by a rebalance or a reopen may still be finishing a message of this partition: the
  // next one waits for it, but no longer than the broker lets a member finish before it hands the
  // partition to another (a handler that never returns must not hold the partition for good).
  const previousLane = (key: string) => {
    const previous = closingLanes.get(key);
    return previous
      ? bounded(previous, timings.rebalanceTimeoutMs, 'the previous lane of the partition').catch((error: unknown) =>
          log.warn({ err: error, partition: key }, 'going on without the previous lane of the partition'),
        )
      : undefined;
  };

  const closeLane = (key: string) => {
    const lane = lanes.get(key);
    if (!lane) return;
    lanes.delete(key);
    const closed = lane.close().finally(() => {
      if (closingLanes.get(key) === closed) closingLanes.delete(key);
    });
    closingLanes.set(key, closed);
  };

  const onMessage = (record: Incoming) => {
    if (stopping || !owns(record.topic, record.partition)) return;
    if (!laneFor(`${record.topic}:${record.partition}`).enqueue({ offset: record.offset, record })) return;
    buffered++;
    if (!paused && buffered >= options.maxBufferedMessages) {
      paused = true;
      stream?.pause();
    }
  };

  const onJoin = () => {
    progress.reassigned();
    for (const key of [...lanes.keys()]) {
      const [topic, partition] = splitKey(key);
      if (owns(topic, partition)) continue;
      closeLane(key);
      // Forget the in-memory fetch position, so if the partition comes back without a commit in
      // between, it is read again from the committed (or earliest) offset instead of after what we dropped.
      stream?.offsetsToFetch.delete(key);
    }
  };

  // A failed rejoin leaves the consumer outside the group with no heartbeat scheduled; reopening the
  // stream joins again. (Without an 'error' listener the library's emit would crash the process.)
  const onMembershipLost = (reason: string) => (error: unknown) => {
    log.error({ err: error }, `consumer group ${reason}; rejoining`);
    if (stream)
      stream.close().catch((closeError: unknown) => log.warn({ err: closeError }, 'closing the stream failed'));
    else if (!stopping && !reopenTimer) reopenSoon();
  };

  consumer.on('consumer:group:join', onJoin);
  consumer.on('error', onMembershipLost('membership lost'));
  consumer.on('consumer:heartbeat:stalled', onMembershipLost('heartbeat stalled'));

  const open = async () => {
    const consuming = consumer.consume({
      topics: options.topics,
      mode: 'committed',
      // A new group reads the topics from the start, so nothing published before it existed is missed.
      fallbackMode: 'earliest',
      autocommit: false,
    });
    let opened: MessagesStream<string, string, string, string>;
    try {
      // Joining waits for the other members to rejoin, up to a rebalance timeout; one retry of that.
      opened = await bounded(consuming, 2 * timings.rebalanceTimeoutMs, 'joining the group');
    } catch (error) {
      // Should it open after all, nobody would read it.
      consuming.then((late) => late.close()).catch(() => {});
      throw error;
    }
    stream = opened;
    paused = false;
    opened.on('data', onMessage);
    opened.on('error', (error) => log.error({ err: error }, 'kafka stream failed'));
    opened.on('close', () => {
      if (stream === opened) stream = undefined;
      if (!stopping && !reopenTimer) reopenSoon();
    });
  };

  // The library also destroys the stream on some broker errors (metadata, fetch); the group must outlive them.
  const reopenSoon = () => {
    const delayMs = nextDelayMs(reopenAttempts++, options.retryBackoff);
    log.warn({ delayMs }, 'kafka stream closed unexpectedly; reopening');
    reopenTimer = setTimeout(async () => {
      reopenTimer = undefined;
      if (stopping) return;
      // The new stream starts again from the committed offsets; new lanes wait for the old ones to finish.
      for (const key of [...lanes.keys()]) closeLane(key);
      try {
        await open();
        reopenAttempts = 0;
      } catch (error) {
        log.error({ err: error }, 'reopening the kafka stream failed');
        if (!stopping) reopenSoon();
      }
    }, delayMs);
  };

  const stop = async (timeoutMs: number) => {
    stopping = true;
    clearTimeout(reopenTimer);
    for (const key of [...lanes.keys()]) closeLane(key);
    await within(log, 'finishing the in-flight messages', timeoutMs, [stream?.close(), ...closingLanes.values()]);
    consumer.off('consumer:group:join', onJoin);
    await within(log, 'leaving the group', timeoutMs, [consumer.close(true)]);
  };

  return {
    groupId,
    start: open,
    lag: progress.lag,
    stop(timeoutMs) {
      stopped ??= stop(timeoutMs);
      return stopped;
    },
    status: () => ({
      groupId,
      joined: consumer.isActive(),
      consuming: stream !== undefined && !stream.destroyed,
      generationId: consumer.generationId,
      assignments: (consumer.assignments ?? []).map((a) => ({ topic: a.topic, partitions: [...a.partitions] })),
      buffered,
      retrying: [...lanes].filter(([, lane]) => lane.retrying).map(([key]) => key),
      stalled: progress.stalled(
        (key) => lanes.get(key),
        consumer.isActive() && stream !== undefined && !stream.destroyed && !paused,
      ),
    }),
  };
}

function splitKey(key: string): [string, number] {
  const at = key.lastIndexOf(':');
  return [key.slice(0, at), Number(key.slice(at + 1))];
}
