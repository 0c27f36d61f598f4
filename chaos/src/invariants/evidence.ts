import { writeFileSync } from 'node:fs';
import type { Kysely } from 'kysely';
import type { SqlService, Stores } from './stores.ts';

const ORDER_IN_VIOLATION = /^order (\d+)\b/;

/** The orders a list of violations is about (the first `limit`). */
export function ordersIn(violations: readonly string[], limit = 20): number[] {
  const ids = violations.flatMap((v) => {
    const id = ORDER_IN_VIOLATION.exec(v)?.[1];
    return id ? [Number(id)] : [];
  });
  return [...new Set(ids)].slice(0, limit);
}

// biome-ignore lint/suspicious/noExplicitAny: evidence is every column as stored, whatever the table.
type AnyDb = Kysely<any>;

/**
 * Everything each store holds about the orders that broke an invariant (their rows, the events
 * they recorded and which consumers processed them, the read model's events and view), written
 * to a file before the run's databases are dropped, so a violation can be explained afterwards.
 */
export async function writeEvidence(stores: Stores, orderIds: number[], file: string): Promise<void> {
  const own: Record<SqlService, [AnyDb, string]> = {
    order: [stores.order as unknown as AnyDb, 'orders'],
    payment: [stores.payment as unknown as AnyDb, 'payments'],
    delivery: [stores.delivery as unknown as AnyDb, 'stock_deliveries'],
    marketing: [stores.marketing as unknown as AnyDb, 'promotes'],
  };
  const evidence: Record<number, unknown> = {};
  for (const orderId of orderIds) {
    const outboxes: Record<string, { event_id: string }[]> = {};
    const rows: Record<string, unknown[]> = {};
    for (const [service, [db, table]] of Object.entries(own)) {
      rows[service] = await db
        .selectFrom(table)
        .selectAll()
        .where(table === 'orders' ? 'id' : 'order_id', '=', orderId)
        .execute();
      outboxes[service] = await db
        .selectFrom('outbox')
        .select(['event_id', 'event_type', 'occurred_at', 'sent_at', 'attempts', 'last_error'])
        .where('order_id', '=', orderId)
        .orderBy('id')
        .execute();
    }
    const eventIds = Object.values(outboxes).flatMap((events) => events.map((e) => e.event_id));
    const inboxes: Record<string, unknown[]> = {};
    for (const [service, [db]] of Object.entries(own)) {
      inboxes[service] = eventIds.length
        ? await db.selectFrom('inbox').selectAll().where('event_id', 'in', eventIds).execute()
        : [];
    }
    const live = (await stores.redis.get(`${stores.redisPrefix}current`)) ?? stores.redisPrefix;
    const view = await stores.redis.get(`${live}order:${orderId}:view`);
    const events = await stores.redis.hvals(`${live}order:${orderId}:events`);
    evidence[orderId] = {
      rows,
      outboxes,
      inboxes,
      view: view && JSON.parse(view),
      readModelEvents: events.map((e) => JSON.parse(e)),
    };
  }
  writeFileSync(file, `${JSON.stringify(evidence, null, 2)}\n`);
}
