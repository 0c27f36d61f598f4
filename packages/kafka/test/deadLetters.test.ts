import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import type { OrderPlaced } from '@12street/contracts';
import { createHttpApp, type MessagingTables, openSqlite, serviceKernel, startableService } from '@12street/platform';
import { eventually, tempDir, testLogger } from '@12street/testkit';
import { brokerSkipReason } from './broker.ts';
import { isolatedKafka, orderPlaced, partitionOf } from './fixtures.ts';

const skip = await brokerSkipReason();

test('on Kafka, an event a policy keeps failing is parked in the table and on the dead-letter topic, its partition moves on, and a redrive after the fix completes it once', {
  skip,
}, async (t) => {
  const kafka = isolatedKafka(t);
  // Slow retries: the other partitions have long delivered when the third attempt parks the event.
  const transport = kafka.transport({ retryBackoff: { baseMs: 400, maxMs: 400 } });
  const service = kafka.consumer('shipping');
  const db = openSqlite<MessagingTables>(join(tempDir(t), 'shipping.db'));
  const kernel = serviceKernel({
    service,
    db,
    dialect: 'sqlite',
    migrations: [],
    transport,
    logger: testLogger(),
    deadLetters: { maxAttempts: 3 },
  });
  let fixed = false;
  const applied: string[] = [];
  const appliedAfterParking = new Set<string>();
  kernel.when(['OrderPlaced'], 'whenOrderPlacedShip', async (_tx, event: OrderPlaced) => {
    if (event.orderId === 1 && !fixed) throw new Error('order 1 cannot be shipped');
    if ((await kernel.metrics.deadLetters.get()).values.length > 0) appliedAfterParking.add(event.eventId);
    applied.push(event.eventId);
  });
  const running = startableService(kernel, createHttpApp({ logger: testLogger() }));
  await running.start();
  await transport.start();
  t.after(async () => {
    await transport.stop();
    await running.stop();
    await db.destroy();
  });

  const samePartition = Array.from({ length: 60 }, (_, i) => i + 2)
    .filter((orderId) => partitionOf(orderId) === partitionOf(1))
    .slice(0, 2);
  const elsewhere = Array.from({ length: 20 }, (_, i) => i + 2)
    .filter((orderId) => partitionOf(orderId) !== partitionOf(1))
    .slice(0, 3);
  const others = [...samePartition, ...elsewhere].map((orderId) => orderPlaced(orderId));
  const poison = orderPlaced(1, 'poison');
  await transport.publish([poison, ...others]);

  await eventually(() => others.every((e) => applied.includes(e.eventId)), {
    what: 'the other orders, on the same partition too',
  });
  assert.deepEqual(
    others.map((e) => appliedAfterParking.has(e.eventId)),
    [true, true, false, false, false],
    'other partitions flowed while it was retried; its own partition once it was parked',
  );
  const get = async (url: string) => (await running.app.inject({ method: 'GET', url })).json();
  const [letter] = (await get('/ops/dead-letters'))._embedded.deadLetters;
  const topic = kafka.topic('12street.order-events');
  assert.equal(letter.eventId, 'poison');
  assert.equal(letter.consumer, 'whenOrderPlacedShip');
  assert.equal(letter.attempts, 3);
  assert.equal(letter.source, `${topic}/${partitionOf(1)}/0`);
  assert.match(letter.error, /order 1 cannot be shipped/);

  const [parked] = await kafka.readRaw(kafka.topic(`12street.${service}.dead-letters`), 1);
  assert.equal(parked?.key, '1');
  assert.deepEqual(JSON.parse(parked?.value ?? ''), poison);
  const headers = Object.fromEntries(parked?.headers ?? []);
  assert.equal(headers['original-topic'], topic);
  assert.equal(headers['original-partition'], String(partitionOf(1)));
  assert.equal(headers['original-offset'], '0');
  assert.equal(headers.attempts, '3');
  assert.match(headers.error ?? '', /order 1 cannot be shipped/);

  fixed = true;
  const post = (url: string) => running.app.inject({ method: 'POST', url });
  const redriven = await post(`/ops/dead-letters/${letter.id}/redrive`);
  assert.equal(redriven.statusCode, 200);
  assert.equal(redriven.json().handled, 'processed');
  assert.equal((await post(`/ops/dead-letters/${letter.id}/redrive`)).json().outcome, 'already-redriven');
  assert.equal(applied.filter((id) => id === 'poison').length, 1);
  assert.equal((await get('/ops/dead-letters')).page.totalElements, 0);
});
