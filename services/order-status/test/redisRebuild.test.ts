import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { test } from 'node:test';
import { isDeepStrictEqual } from 'node:util';
import type { StreetEvent } from '@12street/contracts';
import { replayEvents, streetTopics } from '@12street/kafka';
import { eventually, INFRA, infraMissing, testLogger } from '@12street/testkit';
import type { Redis } from 'ioredis';
import { orderStatusKeys } from '../src/adapters/redis/orderStatusKeys.ts';
import { generationKeys } from '../src/adapters/redis/viewGenerations.ts';
import { createOrderStatusServiceOnRedis } from '../src/compose.ts';
import { projectOrderStatus } from '../src/domain/orderStatusView.ts';
import { rebuildOrderStatusView } from '../src/rebuild/rebuildOrderStatusView.ts';
import { sagaOf } from './events.ts';
import { isolatedKafka } from './kafkaSupport.ts';
import { getJson, isolatedRedis, type Json, tickingClock } from './redisSupport.ts';

const skip = await infraMissing('kafka', 'redis');
const ROOT = join(import.meta.dirname, '../../..');

const withoutWriteTime = ({ id, updatedAt, _links, ...view }: Json) => view;

/** What the view of each order must be: the projection of the events published for it. */
function expectedViews(published: StreetEvent[]) {
  const byOrder = Map.groupBy(published, (e) => e.orderId);
  return [...byOrder.keys()].sort((a, b) => a - b).map((orderId) => projectOrderStatus(byOrder.get(orderId) ?? []));
}

async function keysUnder(redis: Redis, pattern: string) {
  const found: string[] = [];
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
    found.push(...keys);
    cursor = next;
  } while (cursor !== '0');
  return found;
}

function runScript(env: Record<string, string>) {
  return new Promise<{ code: number | null; output: string }>((resolve) => {
    const child = spawn(process.execPath, [join(ROOT, 'scripts/rebuild-order-status.ts')], {
      env: { ...process.env, LOG_LEVEL: 'warn', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk) => {
      output += chunk;
    });
    child.stderr.on('data', (chunk) => {
      output += chunk;
    });
    child.on('close', (code) => resolve({ code, output }));
  });
}

test('a view corrupted or deleted in Redis is rebuilt from the topics into a new generation, reads keep the old one until the swap, and events arriving meanwhile are kept', {
  skip,
}, async (t) => {
  const { redis, keyPrefix } = isolatedRedis(t);
  const kafka = isolatedKafka(t);
  const transport = kafka.transport();
  const service = createOrderStatusServiceOnRedis({
    redis,
    keyPrefix,
    transport,
    logger: testLogger(),
    clock: tickingClock(),
  });
  await service.start();
  await transport.start();
  t.after(() => service.stop());
  const views = async () =>
    (await getJson(service, '/orderStatus?size=100')).body._embedded.orderStatuses.map(withoutWriteTime);

  const published: StreetEvent[] = [...sagaOf(1).happy, ...sagaOf(2).canceled, ...sagaOf(3).happy, sagaOf(4).placed];
  await transport.publish(published);
  await eventually(async () => isDeepStrictEqual(await views(), expectedViews(published)), {
    what: 'the live view of four orders',
  });

  const before = orderStatusKeys(keyPrefix);
  await redis.del(before.viewOf(1));
  const garbled = JSON.parse((await redis.get(before.viewOf(2))) ?? '{}');
  await redis.set(before.viewOf(2), JSON.stringify({ ...garbled, status: 'garbled' }));
  await redis.del(before.eventsOf(3));

  const replay = (groupId: string) => (project: (event: StreetEvent) => Promise<void>) =>
    replayEvents({
      bootstrapBrokers: kafka.brokers,
      topics: streetTopics(kafka.prefix),
      groupId,
      logger: testLogger(),
      handle: project,
    });
  const meanwhile = sagaOf(9);
  const result = await rebuildOrderStatusView({
    redis,
    keyPrefix,
    logger: testLogger(),
    replay: replay(`${kafka.prefix}-rebuild-1`),
    async beforeSwap() {
      assert.equal((await getJson(service, '/orderStatus/1')).status, 404, 'still the old view');
      assert.equal((await getJson(service, '/orderStatus/2')).body.status, 'garbled', 'still the old view');
      await transport.publish(meanwhile.happy);
      await eventually(async () => (await getJson(service, '/orderStatus/9')).body.timeline?.length === 4, {
        what: 'an event arriving during the rebuild, in the old view',
      });
    },
  });

  assert.equal(result.generation, `${keyPrefix}v1:`);
  assert.equal(result.previous, keyPrefix);
  assert.equal(result.events, published.length);
  assert.equal(await redis.get(generationKeys(keyPrefix).current), result.generation);
  assert.equal(await redis.get(generationKeys(keyPrefix).rebuilding), null);
  const all = [...published, ...meanwhile.happy];
  assert.deepEqual(await views(), expectedViews(all), 'the rebuilt view, with the events that arrived meanwhile');
  assert.deepEqual(await keysUnder(redis, `${keyPrefix}order:*`), [], 'the old generation is gone');

  // After the swap the live consumer writes to the new generation.
  const canceledLater = sagaOf(4).orderCanceled;
  await transport.publish([canceledLater]);
  all.push(canceledLater);
  await eventually(async () => isDeepStrictEqual(await views(), expectedViews(all)), {
    what: 'a later event in the new generation',
  });

  // The command does the same from the environment; this time the whole view was lost.
  await redis.del(...(await keysUnder(redis, `${result.generation}*`)));
  assert.deepEqual(await views(), []);
  const { code, output } = await runScript({
    KAFKA_BROKERS: INFRA.kafka,
    KAFKA_TOPIC_PREFIX: kafka.prefix,
    REDIS_URL: INFRA.redis,
    REDIS_KEY_PREFIX: keyPrefix,
  });
  assert.equal(code, 0, output);
  assert.equal(await redis.get(generationKeys(keyPrefix).current), `${keyPrefix}v2:`);
  assert.deepEqual(await views(), expectedViews(all));
});
