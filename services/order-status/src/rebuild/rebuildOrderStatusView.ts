import { setTimeout as delay } from 'node:timers/promises';
import type { StreetEvent } from '@12street/contracts';
import type { Clock } from '@12street/platform';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { DEFAULT_ORDER_STATUS_KEY_PREFIX, orderStatusKeys } from '../adapters/redis/orderStatusKeys.ts';
import { redisOrderEventStore } from '../adapters/redis/redisOrderStatusStore.ts';
import { redisProjectionRunner } from '../adapters/redis/redisProjectionSession.ts';
import { generationKeys, POINTER_CACHE_MS } from '../adapters/redis/viewGenerations.ts';
import { whenOrderEventProjectStatus } from '../application/whenOrderEventProjectStatus.ts';
import { dropGeneration } from './dropGeneration.ts';
import { takeRebuildLease } from './generationLease.ts';

/** Feeds every event of the system's history to project, once, and says how many there were. */
export type ReplayHistory = (project: (event: StreetEvent) => Promise<void>) => Promise<{ events: number }>;

export type RebuildOptions = {
  redis: Redis;
  /** The service's REDIS_KEY_PREFIX: the generations and their pointers live under it. */
  keyPrefix?: string;
  replay: ReplayHistory;
  logger: Logger;
  clock?: Clock;
  /** The live services' pointer cache (POINTER_CACHE_MS); the rebuild waits out twice as long. */
  pointerCacheMs?: number;
  /** Runs once the new generation is complete, before it goes live. */
  beforeSwap?(generation: string): Promise<void>;
};

export type RebuildResult = { generation: string; previous: string; events: number; droppedKeys: number };

/**
 * Builds the order-status view again from the events' history into a new generation (a new key
 * prefix), then makes it live with one atomic pointer move and deletes the previous one. Readers
 * keep getting the previous generation until the move. Nothing arriving meanwhile is lost: before
 * the replay takes its end offsets, the live services are told (the rebuilding marker) to project
 * every event into the new generation too, and projection is idempotent and order-independent,
 * so the events both the replay and the live consumer deliver count once.
 */
export async function rebuildOrderStatusView(options: RebuildOptions): Promise<RebuildResult> {
  const { redis, logger } = options;
  const base = options.keyPrefix ?? DEFAULT_ORDER_STATUS_KEY_PREFIX;
  const keys = generationKeys(base);
  const settle = () => delay(2 * (options.pointerCacheMs ?? POINTER_CACHE_MS));
  const lease = await takeRebuildLease(redis, keys, logger);
  const abandon = async (generation: string) => {
    await lease.unmarkRebuilding(generation);
    await settle();
    await dropGeneration(redis, generation);
  };
  try {
    const previous = (await redis.get(keys.current)) ?? base;
    const generation = `${base}v${await redis.incr(keys.version)}:`;
    logger.info({ previous, generation }, 'rebuilding the order-status view');
    await lease.markRebuilding(generation);
    let events: number;
    try {
      await settle();
      ({ events } = await options.replay(projectInto(redis, base, generation, options.clock)));
      await options.beforeSwap?.(generation);
      await lease.swap(generation);
    } catch (error) {
      await abandon(generation).catch((cleanup: unknown) =>
        logger.warn({ err: cleanup, generation }, 'could not clean up the abandoned generation'),
      );
      throw error;
    }
    logger.info({ generation, events }, 'the rebuilt view is live');
    await settle();
    const droppedKeys = await dropGeneration(redis, previous);
    return { generation, previous, events, droppedKeys };
  } finally {
    await lease.release();
  }
}

function projectInto(redis: Redis, base: string, generation: string, clock: Clock = () => new Date()) {
  const inProjection = redisProjectionRunner(redis, orderStatusKeys(base), { prefixes: async () => [generation] });
  const project = whenOrderEventProjectStatus({ clock, orderEvents: redisOrderEventStore() });
  return (event: StreetEvent) => inProjection((tx) => project(tx, event));
}
