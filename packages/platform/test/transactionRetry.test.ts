import assert from 'node:assert/strict';
import { test } from 'node:test';
import { INFRA, infraMissing } from '@12street/testkit';
import { type Kysely, sql } from 'kysely';
import { openDatabase, sqlOf, transactor } from '../src/index.ts';

const skip = await infraMissing('postgres', 'mysql');

type Counters = { counters: { id: number; n: number } };

async function counters(t: { after(fn: () => Promise<void>): void }, kind: 'postgres' | 'mysql') {
  const name = `street_tx_${process.pid}_${Date.now()}`;
  const adminUrl = kind === 'postgres' ? INFRA.postgres : INFRA.mysql;
  const admin = openDatabase(adminUrl, 1);
  await sql.raw(`create database ${name}`).execute(admin.db);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const { db } = openDatabase<Counters>(url.toString());
  t.after(async () => {
    await db.destroy();
    await sql.raw(`drop database ${name}`).execute(admin.db);
    await admin.db.destroy();
  });
  await sql`create table counters (id integer primary key, n integer not null)`.execute(db);
  await db
    .insertInto('counters')
    .values([
      { id: 1, n: 0 },
      { id: 2, n: 0 },
    ])
    .execute();
  return db;
}

for (const kind of ['postgres', 'mysql'] as const) {
  test(`a transaction chosen as a deadlock's victim is run again and both commit (${kind})`, { skip }, async (t) => {
    const db = await counters(t, kind);
    const inTransaction = transactor(db);
    // Each first attempt locks one row, waits until the other locked the other, then wants it too.
    let locked = 0;
    let bothLocked: () => void = () => {};
    const meet = new Promise<void>((resolve) => {
      bothLocked = resolve;
    });
    const attempts = { first: 0, second: 0 };
    const increment = (db: Kysely<Counters>, id: number) =>
      db.updateTable('counters').set({ n: sql`n + 1` }).where('id', '=', id).execute();
    const crosswise = (who: keyof typeof attempts, [one, other]: [number, number]) =>
      inTransaction(async (tx) => {
        attempts[who]++;
        await increment(sqlOf<Counters>(tx), one);
        if (attempts[who] === 1) {
          if (++locked === 2) bothLocked();
          await meet;
        }
        await increment(sqlOf<Counters>(tx), other);
      });

    await Promise.all([crosswise('first', [1, 2]), crosswise('second', [2, 1])]);

    assert.equal(attempts.first + attempts.second, 3, 'the victim ran once more');
    const rows = await db.selectFrom('counters').select(['id', 'n']).orderBy('id').execute();
    assert.deepEqual(
      rows.map((r) => Number(r.n)),
      [2, 2],
      'both transactions took effect, once each',
    );
  });
}
