import type { Consumer, GroupAssignment } from '@platformatic/kafka';
import { ListOffsetTimestamps } from '@platformatic/kafka';
import type { Logger } from 'pino';
import { bounded } from './within.ts';

/** Where an assigned partition's log ends, and the offset the group would resume reading it at. */
export type PartitionMark = { end: bigint; resumeAt: bigint };
/** By `topic:partition`. */
export type PartitionMarks = Map<string, PartitionMark>;

/** Reads the marks of the partitions given, from the broker. */
export async function readPartitionMarks(
  consumer: Consumer<string, string, string, string>,
  assignments: readonly GroupAssignment[],
): Promise<PartitionMarks> {
  const wanted = assignments.filter((a) => a.partitions.length > 0);
  const marks: PartitionMarks = new Map();
  if (wanted.length === 0) return marks;
  const topics = wanted.map((a) => a.topic);
  const partitions = Object.fromEntries(wanted.map((a) => [a.topic, a.partitions]));
  const [ends, committed] = await Promise.all([
    consumer.listOffsets({ topics, partitions, timestamp: ListOffsetTimestamps.LATEST }),
    consumer.listCommittedOffsets({ topics: wanted }),
  ]);
  const committedAt = (topic: string, partition: number) => committed.get(topic)?.[partition] ?? -1n;
  // A partition the group never committed is read from its start (the groups' fallbackMode).
  const starts = wanted.some((a) => a.partitions.some((p) => committedAt(a.topic, p) < 0n))
    ? await consumer.listOffsets({ topics, partitions, timestamp: ListOffsetTimestamps.EARLIEST })
    : undefined;
  for (const { topic, partitions: ofTopic } of wanted) {
    for (const partition of ofTopic) {
      const end = ends.get(topic)?.[partition];
      if (end === undefined) continue;
      const commit = committedAt(topic, partition);
      marks.set(`${topic}:${partition}`, {
        end,
        resumeAt: commit >= 0n ? commit : (starts?.get(topic)?.[partition] ?? 0n),
      });
    }
  }
  return marks;
}

/** Messages after the ones processed (up to `processedTo`, exclusive) or committed, whichever is further. */
export function lagOf(mark: PartitionMark, processedTo: bigint | undefined): number {
  const next = processedTo !== undefined && processedTo > mark.resumeAt ? processedTo : mark.resumeAt;
  return mark.end > next ? Number(mark.end - next) : 0;
}

/**
 * The marks last read, read again at most every freshForMs (a metrics scrape or a health probe must
 * not hammer the broker), each read bounded by timeoutMs. A failed read keeps the previous marks.
 */
export function cachedMarks(options: {
  read(): Promise<PartitionMarks>;
  freshForMs: number;
  timeoutMs: number;
  log: Logger;
}) {
  let last: PartitionMarks | undefined;
  let triedAt = Number.NEGATIVE_INFINITY;
  let reading: Promise<PartitionMarks | undefined> | undefined;
  let generation = 0;

  const refresh = () => {
    triedAt = Date.now();
    const readFor = generation;
    reading = bounded(options.read(), options.timeoutMs, 'reading the partition offsets')
      .then(
        (marks) => {
          if (readFor !== generation) return undefined;
          last = marks;
          return marks;
        },
        (error: unknown) => {
          options.log.warn({ err: error }, 'reading the partition offsets failed; the lag shown is the last known');
          return last;
        },
      )
      .finally(() => {
        reading = undefined;
      });
    return reading;
  };
  const stale = () => Date.now() - triedAt >= options.freshForMs;

  return {
    /** Marks no older than freshForMs when the broker answers, else the last known (or none). */
    current(): Promise<PartitionMarks | undefined> {
      if (reading) return reading;
      return stale() ? refresh() : Promise.resolve(last);
    },
    /** The last known marks at once, reading them again in the background when stale. */
    known(): PartitionMarks | undefined {
      if (!reading && stale()) void refresh();
      return last;
    },
    /** The assignment changed: marks of the previous one must not be taken for this one's. */
    forget() {
      generation++;
      last = undefined;
      triedAt = Number.NEGATIVE_INFINITY;
    },
  };
}
