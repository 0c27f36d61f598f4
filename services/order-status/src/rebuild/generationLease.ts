import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { generationKeys } from '../adapters/redis/viewGenerations.ts';

export class RebuildAlreadyRunning extends Error {
  override readonly name = 'RebuildAlreadyRunning';
}

/** The rebuild lost its marker (it expired, or another rebuild took over): what it built may miss events. */
export class RebuildMarkerLost extends Error {
  override readonly name = 'RebuildMarkerLost';
}

const IF_MINE_EXPIRE = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return 0`;
const IF_MINE_DELETE = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`;
// KEYS[1] the rebuilding marker, KEYS[2] the current pointer: both change at once, or nothing does.
const SWAP = `if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
redis.call('SET', KEYS[2], ARGV[1])
redis.call('DEL', KEYS[1])
return 1`;

/**
 * One rebuild at a time, and the marker that has live writers feed the generation being built.
 * Both expire unless renewed, so a rebuild that died leaves nothing behind that lasts.
 */
export async function takeRebuildLease(
  redis: Redis,
  keys: ReturnType<typeof generationKeys>,
  logger: Logger,
  leaseMs = 60_000,
) {
  const token = randomUUID();
  if ((await redis.set(keys.lock, token, 'PX', leaseMs, 'NX')) !== 'OK') {
    throw new RebuildAlreadyRunning(`another rebuild holds ${keys.lock}`);
  }
  let marker: string | undefined;
  const renew = async () => {
    await redis.eval(IF_MINE_EXPIRE, 1, keys.lock, token, leaseMs);
    if (marker) await redis.eval(IF_MINE_EXPIRE, 1, keys.rebuilding, marker, leaseMs);
  };
  const timer = setInterval(
    () => void renew().catch((error: unknown) => logger.warn({ err: error }, 'renewing the rebuild lease failed')),
    leaseMs / 4,
  );
  return {
    async markRebuilding(generation: string) {
      marker = generation;
      await redis.set(keys.rebuilding, generation, 'PX', leaseMs);
    },
    async unmarkRebuilding(generation: string) {
      marker = undefined;
      await redis.eval(IF_MINE_DELETE, 1, keys.rebuilding, generation);
    },
    /** Makes the generation live and ends the rebuilding marker, atomically. */
    async swap(generation: string) {
      marker = undefined;
      if ((await redis.eval(SWAP, 2, keys.rebuilding, keys.current, generation)) !== 1) {
        throw new RebuildMarkerLost(`${keys.rebuilding} no longer names ${generation}; not swapping`);
      }
    },
    async release() {
      clearInterval(timer);
      await redis.eval(IF_MINE_DELETE, 1, keys.lock, token);
    },
  };
}
