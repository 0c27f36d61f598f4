import type { GroupAssignment } from '@platformatic/kafka';
import type { Logger } from 'pino';
import { cachedMarks, lagOf, type PartitionMarks } from './partitionMarks.ts';

/** Partition offsets are read from the broker at most this often. */
const MARKS_FRESH_FOR_MS = 5_000;
const MARKS_TIMEOUT_MS = 5_000;

export type StalledPartition = { topic: string; partition: number; sinceMs: number };
export type TopicLag = { topic: string; lag: number };
/** What progress needs to know of a partition's lane. */
type LaneView = { readonly movedAt: number | undefined; readonly retrying: boolean };

/**
 * How far one group member got on the partitions it is assigned: its lag (messages after the last
 * one processed or committed) and which partitions are stalled (work to do, no progress).
 */
export function partitionProgress(options: {
  topics: readonly string[];
  assignments(): readonly GroupAssignment[];
  readMarks(assignments: readonly GroupAssignment[]): Promise<PartitionMarks>;
  stallTimeoutMs: number;
  log: Logger;
}) {
  /** By topic:partition, the offset after the last message processed here. */
  const processedTo = new Map<string, bigint>();
  /** By topic:partition, since when a partition with nothing fetched was seen behind. */
  const behindSince = new Map<string, number>();
  const marks = cachedMarks({
    read: () => options.readMarks(options.assignments()),
    freshForMs: MARKS_FRESH_FOR_MS,
    timeoutMs: MARKS_TIMEOUT_MS,
    log: options.log,
  });
  const assigned = function* () {
    for (const { topic, partitions } of options.assignments())
      for (const partition of partitions) yield { topic, partition, key: `${topic}:${partition}` };
  };

  return {
    processed(topic: string, partition: number, offset: bigint) {
      processedTo.set(`${topic}:${partition}`, offset + 1n);
    },

    /** The assignment changed: what was read for the previous one no longer holds. */
    reassigned() {
      marks.forget();
      behindSince.clear();
    },

    /**
     * Assigned partitions with work and no progress for stallTimeoutMs, with when they last moved.
     * A lane's work is what it holds; a partition with no lane is judged on its lag, and only while
     * the member fetches (outside the group, or paused while other partitions drain, it cannot).
     */
    stalled(laneOf: (key: string) => LaneView | undefined, fetching: boolean): StalledPartition[] {
      const now = Date.now();
      const known = fetching ? marks.known() : undefined;
      const stalled: StalledPartition[] = [];
      for (const { topic, partition, key } of assigned()) {
        const lane = laneOf(key);
        let since: number | undefined;
        if (lane?.movedAt !== undefined) {
          behindSince.delete(key);
          // A head message being retried is moving: each failed attempt counts.
          if (!lane.retrying) since = lane.movedAt;
        } else {
          const mark = known?.get(key);
          if (mark && lagOf(mark, processedTo.get(key)) > 0) {
            since = behindSince.get(key) ?? now;
            behindSince.set(key, since);
          } else behindSince.delete(key);
        }
        if (since !== undefined && now - since > options.stallTimeoutMs)
          stalled.push({ topic, partition, sinceMs: since });
      }
      return stalled;
    },

    /** By topic, the lag summed over the assigned partitions; none when the broker never answered. */
    async lag(): Promise<TopicLag[]> {
      const current = await marks.current();
      if (!current) return [];
      const byTopic = new Map(options.topics.map((topic) => [topic, 0]));
      for (const { topic, key } of assigned()) {
        const mark = current.get(key);
        if (mark) byTopic.set(topic, (byTopic.get(topic) ?? 0) + lagOf(mark, processedTo.get(key)));
      }
      return [...byTopic].map(([topic, lag]) => ({ topic, lag }));
    },
  };
}
