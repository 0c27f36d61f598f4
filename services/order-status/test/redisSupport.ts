import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import type { StreetEvent } from '@12street/contracts';
import {
  type Clock,
  type EventTransport,
  inProcessTransport,
  openSqlite,
  type RunnableService,
} from '@12street/platform';
import { INFRA, tempDir, testLogger } from '@12street/testkit';
import { Redis } from 'ioredis';
import type { OrderStatusDatabase } from '../src/adapters/persistence/orderStatusStore.ts';
import { createOrderStatusService, createOrderStatusServiceOnRedis } from '../src/compose.ts';

type TestContext = { after(fn: () => unknown): void };

async function deleteKeysUnder(redis: Redis, prefix: string) {
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500);
    if (keys.length > 0) await redis.del(...keys);
    cursor = next;
  } while (cursor !== '0');
}

/**
 * A key prefix of the test's own and clients of the real Redis; when the test ends its keys are
 * deleted and the clients closed.
 */
export function isolatedRedis(t: TestContext) {
  const keyPrefix = `12street-test:order-status:${randomUUID()}:`;
  const clients: Redis[] = [];
  const newClient = () => {
    const client = new Redis(INFRA.redis);
    clients.push(client);
    return client;
  };
  const redis = newClient();
  t.after(async () => {
    await deleteKeysUnder(redis, keyPrefix);
    await Promise.all(clients.map((c) => c.quit()));
  });
  return { redis, keyPrefix, newClient };
}

/** One millisecond later at every call, so two runs over the same deliveries write the same times. */
export function tickingClock(start = '2024-06-01T00:00:00.000Z'): Clock {
  let tick = Date.parse(start);
  return () => new Date(tick++);
}

const publisher = (transport: EventTransport) => async (events: readonly StreetEvent[]) => {
  for (const event of events) await transport.publish([event]);
};

export async function redisOrderStatusService(
  t: TestContext,
  redis: Redis,
  keyPrefix: string,
  clock: Clock = tickingClock(),
) {
  const transport = inProcessTransport();
  const service = createOrderStatusServiceOnRedis({ redis, keyPrefix, transport, logger: testLogger(), clock });
  await service.start();
  t.after(() => service.stop());
  return { service, publish: publisher(transport) };
}

export async function sqlOrderStatusService(t: TestContext, clock: Clock = tickingClock()) {
  const transport = inProcessTransport();
  const db = openSqlite<OrderStatusDatabase>(join(tempDir(t), 'order-status.db'));
  const service = createOrderStatusService({ db, dialect: 'sqlite', transport, logger: testLogger(), clock });
  await service.start();
  t.after(async () => {
    await service.stop();
    await db.destroy();
  });
  return { service, publish: publisher(transport) };
}

// biome-ignore lint/suspicious/noExplicitAny: tests read JSON documents field by field.
export type Json = any;

export async function getJson(service: RunnableService, url: string) {
  const reply = await service.app.inject({ method: 'GET', url });
  return { status: reply.statusCode, body: reply.json() as Json, contentType: reply.headers['content-type'] };
}
