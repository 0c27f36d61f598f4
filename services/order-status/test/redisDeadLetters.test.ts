import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { StreetEvent } from '@12street/contracts';
import { createHttpApp, deadLetterDesk, installDeadLetterRoutes, type PolicyRun } from '@12street/platform';
import { infraMissing, testLogger } from '@12street/testkit';
import { redisDeadLetterStore } from '../src/adapters/redis/redisDeadLetterStore.ts';
import { sagaOf } from './events.ts';
import { isolatedRedis } from './redisSupport.ts';

const skip = await infraMissing('redis');

test('on Redis, a parked event is listed, parking it again updates it, and a redrive after the fix runs it once', {
  skip,
}, async (t) => {
  const { redis, keyPrefix } = isolatedRedis(t);
  let fixed = false;
  const projected: StreetEvent[] = [];
  const project: PolicyRun = async (event) => {
    if (!fixed) throw new Error('projection broken');
    projected.push(event);
    return 'processed';
  };
  const desk = deadLetterDesk({
    store: redisDeadLetterStore(redis, keyPrefix),
    policies: new Map([['whenOrderEventProjectStatus', project]]),
    logger: testLogger(),
  });
  const app = createHttpApp({ logger: testLogger() });
  installDeadLetterRoutes(app, desk);
  t.after(() => app.close());
  const get = async (url: string) => (await app.inject({ method: 'GET', url })).json();
  const post = (url: string) => app.inject({ method: 'POST', url });

  const { placed, approved } = sagaOf(5);
  const letter = (event: StreetEvent, error: string) => ({
    consumer: 'whenOrderEventProjectStatus',
    eventId: event.eventId,
    eventType: event.eventType,
    orderId: event.orderId,
    envelope: JSON.stringify(event),
    error,
    attempts: 5,
    source: 't.12street.order-events/2/7',
  });
  await desk.park(letter(placed, 'first'));
  await desk.park(letter(placed, 'again'));
  await desk.park(letter(approved, 'other'));

  const listed = await get('/ops/dead-letters?sort=id,desc');
  assert.equal(listed.page.totalElements, 2);
  assert.deepEqual(
    listed._embedded.deadLetters.map((l: { eventId: string; attempts: number; error: string }) => [
      l.eventId,
      l.attempts,
      l.error,
    ]),
    [
      [approved.eventId, 5, 'other'],
      [placed.eventId, 10, 'again'],
    ],
  );
  const id = listed._embedded.deadLetters[1].id;
  assert.equal((await post(`/ops/dead-letters/${id}/redrive`)).statusCode, 409);

  fixed = true;
  assert.equal((await post(`/ops/dead-letters/${id}/redrive`)).json().outcome, 'redriven');
  assert.equal((await post(`/ops/dead-letters/${id}/redrive`)).json().outcome, 'already-redriven');
  assert.deepEqual(
    projected.map((e) => e.eventId),
    [placed.eventId],
  );
  assert.deepEqual((await post('/ops/dead-letters/redrive')).json(), { redriven: 1, failed: [], held: [] });
  assert.equal((await get('/ops/dead-letters')).page.totalElements, 0);
  assert.equal((await get('/ops/dead-letters?state=redriven')).page.totalElements, 2);
  assert.equal(await desk.countParked(), 0);
});
