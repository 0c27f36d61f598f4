import assert from 'node:assert/strict';
import { test } from 'node:test';
import { INFRA, infraMissing } from '@12street/testkit';
import { sql } from 'kysely';
import {
  dueOutboxRows,
  type MessagingTables,
  migrateMessaging,
  openDatabase,
  recordEventsInOutbox,
  sqlDeadLetterStore,
  transactor,
} from '../src/index.ts';
import { canceled } from './deadLetterSupport.ts';

const skip = await infraMissing('postgres', 'mysql');

async function freshDatabase(t: { after(fn: () => Promise<void>): void }, kind: 'postgres' | 'mysql') {
  const name = `street_messaging_${process.pid}_${Date.now()}`;
  const adminUrl = kind === 'postgres' ? INFRA.postgres : INFRA.mysql;
  const admin = openDatabase(adminUrl, 1);
  await sql.raw(`create database ${name}`).execute(admin.db);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const opened = openDatabase<MessagingTables>(url.toString());
  t.after(async () => {
    await opened.db.destroy();
    await sql.raw(`drop database ${name}`).execute(admin.db);
    await admin.db.destroy();
  });
  return opened;
}

for (const kind of ['postgres', 'mysql'] as const) {
  test(`dead letters and the outbox's trace context work on ${kind}`, { skip }, async (t) => {
    const { db, dialect } = await freshDatabase(t, kind);
    await migrateMessaging(db as never, dialect);
    await migrateMessaging(db as never, dialect); // idempotent

    const traceparent = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
    await transactor(db)((tx) => recordEventsInOutbox(tx, [canceled(1, 'e1')], { traceparent }));
    const [row] = await dueOutboxRows(db, Date.now(), 10);
    assert.equal(row?.traceparent, traceparent);

    const store = sqlDeadLetterStore(db);
    const letter = {
      consumer: 'whenOrderCanceledShip',
      eventId: 'e1',
      eventType: 'OrderCanceled',
      orderId: 1,
      envelope: JSON.stringify(canceled(1, 'e1')),
      error: 'boom',
      attempts: 5,
      source: 'orders/3/42',
    };
    await store.park(letter, new Date());
    await store.park({ ...letter, error: 'boom again' }, new Date());
    await store.park({ ...letter, consumer: '(unreadable)', eventId: 'orders/3/43', orderId: null }, new Date());
    assert.equal(await store.countParked(), 2);
    const [first] = (await store.page({ page: 0, size: 10, direction: 'asc', state: 'parked' })).items;
    assert.equal(first?.attempts, 10, 'parked again: one letter, attempts added up');
    assert.equal(first?.error, 'boom again');
    await store.failedAgain(first?.id ?? 0, 'still failing');
    assert.equal((await store.find(first?.id ?? 0))?.attempts, 11);
    assert.equal(await store.markRedriven(first?.id ?? 0, new Date()), true);
    assert.equal(await store.markRedriven(first?.id ?? 0, new Date()), false);
    assert.equal(await store.countParked(), 1);
    const redriven = await store.page({ page: 0, size: 10, direction: 'desc', state: 'redriven' });
    assert.deepEqual(
      redriven.items.map((l) => [l.eventId, l.orderId]),
      [['e1', 1]],
    );
    assert.equal((await store.parked(10))[0]?.orderId, null);
  });
}
