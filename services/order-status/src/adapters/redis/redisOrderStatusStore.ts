import type { StreetEvent } from '@12street/contracts';
import type { ChainableCommander, Redis } from 'ioredis';
import type { OrderEventStore, OrderStatusQueries, StoredOrderStatus } from '../../application/ports.ts';
import { canonicalOrder } from '../../domain/orderStatusView.ts';
import { type OrderStatusKeys, orderIdOf, orderStatusKeys } from './orderStatusKeys.ts';
import { type ProjectionSession, sessionOf } from './redisProjectionSession.ts';
import { type ViewGenerations, viewGenerations } from './viewGenerations.ts';

/** Reads several keys as of one moment: MULTI/EXEC runs them with nothing in between. */
async function atOnce(commands: ChainableCommander): Promise<unknown[]> {
  const replies = await commands.exec();
  if (!replies) throw new Error('a Redis read transaction was discarded');
  return replies.map(([error, reply]) => {
    if (error) throw error;
    return reply;
  });
}

const parseView = (json: string) => JSON.parse(json) as StoredOrderStatus;
const ownerIn = (viewJson: unknown) => (typeof viewJson === 'string' ? parseView(viewJson).userId : null);

function remember(session: ProjectionSession, orderId: number, eventCount: number, viewJson: unknown) {
  session.seen = { orderId, eventCount, userId: ownerIn(viewJson) };
}

/**
 * The projection's OrderEventStore on Redis. Nothing is written before the session commits, and
 * the commit keeps the event only if the order's events are still the ones the view was computed
 * from (see redisProjectionSession), so a kept event always has its view and is never kept twice.
 */
export function redisOrderEventStore(): OrderEventStore {
  return {
    async recordOrderEvent(tx, event) {
      const session = sessionOf(tx);
      if (session.recorded) throw new Error('a projection session records one event');
      const { redis, keys } = session;
      const [kept, eventCount, view] = await atOnce(
        redis
          .multi()
          .hexists(keys.eventsOf(event.orderId), event.eventId)
          .hlen(keys.eventsOf(event.orderId))
          .get(keys.viewOf(event.orderId)),
      );
      if (kept === 1) return false;
      remember(session, event.orderId, Number(eventCount), view);
      session.recorded = event;
      return true;
    },
    async eventsOfOrder(tx, orderId) {
      const session = sessionOf(tx);
      const { redis, keys, recorded } = session;
      const [envelopes, view] = await atOnce(redis.multi().hvals(keys.eventsOf(orderId)).get(keys.viewOf(orderId)));
      const events = (envelopes as string[]).map((e) => JSON.parse(e) as StreetEvent);
      if (recorded?.orderId !== orderId) return canonicalOrder(events);
      remember(session, orderId, events.length, view);
      return canonicalOrder([...events, recorded]);
    },
    async saveView(tx, view, updatedAt) {
      sessionOf(tx).saved = { ...view, updatedAt: updatedAt.toISOString() };
    },
  };
}

/** The REST reads on Redis, ordered and paged as the SQL queries are, from the live generation under keys.prefix. */
export function redisOrderStatusQueries(
  redis: Redis,
  keys: OrderStatusKeys,
  generations: ViewGenerations = viewGenerations(redis, keys.prefix),
): OrderStatusQueries {
  const live = async () => orderStatusKeys(await generations.readPrefix());
  const viewsOf = async (at: OrderStatusKeys, members: string[]) => {
    if (members.length === 0) return [];
    const found = await redis.mget(members.map((m) => at.viewOf(orderIdOf(m))));
    return found.filter((v) => v !== null).map(parseView);
  };
  const membersOf = (at: OrderStatusKeys, sortBy: string, direction: 'asc' | 'desc', start: number, end: number) => {
    const stop = String(end);
    if (sortBy === 'updatedAt') {
      return redis.zrange(direction === 'desc' ? at.byUpdatedAtDesc : at.byUpdatedAt, start, stop);
    }
    return direction === 'desc'
      ? redis.zrange(at.byOrderId, start, stop, 'REV')
      : redis.zrange(at.byOrderId, start, stop);
  };
  return {
    async listOrderStatuses({ page, size, sortBy, direction }) {
      const at = await live();
      const start = page * size;
      const [members, totalElements] = await Promise.all([
        membersOf(at, sortBy, direction, start, start + size - 1),
        redis.zcard(at.byOrderId),
      ]);
      return { items: await viewsOf(at, members), totalElements };
    },
    async orderStatusOf(orderId) {
      const json = await redis.get((await live()).viewOf(orderId));
      return json === null ? undefined : parseView(json);
    },
    async orderStatusesOfUser(userId) {
      const at = await live();
      return viewsOf(at, await redis.zrange(at.ofUser(userId), 0, '-1'));
    },
  };
}
