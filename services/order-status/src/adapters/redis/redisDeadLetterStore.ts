import type { DeadLetter, DeadLetterState, DeadLetterStore } from '@12street/platform';
import type { Redis } from 'ioredis';

/** Dead letters beside the view, outside its generations, so a rebuild leaves them alone. */
function deadLetterKeys(base: string) {
  return {
    sequence: `${base}dead-letters:sequence`,
    letter: (id: number) => `${base}dead-letters:letter:${id}`,
    /** Sorted sets of ids, scored by id. */
    inState: (state: DeadLetterState) => `${base}dead-letters:${state}`,
    /** Hash: consumer + event id → the id of its letter while parked, so parking again updates it. */
    parkedByEvent: `${base}dead-letters:parked-by-event`,
  };
}

const eventKey = (consumer: string, eventId: string) => `${consumer}\u0000${eventId}`;

/** The order-status read model's dead letters in Redis, for the platform's dead-letter desk. */
export function redisDeadLetterStore(redis: Redis, base: string): DeadLetterStore {
  const keys = deadLetterKeys(base);
  const read = async (ids: string[]) => {
    if (ids.length === 0) return [];
    const found = await redis.mget(ids.map((id) => keys.letter(Number(id))));
    return found.filter((json) => json !== null).map((json) => JSON.parse(json) as DeadLetter);
  };
  const find = async (id: number) => (await read([String(id)]))[0];
  const save = (letter: DeadLetter) => redis.set(keys.letter(letter.id), JSON.stringify(letter));

  return {
    async park(letter, at) {
      const parkedId = await redis.hget(keys.parkedByEvent, eventKey(letter.consumer, letter.eventId));
      const parked = parkedId === null ? undefined : await find(Number(parkedId));
      if (parked && parked.redrivenAt === null) {
        await save({
          ...parked,
          error: letter.error,
          attempts: parked.attempts + letter.attempts,
          source: letter.source,
        });
        return;
      }
      const id = await redis.incr(keys.sequence);
      await redis
        .multi()
        .set(keys.letter(id), JSON.stringify({ ...letter, id, parkedAt: at.toISOString(), redrivenAt: null }))
        .zadd(keys.inState('all'), id, String(id))
        .zadd(keys.inState('parked'), id, String(id))
        .hset(keys.parkedByEvent, eventKey(letter.consumer, letter.eventId), String(id))
        .exec();
    },
    async page({ page, size, direction, state }) {
      const start = page * size;
      const stop = String(start + size - 1);
      const [ids, totalElements] = await Promise.all([
        direction === 'desc'
          ? redis.zrange(keys.inState(state), start, stop, 'REV')
          : redis.zrange(keys.inState(state), start, stop),
        redis.zcard(keys.inState(state)),
      ]);
      return { items: await read(ids), totalElements };
    },
    find,
    async parked(limit) {
      return read(await redis.zrange(keys.inState('parked'), 0, String(limit - 1)));
    },
    countParked: () => redis.zcard(keys.inState('parked')),
    async failedAgain(id, error) {
      const letter = await find(id);
      if (letter && letter.redrivenAt === null) await save({ ...letter, error, attempts: letter.attempts + 1 });
    },
    async markRedriven(id, at) {
      // Whoever removes it from the parked set is the one who redrove it.
      if ((await redis.zrem(keys.inState('parked'), String(id))) !== 1) return false;
      const letter = await find(id);
      if (!letter) return false;
      await redis
        .multi()
        .set(keys.letter(id), JSON.stringify({ ...letter, redrivenAt: at.toISOString() }))
        .zadd(keys.inState('redriven'), id, String(id))
        .hdel(keys.parkedByEvent, eventKey(letter.consumer, letter.eventId))
        .exec();
      return true;
    },
  };
}
