import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import {
  DELIVERY_STATUS,
  envelope,
  PAY_STATUS,
  PROMOTE_STATUS,
  type StreetEvent,
  type StreetEventType,
} from '@12street/contracts';
import { createMarketingService } from '@12street/marketing';
import { type BreakerSettings, inProcessTransport, installFaultSwitch, openSqlite } from '@12street/platform';
import { eventually, sampleOrder, tempDir, testLogger } from '@12street/testkit';
import type { DeliveryDatabase } from '../src/adapters/persistence/deliveryStore.ts';
import { createDeliveryService } from '../src/compose.ts';

const SMALL_BREAKER: BreakerSettings = {
  timeoutMs: 500,
  failureRatio: 0.5,
  windowSize: 4,
  minimumCalls: 2,
  halfOpenAfterMs: 200,
};

type Json = Record<string, unknown>;

/** Delivery with the real marketing service on a real port, both on SQLite, sharing one transport. */
async function deliveryWithMarketing(t: { after(fn: () => Promise<void> | void): void }) {
  const dir = tempDir(t);
  const transport = inProcessTransport();
  const published: StreetEvent[] = [];
  transport.subscribe({
    consumer: 'spy',
    eventTypes: ['CouponPublished', 'CouponCanceled', 'DeliveryStarted', 'DeliveryCanceled'],
    handle: async (e) => void published.push(e),
  });

  const marketingDb = openSqlite(join(dir, 'marketing.db'));
  const marketing = createMarketingService({
    db: marketingDb as never,
    dialect: 'sqlite',
    transport,
    logger: testLogger(),
  });
  const marketingCalls: string[] = [];
  marketing.app.addHook('onRequest', async (request) => void marketingCalls.push(`${request.method} ${request.url}`));
  const marketingFaults = installFaultSwitch(marketing.app);
  await marketing.start();
  const marketingUrl = await marketing.app.listen({ port: 0, host: '127.0.0.1' });

  const db = openSqlite<DeliveryDatabase>(join(dir, 'delivery.db'));
  const delivery = createDeliveryService({
    db,
    dialect: 'sqlite',
    transport,
    logger: testLogger(),
    marketingUrl,
    breaker: SMALL_BREAKER,
    couponIntervalMs: 50,
    couponBackoff: { baseMs: 20, maxMs: 100 },
  });
  await delivery.start();
  t.after(async () => {
    await delivery.stop();
    await marketing.stop();
    await db.destroy();
    await marketingDb.destroy();
  });

  const deliveryOf = async (orderId: number): Promise<Json | undefined> => {
    const res = await delivery.app.inject({ url: `/stockDeliveries/search/findByOrderId?orderId=${orderId}` });
    return res.json()._embedded.stockDeliveries[0];
  };
  const promoteOf = async (orderId: number): Promise<Json | undefined> => {
    const res = await marketing.app.inject({ url: `/promotes/search/findByOrderId?orderId=${orderId}` });
    return res.json()._embedded.promotes[0];
  };
  /** The stored row, retry bookkeeping and placeholders included. */
  const rowOf = (orderId: number) =>
    db.selectFrom('stock_deliveries').selectAll().where('order_id', '=', orderId).executeTakeFirst();
  const statusBecomes = (orderId: number, status: string) =>
    eventually(
      async () => {
        const d = await deliveryOf(orderId);
        return d?.deliveryStatus === status && d;
      },
      { what: `order ${orderId} ${status}` },
    );
  const drained = () =>
    eventually(
      async () =>
        (await delivery.kernel.outboxBacklog()).unsent + (await marketing.kernel.outboxBacklog()).unsent === 0,
      { what: 'outboxes drained' },
    );
  const eventsOf = (type: StreetEventType, orderId: number) =>
    published.filter((e) => e.eventType === type && e.orderId === orderId);

  return {
    transport,
    delivery,
    marketing,
    marketingFaults,
    marketingCalls,
    deliveryOf,
    promoteOf,
    rowOf,
    statusBecomes,
    drained,
    eventsOf,
  };
}

let eventIds = 0;
const meta = () => ({ eventId: `test-${++eventIds}`, occurredAt: new Date() });

const paymentApproved = (orderId: number, overrides: Json = {}) => {
  const order = sampleOrder(overrides) as ReturnType<typeof sampleOrder> & { productPrice: number; qty: number };
  return envelope(
    'PaymentApproved',
    orderId,
    {
      paymentId: orderId,
      amount: order.productPrice * order.qty,
      payStatus: PAY_STATUS.approved,
      ...order,
    } as never,
    meta(),
  );
};
const paymentCanceled = (orderId: number) =>
  envelope(
    'PaymentCanceled',
    orderId,
    { paymentId: orderId, userId: 'u1', payStatus: PAY_STATUS.canceled, reason: 'customer changed mind' },
    meta(),
  );

test('a paid order waits for its coupon, then starts with the coupon marketing issued', async (t) => {
  const s = await deliveryWithMarketing(t);
  s.marketingFaults.set({ kind: 'slow', delayMs: 300 });
  await s.transport.publish([paymentApproved(1, { productPrice: 60_000, address: 'Busan' })]);

  const waiting = await s.deliveryOf(1);
  assert.equal(waiting?.deliveryStatus, DELIVERY_STATUS.awaitingCoupon);
  assert.equal(waiting?.couponId, null);
  assert.equal(waiting?.address, 'Busan');

  s.marketingFaults.set({ kind: 'none' });
  const started = await s.statusBecomes(1, DELIVERY_STATUS.started);
  const promote = await s.promoteOf(1);
  assert.equal(promote?.promoteStatus, PROMOTE_STATUS.published);
  assert.equal(started.couponId, promote?.couponId);
  assert.equal(started.couponKind, promote?.couponKind);
  assert.equal(started.couponUseYn, 'N');

  await s.drained();
  const [event] = s.eventsOf('DeliveryStarted', 1);
  assert.deepEqual(event?.payload, {
    deliveryId: started.id,
    userId: 'u1',
    address: 'Busan',
    deliveryStatus: DELIVERY_STATUS.started,
    couponId: promote?.couponId,
    couponKind: promote?.couponKind,
    couponUseYn: 'N',
  });

  const list = (await s.delivery.app.inject({ url: '/stockDeliveries' })).json();
  assert.equal(list.page.totalElements, 1);
  assert.equal(list._embedded.stockDeliveries[0].orderId, 1);
  assert.match(list._links.search.href, /\/stockDeliveries\/search$/);
  const one = await s.delivery.app.inject({ url: `/stockDeliveries/${started.id}` });
  assert.equal(one.json()._links.stockDelivery.href, one.json()._links.self.href);
  assert.equal((await s.delivery.app.inject({ url: '/stockDeliveries/999' })).statusCode, 404);
  const search = (await s.delivery.app.inject({ url: '/stockDeliveries/search' })).json();
  assert.match(search._links.findByOrderId.href, /findByOrderId\{\?orderId\}$/);
});

test('the same payment delivered twice, or approved twice, makes one delivery with one coupon', async (t) => {
  const s = await deliveryWithMarketing(t);
  const approved = paymentApproved(2);
  await s.transport.publish([approved]);
  await s.transport.publish([approved]);
  await s.transport.publish([paymentApproved(2)]);
  await s.statusBecomes(2, DELIVERY_STATUS.started);
  await s.drained();
  assert.equal(s.eventsOf('DeliveryStarted', 2).length, 1);
  assert.equal(s.eventsOf('CouponPublished', 2).length, 1);
  assert.equal((await s.delivery.app.inject({ url: '/stockDeliveries' })).json().page.totalElements, 1);
});

test('while marketing is down the delivery keeps waiting and retrying, then starts by itself once it is back', async (t) => {
  const s = await deliveryWithMarketing(t);
  s.marketingFaults.set({ kind: 'down' });
  await s.transport.publish([paymentApproved(3)]);

  const retrying = await eventually(
    async () => {
      const row = await s.rowOf(3);
      return row && Number(row.attempts) >= 3 && row;
    },
    { what: 'several failed attempts' },
  );
  assert.equal(retrying.delivery_status, DELIVERY_STATUS.awaitingCoupon);
  assert.equal(retrying.pending_action, 'issue-coupon');
  assert.ok(retrying.last_error, 'the last failure is kept');
  assert.equal((await s.deliveryOf(3))?.couponId, null);

  s.marketingFaults.set({ kind: 'none' });
  const started = await s.statusBecomes(3, DELIVERY_STATUS.started);
  assert.equal(started.couponId, (await s.promoteOf(3))?.couponId);
  const row = await s.rowOf(3);
  assert.equal(row?.pending_action, null);
  assert.equal(row?.last_error, null);
});

test('a cancelled payment after the start cancels the coupon at marketing, and only then the delivery', async (t) => {
  const s = await deliveryWithMarketing(t);
  await s.transport.publish([paymentApproved(4)]);
  const started = await s.statusBecomes(4, DELIVERY_STATUS.started);
  await s.transport.publish([paymentCanceled(4)]);

  const canceled = await s.statusBecomes(4, DELIVERY_STATUS.canceled);
  assert.equal(canceled.couponId, started.couponId, 'the delivery keeps the coupon it had');
  assert.equal((await s.promoteOf(4))?.promoteStatus, PROMOTE_STATUS.canceled);
  await s.drained();
  const [couponCanceled] = s.eventsOf('CouponCanceled', 4);
  const [deliveryCanceled] = s.eventsOf('DeliveryCanceled', 4);
  assert.ok(couponCanceled && deliveryCanceled, 'both cancellations published');
  assert.ok(couponCanceled.occurredAt <= deliveryCanceled.occurredAt, 'the coupon is cancelled first');
  assert.deepEqual(deliveryCanceled.payload, {
    deliveryId: started.id,
    userId: 'u1',
    deliveryStatus: DELIVERY_STATUS.canceled,
  });

  await s.transport.publish([paymentCanceled(4)]);
  await s.drained();
  assert.equal(s.eventsOf('DeliveryCanceled', 4).length, 1, 'cancelling again changes nothing');
});

test('a cancelled payment while marketing is down stays Cancel Pending until marketing returns', async (t) => {
  const s = await deliveryWithMarketing(t);
  await s.transport.publish([paymentApproved(5)]);
  await s.statusBecomes(5, DELIVERY_STATUS.started);
  s.marketingFaults.set({ kind: 'down' });
  await s.transport.publish([paymentCanceled(5)]);

  assert.equal((await s.deliveryOf(5))?.deliveryStatus, DELIVERY_STATUS.cancelPending);
  const retrying = await eventually(
    async () => {
      const row = await s.rowOf(5);
      return row && Number(row.attempts) >= 2 && row;
    },
    { what: 'failed cancellation attempts' },
  );
  assert.equal(retrying.delivery_status, DELIVERY_STATUS.cancelPending);
  assert.equal(s.eventsOf('DeliveryCanceled', 5).length, 0);

  s.marketingFaults.set({ kind: 'none' });
  await s.statusBecomes(5, DELIVERY_STATUS.canceled);
  assert.equal((await s.promoteOf(5))?.promoteStatus, PROMOTE_STATUS.canceled);
});

test('a payment cancelled while its coupon is being issued never starts a delivery', async (t) => {
  const s = await deliveryWithMarketing(t);
  s.marketingFaults.set({ kind: 'slow', delayMs: 200 });
  await s.transport.publish([paymentApproved(6)]);
  await eventually(() => s.marketingCalls.includes('POST /promotes'), { what: 'the coupon asked for' });
  await s.transport.publish([paymentCanceled(6)]);
  assert.equal((await s.deliveryOf(6))?.deliveryStatus, DELIVERY_STATUS.cancelPending);
  s.marketingFaults.set({ kind: 'none' });

  await s.statusBecomes(6, DELIVERY_STATUS.canceled);
  assert.equal((await s.promoteOf(6))?.promoteStatus, PROMOTE_STATUS.canceled, 'the coupon issued meanwhile');
  await s.drained();
  assert.equal(s.eventsOf('DeliveryStarted', 6).length, 0);
  assert.equal(s.eventsOf('DeliveryCanceled', 6).length, 1);
});

test('a PaymentCanceled that overtakes its PaymentApproved bars the delivery: none ever starts', async (t) => {
  const s = await deliveryWithMarketing(t);
  await s.transport.publish([paymentCanceled(7)]);
  await s.transport.publish([paymentApproved(7)]);

  const row = await s.rowOf(7);
  assert.equal(row?.delivery_status, DELIVERY_STATUS.canceled);
  assert.equal(row?.pending_action, null, 'nothing left for the coupon worker to do');
  assert.equal(row?.product_id, null, 'the approval did not replace the placeholder');
  assert.equal(await s.deliveryOf(7), undefined, 'the placeholder is not a delivery');
  assert.equal((await s.delivery.app.inject({ url: '/stockDeliveries' })).json().page.totalElements, 0);
  await s.drained();
  assert.equal(s.eventsOf('DeliveryCanceled', 7).length, 0, 'nothing was cancelled, so nothing is announced');
  assert.equal(await s.promoteOf(7), undefined, 'marketing was never asked for a coupon');
});

test('a coupon marketing already cancelled is not asked for in a hot loop, and the cancellation settles it', async (t) => {
  const s = await deliveryWithMarketing(t);
  const barred = await s.marketing.app.inject({
    method: 'POST',
    url: '/promotes/cancellations',
    payload: { orderId: 8, userId: 'u1', reason: 'cancelled elsewhere' },
  });
  assert.equal(barred.statusCode, 200);
  await s.transport.publish([paymentApproved(8)]);

  const refused = await eventually(
    async () => {
      const row = await s.rowOf(8);
      return row && Number(row.attempts) >= 1 && row;
    },
    { what: 'the refused attempt recorded' },
  );
  assert.equal(refused.delivery_status, DELIVERY_STATUS.awaitingCoupon);
  assert.match(refused.last_error ?? '', /refused/);
  assert.ok(Number(refused.next_attempt_at) > Date.parse(refused.updated_at), 'the next attempt is deferred');
  assert.equal(s.delivery.marketingBreaker.state, 'closed', "marketing's refusal is not its failure");

  await s.transport.publish([paymentCanceled(8)]);
  await s.statusBecomes(8, DELIVERY_STATUS.canceled);
  await s.drained();
  assert.equal(s.eventsOf('DeliveryStarted', 8).length, 0);
});

test('the marketing breaker opens while marketing fails, and deliveries finish once it answers again', async (t) => {
  const s = await deliveryWithMarketing(t);
  const states: string[] = [];
  s.delivery.marketingBreaker.onStateChange((state) => states.push(state));
  s.marketingFaults.set({ kind: 'failing' });
  for (const orderId of [11, 12, 13]) await s.transport.publish([paymentApproved(orderId)]);

  await eventually(() => s.delivery.marketingBreaker.state === 'open', { what: 'breaker open' });
  const rows = await Promise.all([11, 12, 13].map((id) => s.rowOf(id)));
  assert.ok(rows.every((r) => r?.delivery_status === DELIVERY_STATUS.awaitingCoupon));

  s.marketingFaults.set({ kind: 'none' });
  for (const orderId of [11, 12, 13]) await s.statusBecomes(orderId, DELIVERY_STATUS.started);
  assert.equal(s.delivery.marketingBreaker.state, 'closed');
  assert.deepEqual(states.slice(0, 1), ['open']);
  assert.ok(states.includes('half-open'), 'it tried one call before closing');
});
