import assert from 'node:assert/strict';
import { test } from 'node:test';
import { eventually, infraMissing, testLogger } from '@12street/testkit';
import { generationKeys } from '../src/adapters/redis/viewGenerations.ts';
import { RebuildAlreadyRunning } from '../src/rebuild/generationLease.ts';
import { rebuildOrderStatusView } from '../src/rebuild/rebuildOrderStatusView.ts';
import { sagaOf } from './events.ts';
import { getJson, isolatedRedis, redisOrderStatusService } from './redisSupport.ts';

const skip = await infraMissing('redis');

test('a rebuild that fails leaves the live view as it was and removes what it had built', { skip }, async (t) => {
  const { redis, keyPrefix } = isolatedRedis(t);
  const { service, publish } = await redisOrderStatusService(t, redis, keyPrefix);
  await publish(sagaOf(1).happy);
  const before = (await getJson(service, '/orderStatus/1')).body;

  await assert.rejects(
    rebuildOrderStatusView({
      redis,
      keyPrefix,
      logger: testLogger(),
      pointerCacheMs: 10,
      async replay(project) {
        for (const event of sagaOf(2).happy) await project(event);
        throw new Error('the broker went away');
      },
    }),
    /the broker went away/,
  );

  const keys = generationKeys(keyPrefix);
  assert.equal(await redis.get(keys.current), null);
  assert.equal(await redis.get(keys.rebuilding), null);
  assert.equal(await redis.get(keys.lock), null);
  assert.deepEqual(await redis.keys(`${keyPrefix}v1:*`), []);
  assert.deepEqual((await getJson(service, '/orderStatus/1')).body, before);
  assert.equal((await getJson(service, '/orderStatus/2')).status, 404);
});

test('only one rebuild runs at a time', { skip }, async (t) => {
  const { redis, keyPrefix } = isolatedRedis(t);
  let release: (() => void) | undefined;
  const options = { redis, keyPrefix, logger: testLogger(), pointerCacheMs: 10 };
  const first = rebuildOrderStatusView({
    ...options,
    replay: () =>
      new Promise((resolve) => {
        release = () => resolve({ events: 0 });
      }),
  });
  await assert.rejects(
    rebuildOrderStatusView({ ...options, replay: async () => ({ events: 0 }) }),
    RebuildAlreadyRunning,
  );
  await eventually(() => release, { what: 'the first rebuild replaying' });
  release?.();
  const done = await first;
  assert.equal(done.generation, `${keyPrefix}v1:`);
  const second = await rebuildOrderStatusView({ ...options, replay: async () => ({ events: 0 }) });
  assert.equal(second.previous, `${keyPrefix}v1:`);
  assert.equal(second.generation, `${keyPrefix}v2:`);
});
