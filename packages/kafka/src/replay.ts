import type { StreetEvent } from '@12street/contracts';
import { Admin } from '@platformatic/kafka';
import type { Logger } from 'pino';
import { DEFAULT_GROUP_TIMINGS, type GroupTimings, groupMember } from './consumerGroup.ts';
import { fromWireValue, type Incoming, sourceOf } from './wire.ts';

export type ReplayOptions = {
  bootstrapBrokers: string[];
  topics: string[];
  /** A group of its own: it reads from the beginning, never commits, and is deleted at the end. */
  groupId: string;
  clientId?: string;
  logger: Logger;
  /** Called for every event, one at a time, in each partition's order. */
  handle(event: StreetEvent): Promise<void>;
  timings?: Partial<GroupTimings>;
};

export type ReplayResult = {
  events: number;
  /** Records that were not events (poison messages), skipped. */
  unreadable: number;
  /** `topic:partition` → the end offset taken at the start, which the replay stopped at. */
  endOffsets: Record<string, string>;
};

/**
 * Reads topics from their first retained record up to the end offsets they had when the replay
 * began, then stops: a bounded pass over history. Records appended meanwhile are left to whoever
 * consumes the topics live.
 */
export async function replayEvents(options: ReplayOptions): Promise<ReplayResult> {
  const { topics, groupId, logger } = options;
  const timings = { ...DEFAULT_GROUP_TIMINGS, ...options.timings };
  const consumer = groupMember({
    clientId: options.clientId ?? groupId,
    groupId,
    bootstrapBrokers: options.bootstrapBrokers,
    timings,
  });
  const result: ReplayResult = { events: 0, unreadable: 0, endOffsets: {} };
  try {
    const [ends, starts] = await Promise.all([
      consumer.listOffsets({ topics, timestamp: -1n }),
      consumer.listOffsets({ topics, timestamp: -2n }),
    ]);
    // Partitions still to read, with the offset that ends them.
    const remaining = new Map<string, bigint>();
    for (const [topic, offsets] of ends) {
      offsets.forEach((end, partition) => {
        result.endOffsets[`${topic}:${partition}`] = String(end);
        if (end > (starts.get(topic)?.[partition] ?? 0n)) remaining.set(`${topic}:${partition}`, end);
      });
    }
    logger.info({ topics, partitions: remaining.size }, 'replaying topics up to their current end');
    if (remaining.size === 0) return result;

    const stream = await consumer.consume({ topics, mode: 'earliest', autocommit: false });
    try {
      for await (const record of stream as AsyncIterable<Incoming>) {
        const key = `${record.topic}:${record.partition}`;
        const end = remaining.get(key);
        if (end === undefined || record.offset >= end) continue;
        await replayOne(record, options, result);
        if (record.offset + 1n >= end) {
          remaining.delete(key);
          if (remaining.size === 0) break;
        }
      }
    } finally {
      await stream.close().catch(() => {});
    }
    if (remaining.size > 0) throw new Error(`the replay stream ended before ${[...remaining.keys()].join(', ')}`);
    return result;
  } finally {
    await consumer.close(true).catch((error: unknown) => logger.warn({ err: error }, 'closing the replay consumer'));
    await forgetGroup(options);
  }
}

async function replayOne(record: Incoming, options: ReplayOptions, result: ReplayResult) {
  let event: StreetEvent;
  try {
    event = fromWireValue(record.value);
  } catch (error) {
    result.unreadable++;
    options.logger.warn(
      { source: sourceOf(record), reason: String(error) },
      'replay skipped a record that is not an event',
    );
    return;
  }
  await options.handle(event);
  result.events++;
}

async function forgetGroup({ bootstrapBrokers, groupId, logger }: ReplayOptions) {
  const admin = new Admin({ clientId: `${groupId}-cleanup`, bootstrapBrokers });
  try {
    await admin.deleteGroups({ groups: [groupId] });
  } catch (error) {
    logger.warn(
      { err: error, groupId },
      'could not delete the replay group; it holds no offsets and expires by itself',
    );
  } finally {
    await admin.close();
  }
}
