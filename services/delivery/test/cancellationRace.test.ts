import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { test } from 'node:test';
import { DELIVERY_STATUS, envelope } from '@12street/contracts';
import { migrateMessaging, openDatabase, recordEventsInOutbox, transactor } from '@12street/platform';
import { INFRA, infraMissing, testLogger } from '@12street/testkit';
import { sql } from 'kysely';
import { type DeliveryDatabase, deliveryStore } from '../src/adapters/persistence/deliveryStore.ts';
import { deliveryMigrations } from '../src/adapters/persistence/migrations.ts';
import type { DeliveryStore } from '../src/application/ports.ts';
import { settleCoupons } from '../src/application/settleCoupons.ts';
import { whenPaymentApprovedAcceptDelivery } from '../src/application/whenPaymentApprovedAcceptDelivery.ts';
import { whenPaymentCanceledCancelDelivery } from '../src/application/whenPaymentCanceledCancelDelivery.ts';

const skip = await infraMissing('postgres', 'mysql');

async function freshDeliveryDatabase(t: { after(fn: () => Promise<void>): void }, kind: 'postgres' | 'mysql') {
  const adminUrl = kind === 'postgres' ? INFRA.postgres : INFRA.mysql;
  const name = `street_delivery_race_${process.pid}_${Date.now()}`;
  const admin = openDatabase(adminUrl, 1);
  await sql.raw(`create database ${name}`).execute(admin.db);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const opened = openDatabase<DeliveryDatabase>(url.toString(), 4);
  t.after(async () => {
    await opened.db.destroy();
    await sql.raw(`drop database ${name}`).execute(admin.db);
    await admin.db.destroy();
  });
  await migrateMessaging(opened.db as never, opened.dialect, deliveryMigrations);
  return opened;
}

const ORDER_ID = 17;
const approved = envelope(
  'PaymentApproved',
  ORDER_ID,
  {
    paymentId: 1,
    productId: 1,
    productName: 'TV',
    productPrice: 10000,
    qty: 1,
    amount: 10000,
    userId: 'u1',
    username: 'kim',
    address: 'Seoul',
    phoneNo: '010',
    payStatus: 'Pay Approved',
  },
  { eventId: randomUUID(), occurredAt: new Date() },
);
const canceled = envelope(
  'PaymentCanceled',
  ORDER_ID,
  { paymentId: 1, userId: 'u1', payStatus: 'Pay Canceled', reason: 'changed my mind' },
  { eventId: randomUUID(), occurredAt: new Date() },
);

const settled = <T>(promise: Promise<T>) => promise.then(() => true);
const after = (ms: number) => new Promise<false>((resolve) => setTimeout(() => resolve(false), ms));

// Finding 2 of docs/reliability.md: the coupon worker applies marketing's answer while the payment's
// cancellation arrives. Here the cancellation runs exactly between the worker's read and its write.
for (const kind of ['postgres', 'mysql'] as const) {
  test(`a cancellation arriving while the coupon's answer is applied is not lost (${kind})`, { skip }, async (t) => {
    const { db } = await freshDeliveryDatabase(t, kind);
    const inTransaction = transactor(db);
    const clock = () => new Date();
    const store = deliveryStore(kind);
    await inTransaction((tx) => whenPaymentApprovedAcceptDelivery({ clock, deliveries: store })(tx, approved));

    let cancellation: Promise<unknown> | undefined;
    let cancellationFinishedFirst = false;
    const cancel = () =>
      inTransaction((tx) => whenPaymentCanceledCancelDelivery({ clock, deliveries: store })(tx, canceled));
    // The worker, having read the delivery, lets the cancellation run before it writes.
    const interleaving: DeliveryStore = {
      ...store,
      async updateDelivery(tx, delivery) {
        cancellation ??= cancel();
        cancellationFinishedFirst = await Promise.race([settled(cancellation), after(500)]);
        await store.updateDelivery(tx, delivery);
      },
    };
    const worker = settleCoupons({
      clock,
      newId: randomUUID,
      inTransaction,
      recordEvents: (tx, events) => recordEventsInOutbox(tx, events),
      deliveries: interleaving,
      couponDesk: {
        issueCoupon: async () => ({ couponId: 7, couponKind: '10% off', couponUseYn: 'N' }),
        cancelCoupon: async () => {},
      },
      backoff: { baseMs: 10, maxMs: 10 },
      logger: testLogger(),
    });
    await worker();
    await cancellation;

    assert.equal(cancellationFinishedFirst, false, 'the cancellation waited for the worker to commit');
    const delivery = await inTransaction((tx) => store.findDeliveryForOrder(tx, ORDER_ID));
    assert.equal(delivery?.deliveryStatus, DELIVERY_STATUS.cancelPending);
    assert.equal(delivery?.pendingAction, 'cancel-coupon', 'the coupon is still owed a cancellation');
  });
}
