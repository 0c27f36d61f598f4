import { createHash } from 'node:crypto';
import type { StreetEvent } from '@12street/contracts';
import type { InTransaction, Tx } from '@12street/platform';
import type { Redis } from 'ioredis';
import type { StoredOrderStatus } from '../../application/ports.ts';
import { memberOf, type OrderStatusKeys, orderStatusKeys } from './orderStatusKeys.ts';
import { viewGenerations } from './viewGenerations.ts';

/**
 * The Redis store's Tx: what one projection read and wants to write, held until the runner
 * commits it in one step. Reads go to Redis at once; writes wait for the commit.
 */
export type ProjectionSession = {
  redis: Redis;
  keys: OrderStatusKeys;
  /** The order's event count and owner when its events were last read: what the commit checks. */
  seen?: { orderId: number; eventCount: number; userId: string | null };
  recorded?: StreetEvent;
  saved?: StoredOrderStatus;
};

/** The adapter side of the opaque Tx, like platform's sqlOf. */
export const sessionOf = (tx: Tx): ProjectionSession => tx as unknown as ProjectionSession;

export class ProjectionKeptConflicting extends Error {}

/*
 * Why a script and not WATCH + MULTI/EXEC: WATCH belongs to a connection, and one ioredis client
 * multiplexes every concurrent handler over one connection, so their watches would mix (any EXEC
 * clears them all); WATCH would need a connection per projection. The script gives the same
 * optimistic check on the shared connection: it writes the event, the view and its indexes only if
 * the order gained no event since its events were read (events are only ever added, so their count
 * is the order's version); otherwise nothing is written and the runner projects again.
 */
const COMMIT = `
if redis.call('HEXISTS', KEYS[1], ARGV[1]) == 1 then return 'duplicate' end
if redis.call('HLEN', KEYS[1]) ~= tonumber(ARGV[3]) then return 'conflict' end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
if ARGV[4] ~= '' then
  redis.call('SET', KEYS[2], ARGV[4])
  redis.call('ZADD', KEYS[3], ARGV[5], ARGV[6])
  redis.call('ZADD', KEYS[4], ARGV[7], ARGV[6])
  redis.call('ZADD', KEYS[5], ARGV[8], ARGV[6])
  local next = 6
  if ARGV[9] == '1' then
    redis.call('ZADD', KEYS[next], ARGV[5], ARGV[6])
    next = next + 1
  end
  if ARGV[10] == '1' then redis.call('ZREM', KEYS[next], ARGV[6]) end
end
return 'committed'
`;
const COMMIT_SHA = createHash('sha1').update(COMMIT).digest('hex');

type CommitOutcome = 'committed' | 'duplicate' | 'conflict' | 'nothing';

async function runCommit(redis: Redis, keys: string[], args: string[]): Promise<CommitOutcome> {
  try {
    return (await redis.evalsha(COMMIT_SHA, keys.length, ...keys, ...args)) as CommitOutcome;
  } catch (error) {
    if (!String((error as Error).message).startsWith('NOSCRIPT')) throw error;
    return (await redis.eval(COMMIT, keys.length, ...keys, ...args)) as CommitOutcome;
  }
}

async function commit(session: ProjectionSession): Promise<CommitOutcome> {
  const { redis, keys, recorded, saved, seen } = session;
  if (!recorded) {
    if (saved) throw new Error('a view is saved together with the event that changed it');
    return 'nothing';
  }
  if (seen?.orderId !== recorded.orderId) throw new Error('an event is recorded after reading its order');
  if (saved && saved.orderId !== recorded.orderId) throw new Error('a view is saved for the order of its event');
  const orderId = recorded.orderId;
  const commitKeys = [
    keys.eventsOf(orderId),
    keys.viewOf(orderId),
    keys.byOrderId,
    keys.byUpdatedAt,
    keys.byUpdatedAtDesc,
  ];
  const newUser = saved?.userId ?? null;
  const leavesUser = saved !== undefined && seen.userId !== null && seen.userId !== newUser;
  if (newUser !== null) commitKeys.push(keys.ofUser(newUser));
  if (leavesUser && seen.userId !== null) commitKeys.push(keys.ofUser(seen.userId));
  const at = saved ? Date.parse(saved.updatedAt) : 0;
  return runCommit(redis, commitKeys, [
    recorded.eventId,
    JSON.stringify(recorded),
    String(seen.eventCount),
    saved ? JSON.stringify(saved) : '',
    String(orderId),
    memberOf(orderId),
    String(at),
    String(-at),
    newUser !== null ? '1' : '0',
    leavesUser ? '1' : '0',
  ]);
}

/**
 * Runs a projection in a session and commits it; a projection that lost the race for its order to
 * another replica is run again on the newer events, up to maxAttempts, then fails so the transport
 * delivers the event again. Each lost race means another projection of the order succeeded.
 * It projects into every generation of the view being written (the live one, and one being
 * rebuilt); `prefixes` names them, by default from the pointers under keys.prefix.
 */
export function redisProjectionRunner(
  redis: Redis,
  keys: OrderStatusKeys,
  { maxAttempts = 10, prefixes }: { maxAttempts?: number; prefixes?: () => Promise<string[]> } = {},
): InTransaction {
  const targets = prefixes ?? viewGenerations(redis, keys.prefix).writePrefixes;
  const runIn = async <T>(generation: OrderStatusKeys, work: (tx: Tx) => Promise<T>): Promise<T> => {
    for (let attempt = 1; ; attempt++) {
      const session: ProjectionSession = { redis, keys: generation };
      const result = await work(session as unknown as Tx);
      if ((await commit(session)) !== 'conflict') return result;
      if (attempt >= maxAttempts) {
        throw new ProjectionKeptConflicting(
          `order ${session.recorded?.orderId}: its events kept changing during ${maxAttempts} projection attempts`,
        );
      }
    }
  };
  return async (work) => {
    const [live = keys.prefix, ...others] = await targets();
    const result = await runIn(orderStatusKeys(live), work);
    for (const prefix of others) await runIn(orderStatusKeys(prefix), work);
    return result;
  };
}
