import assert from 'node:assert/strict';
import { test } from 'node:test';
import { envelope } from '@12street/contracts';
import {
  exactlyOnce,
  type MessagingTables,
  migrateMessaging,
  openDatabase,
  outboxBacklog,
  recordEventsInOutbox,
  transactor,
} from '@12street/platform';
import { INFRA, infraMissing } from '@12street/testkit';
import { sql } from 'kysely';

const skip = await infraMissing('postgres', 'mysql');

async function freshDatabase(kind: 'postgres' | 'mysql') {
  const name = `street_test_${process.pid}_${Date.now()}`;
  const admin = openDatabase(kind === 'postgres' ? INFRA.postgres : INFRA.mysql, 1);
  await sql.raw(`create database ${name}`).execute(admin.db);
  const url = new URL(kind === 'postgres' ? INFRA.postgres : INFRA.mysql);
  url.pathname = `/${name}`;
  const opened = openDatabase<MessagingTables>(url.toString());
  return {
    ...opened,
    async drop() {
      await opened.db.destroy();
      await sql.raw(`drop database ${name}`).execute(admin.db);
      await admin.db.destroy();
    },
  };
}

for (const kind of ['postgres', 'mysql'] as const) {
  test(`outbox and inbox work on ${kind}`, { skip }, async (t) => {
    const { db, dialect, drop } = await freshDatabase(kind);
    t.after(drop);
    await migrateMessaging(db as never, dialect);
    await migrateMessaging(db as never, dialect); // idempotent
    const event = envelope(
      'OrderCanceled',
      1,
      { userId: 'u', orderStatus: 'Order Canceled', reason: 'r' },
      { eventId: 'e1', occurredAt: new Date() },
    );
    const inTx = transactor(db);
    await inTx((tx) => recordEventsInOutbox(tx, [event]));
    assert.equal((await outboxBacklog(db)).unsent, 1);
    let applied = 0;
    const once = exactlyOnce(inTx, 'c', async () => {
      applied++;
    });
    assert.equal(await once(event), 'processed');
    assert.equal(await once(event), 'duplicate');
    assert.equal(applied, 1);
  });
}
