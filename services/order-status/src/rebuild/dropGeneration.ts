import type { Redis } from 'ioredis';

const glob = (text: string) => text.replace(/[*?[\]\\]/g, '\\$&');

/**
 * Deletes one generation of the view. Only its own kinds of keys are matched, so dropping the
 * base prefix's generation leaves the pointers and the versioned generations under it alone.
 */
export async function dropGeneration(redis: Redis, prefix: string): Promise<number> {
  let dropped = 0;
  for (const kind of ['order:', 'orders:', 'user:']) {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${glob(prefix + kind)}*`, 'COUNT', 1000);
      if (keys.length > 0) dropped += await redis.unlink(...keys);
      cursor = next;
    } while (cursor !== '0');
  }
  return dropped;
}
