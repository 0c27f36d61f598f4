import assert from 'node:assert/strict';
import { test } from 'node:test';
import { PAY_STATUS } from '@12street/contracts';
import { eventually, sampleOrder } from '@12street/testkit';
import { orderWithPayment } from './support.ts';

const STALE_MS = 30_000;

test('orders a crash left waiting for payment are repaired: paid ones placed, unpaid ones rejected and voided', async (t) => {
  let now = Date.parse('2024-05-01T10:00:00.000Z');
  const s = await orderWithPayment(t, { stalePendingMs: STALE_MS, clock: () => new Date(now) });
  // What a crash between payment's answer and order's commit leaves behind: orders still pending.
  const pendingSince = (ms: number) => {
    const at = new Date(ms).toISOString();
    const d = sampleOrder({ productPrice: 2500 });
    return {
      product_id: d.productId,
      product_name: d.productName,
      product_price: d.productPrice,
      qty: d.qty,
      user_id: d.userId,
      username: d.username,
      address: d.address,
      phone_no: d.phoneNo,
      order_status: 'Payment Pending',
      reason: null,
      payment_settled: 0,
      created_at: at,
      updated_at: at,
    };
  };
  const paid = await s.payment.app.inject({
    method: 'POST',
    url: '/payments',
    payload: { orderId: 1, ...sampleOrder({ productPrice: 2500 }) },
  });
  assert.equal(paid.statusCode, 201, 'payment approved order 1 before the crash');
  await s.db
    .insertInto('orders')
    .values([pendingSince(now - 60_000), pendingSince(now - 60_000), pendingSince(now - 1000)])
    .execute();

  const placed = await eventually(
    async () => {
      const res = await s.order.app.inject({ url: '/orders/1' });
      return res.statusCode === 200 && (res.json() as { orderStatus: string });
    },
    { what: 'the paid order placed' },
  );
  assert.equal(placed.orderStatus, 'Ordered');
  const [event] = await s.outbox('OrderPlaced');
  assert.equal(event?.orderId, 1);
  assert.deepEqual(event?.payload, { ...sampleOrder({ productPrice: 2500 }), orderStatus: 'Ordered' });
  assert.equal((await s.paymentsFor(1))[0]?.payStatus, PAY_STATUS.approved, 'a placed order keeps its payment');

  await s.settled(2);
  assert.equal((await s.order.app.inject({ url: '/orders/2' })).statusCode, 404);
  const late = await s.payment.app.inject({
    method: 'POST',
    url: '/payments',
    payload: { orderId: 2, ...sampleOrder() },
  });
  assert.equal(late.statusCode, 409, 'the unpaid order is voided at payment, so it can never be paid');

  assert.equal((await s.orderRow(3))?.order_status, 'Payment Pending', 'a young pending order is left to its request');
  assert.deepEqual(s.lookupsAsked.sort(), [1, 2]);

  now += STALE_MS;
  await s.settled(3);
  assert.deepEqual(await s.paymentsFor(3), []);
  assert.equal((await s.listed()).page.totalElements, 1);
  assert.equal((await s.outbox('OrderPlaced')).length, 1);
});

test("a rejected order's payment is voided once; a settled order is not voided again", async (t) => {
  const s = await orderWithPayment(t);
  s.paymentFaults.set({ kind: 'failing' });
  assert.equal((await s.place()).statusCode, 503);
  s.paymentFaults.set({ kind: 'none' });
  await s.settled(1);
  assert.equal((await s.place()).statusCode, 201);
  s.paymentFaults.set({ kind: 'failing' });
  assert.equal((await s.place()).statusCode, 503);
  s.paymentFaults.set({ kind: 'none' });
  await s.settled(3);
  assert.deepEqual(s.voidedOrders, [1, 3], 'each rejected order voided once, the placed one never');
  assert.equal((await s.order.app.inject({ url: '/orders/2' })).json().orderStatus, 'Ordered');
  assert.equal((await s.paymentsFor(2))[0]?.payStatus, PAY_STATUS.approved);
});
