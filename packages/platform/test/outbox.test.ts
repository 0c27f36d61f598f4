import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { envelope, type StreetEvent } from '@12street/contracts';
import { eventually, tempDir, testLogger } from '@12street/testkit';
import {
  dueOutboxRows,
  type EventTransport,
  exactlyOnce,
  inProcessTransport,
  type MessagingTables,
  messagingMigration,
  migrateMessaging,
  migrateToLatest,
  openSqlite,
  outboxBacklog,
  recordEventsInOutbox,
  startOutboxRelay,
  transactor,
} from '../src/index.ts';

let seq = 0;
const canceled = (orderId: number) =>
  envelope(
    'OrderCanceled',
    orderId,
    { userId: 'u', orderStatus: 'Order Canceled', reason: 'r' },
    {
      eventId: `e-${++seq}`,
      occurredAt: new Date(),
    },
  );

async function database(t: { after(fn: () => void): void }, file = join(tempDir(t), 'svc.db')) {
  const db = openSqlite<MessagingTables>(file);
  await migrateMessaging(db as never, 'sqlite');
  t.after(() => db.destroy());
  return db;
}

/** A transport that fails for the orders listed in `failing`, and records what it delivered. */
function flakyTransport(failing: Set<number>) {
  const delivered: StreetEvent[] = [];
  const transport: EventTransport = {
    ...inProcessTransport(),
    async publish(events) {
      for (const e of events) {
        if (failing.has(e.orderId)) throw new Error(`broker refused order ${e.orderId}`);
        delivered.push(e);
      }
    },
  };
  return { transport, delivered };
}

test('the relay publishes committed events in order and marks them sent only after publishing', async (t) => {
  const db = await database(t);
  const inTx = transactor(db);
  const events = [canceled(1), canceled(2), canceled(1)];
  await inTx((tx) => recordEventsInOutbox(tx, events));
  const { transport, delivered } = flakyTransport(new Set());
  const relay = startOutboxRelay({ db, transport, logger: testLogger(), pollIntervalMs: 10 });
  t.after(() => relay.stop());
  await eventually(async () => (await outboxBacklog(db)).unsent === 0, { what: 'outbox drained' });
  assert.deepEqual(
    delivered.map((e) => e.eventId),
    events.map((e) => e.eventId),
  );
});

test('a failing order is held back and retried while other orders flow, keeping its own order', async (t) => {
  const db = await database(t);
  const inTx = transactor(db);
  const [a1, b1, a2] = [canceled(10), canceled(20), canceled(10)];
  await inTx((tx) => recordEventsInOutbox(tx, [a1, b1, a2]));
  const failing = new Set([10]);
  const { transport, delivered } = flakyTransport(failing);
  const relay = startOutboxRelay({
    db,
    transport,
    logger: testLogger(),
    pollIntervalMs: 10,
    backoff: { baseMs: 20, maxMs: 40 },
  });
  t.after(() => relay.stop());
  await eventually(() => delivered.some((e) => e.orderId === 20), { what: 'order 20 delivered' });
  assert.equal(
    delivered.some((e) => e.orderId === 10),
    false,
  );
  const attempts = await db
    .selectFrom('outbox')
    .select('attempts')
    .where('event_id', '=', a1.eventId)
    .executeTakeFirst();
  assert.ok(Number(attempts?.attempts) >= 1, 'the failure was recorded');
  failing.clear();
  await eventually(async () => (await outboxBacklog(db)).unsent === 0, { what: 'drained after recovery' });
  assert.deepEqual(
    delivered.filter((e) => e.orderId === 10).map((e) => e.eventId),
    [a1.eventId, a2.eventId],
  );
});

test('events written before a crash are relayed by the next process', async (t) => {
  const file = join(tempDir(t), 'crash.db');
  const first = openSqlite<MessagingTables>(file);
  await migrateMessaging(first as never, 'sqlite');
  const event = canceled(5);
  await transactor(first)((tx) => recordEventsInOutbox(tx, [event]));
  await first.destroy(); // the process died before its relay ran
  const db = await database(t, file);
  const { transport, delivered } = flakyTransport(new Set());
  const relay = startOutboxRelay({ db, transport, logger: testLogger(), pollIntervalMs: 10 });
  t.after(() => relay.stop());
  await eventually(() => delivered.length === 1, { what: 'relayed after restart' });
  assert.equal(delivered[0]?.eventId, event.eventId);
});

test('a rolled-back transaction leaves nothing in the outbox', async (t) => {
  const db = await database(t);
  await assert.rejects(
    transactor(db)(async (tx) => {
      await recordEventsInOutbox(tx, [canceled(1)]);
      throw new Error('the state change failed');
    }),
  );
  assert.equal((await outboxBacklog(db)).unsent, 0);
});

test('the inbox applies a policy once per event and lets a failed attempt run again', async (t) => {
  const db = await database(t);
  const applied: string[] = [];
  let failNext = true;
  const handle = exactlyOnce(transactor(db), 'test.policy', async (_tx, event) => {
    if (failNext) {
      failNext = false;
      throw new Error('transient');
    }
    applied.push(event.eventId);
  });
  const event = canceled(1);
  await assert.rejects(handle(event));
  assert.equal(await handle(event), 'processed');
  assert.equal(await handle(event), 'duplicate');
  assert.deepEqual(applied, [event.eventId]);
});

test("a service's database migrated before dead letters and trace context existed is brought up to date", async (t) => {
  const db = openSqlite<MessagingTables>(join(tempDir(t), 'old.db'));
  t.after(() => db.destroy());
  const serviceOwn = { name: '001-things', up: async () => {} };
  await migrateToLatest(db as never, 'sqlite', [messagingMigration, serviceOwn]);
  await transactor(db)((tx) => recordEventsInOutbox(tx, [canceled(1)]));

  await migrateMessaging(db as never, 'sqlite', [serviceOwn]);

  const [row] = await dueOutboxRows(db, Date.now(), 10);
  assert.equal(row?.traceparent, undefined);
  assert.deepEqual(await db.selectFrom('dead_letters').selectAll().execute(), []);
});
