import { type Backoff, nextDelayMs } from '@12street/platform';

export type PartitionLane<T extends { offset: bigint }> = {
  /**
   * Queues an item behind the others; false (ignored) when closed or when the offset was queued
   * before, which happens when the library fetches a partition again after a rebalance.
   */
  enqueue(item: T): boolean;
  /** Drops the queue and stops retrying; the item being processed may still finish. Resolves when idle. */
  close(): Promise<void>;
  readonly size: number;
  /** The head item failed at least once and waits for its next attempt. */
  readonly retrying: boolean;
  /**
   * When the lane last moved: got work while idle, or ended an attempt at its head (failed or not);
   * undefined while it has nothing to do. An old value with work waiting means it is stuck.
   */
  readonly movedAt: number | undefined;
};

/**
 * One partition's messages, processed strictly one after another: a failing item is tried again
 * with back-off and nothing behind it moves, so events with the same key keep their order.
 */
export function partitionLane<T extends { offset: bigint }>(options: {
  backoff: Backoff;
  /** Throws to have the same item tried again after a back-off. */
  process(item: T): Promise<void>;
  /** Runs once process succeeded (the offset commit); must not throw. */
  completed(item: T): Promise<void>;
  failed(item: T, error: unknown, attempt: number, delayMs: number): void;
  /** Told how many items left the queue, processed or dropped, for the caller's back-pressure. */
  left(count: number): void;
  /** Work that must finish before this lane starts (a previous lane of the same partition). */
  after?: Promise<void>;
}): PartitionLane<T> {
  const queue: T[] = [];
  let lastQueued: bigint | undefined;
  let closed = false;
  let retrying = false;
  let running: Promise<void> | undefined;
  let movedAt: number | undefined;
  let interruptWait = () => {};

  const wait = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      interruptWait = () => {
        clearTimeout(timer);
        resolve();
      };
    });

  const attempt = async (item: T): Promise<boolean> => {
    for (let failures = 0; ; failures++) {
      try {
        await options.process(item);
        return true;
      } catch (error) {
        movedAt = Date.now();
        if (closed) return false;
        retrying = true;
        const delayMs = nextDelayMs(failures, options.backoff);
        options.failed(item, error, failures + 1, delayMs);
        await wait(delayMs);
        if (closed) return false;
      } finally {
        retrying = false;
      }
    }
  };

  const drain = async () => {
    await options.after;
    while (!closed && queue.length > 0) {
      const item = queue[0] as T;
      if (await attempt(item)) await options.completed(item);
      if (closed) break; // close() already counted the whole queue as left
      queue.shift();
      movedAt = queue.length > 0 ? Date.now() : undefined;
      options.left(1);
    }
    running = undefined;
  };

  return {
    get size() {
      return queue.length;
    },
    get retrying() {
      return retrying;
    },
    get movedAt() {
      return closed ? undefined : movedAt;
    },
    enqueue(item) {
      if (closed || (lastQueued !== undefined && item.offset <= lastQueued)) return false;
      lastQueued = item.offset;
      if (queue.length === 0) movedAt = Date.now();
      queue.push(item);
      running ??= drain();
      return true;
    },
    async close() {
      if (!closed) {
        closed = true;
        const dropped = queue.length;
        queue.length = 0;
        if (dropped > 0) options.left(dropped);
        interruptWait();
      }
      await running;
    },
  };
}
