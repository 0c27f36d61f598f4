import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { envelope, PAY_STATUS, type StreetEvent } from '@12street/contracts';
import { inProcessTransport, openSqlite } from '@12street/platform';
import { eventually, sampleOrder, tempDir, testLogger } from '@12street/testkit';
import { createPaymentService } from '../src/compose.ts';

async function paymentService(t: { after(fn: () => void): void }) {
  const transport = inProcessTransport();
  const published: StreetEvent[] = [];
  transport.subscribe({
    consumer: 'spy',
    eventTypes: ['PaymentApproved', 'PaymentCanceled'],
    handle: async (e) => void published.push(e),
  });
  const db = openSqlite(join(tempDir(t), 'payment.db'));
  const service = createPaymentService({ db: db as never, dialect: 'sqlite', transport, logger: testLogger() });
  await service.start();
  t.after(async () => {
    await service.stop();
    await db.destroy();
  });
  return { service, transport, published };
}

const approve = (orderId: number) => ({ orderId, ...sampleOrder({ productPrice: 1500, qty: 2 }) });

test('approving a payment records it and publishes PaymentApproved once, however often order asks', async (t) => {
  const { service, published } = await paymentService(t);
  const first = await service.app.inject({ method: 'POST', url: '/payments', payload: approve(7) });
  assert.equal(first.statusCode, 201);
  assert.match(first.headers.location as string, /\/payments\/1$/);
  assert.equal(first.json().amount, 3000);
  const again = await service.app.inject({ method: 'POST', url: '/payments', payload: approve(7) });
  assert.equal(again.statusCode, 200);
  assert.equal(again.json().id, first.json().id);
  await eventually(() => published.length === 1, { what: 'PaymentApproved published' });
  assert.equal(published[0]?.eventType, 'PaymentApproved');
  assert.equal(published[0]?.orderId, 7);
});

test('a void cancels an approved payment; a void that comes first bars a later approval', async (t) => {
  const { service, published } = await paymentService(t);
  await service.app.inject({ method: 'POST', url: '/payments', payload: approve(1) });
  const voided = await service.app.inject({
    method: 'POST',
    url: '/payments/void',
    payload: { orderId: 1, reason: 'timeout' },
  });
  assert.equal(voided.json().payStatus, PAY_STATUS.canceled);
  await eventually(() => published.some((e) => e.eventType === 'PaymentCanceled'), { what: 'PaymentCanceled' });

  const early = await service.app.inject({
    method: 'POST',
    url: '/payments/void',
    payload: { orderId: 2, reason: 'timeout' },
  });
  assert.equal(early.json().payStatus, PAY_STATUS.voided);
  const late = await service.app.inject({ method: 'POST', url: '/payments', payload: approve(2) });
  assert.equal(late.statusCode, 409);
  assert.equal(late.headers['content-type'], 'application/problem+json; charset=utf-8');
  const list = await service.app.inject({ method: 'GET', url: '/payments' });
  assert.deepEqual(
    list.json()._embedded.payments.map((p: { orderId: number }) => p.orderId),
    [1],
    'the placeholder for order 2 is not a payment',
  );
});

test('OrderCanceled cancels the payment exactly once even when delivered twice', async (t) => {
  const { service, transport, published } = await paymentService(t);
  await service.app.inject({ method: 'POST', url: '/payments', payload: approve(3) });
  const canceled = envelope(
    'OrderCanceled',
    3,
    { userId: 'u1', orderStatus: 'Order Canceled', reason: 'customer' },
    {
      eventId: 'e-1',
      occurredAt: new Date(),
    },
  );
  await transport.publish([canceled]);
  await transport.publish([canceled]);
  await eventually(() => published.filter((e) => e.eventType === 'PaymentCanceled').length === 1, {
    what: 'one PaymentCanceled',
  });
  const found = await service.app.inject({ method: 'GET', url: '/payments/search/findByOrderId?orderId=3' });
  assert.equal(found.json()._embedded.payments[0].payStatus, PAY_STATUS.canceled);
});

test('bad input is refused with problem+json and writes nothing', async (t) => {
  const { service } = await paymentService(t);
  for (const payload of [{ ...approve(1), qty: -1 }, { ...approve(1), extra: 1 }, { orderId: 'x' }]) {
    const res = await service.app.inject({ method: 'POST', url: '/payments', payload });
    assert.equal(res.statusCode, 400, JSON.stringify(payload));
    assert.equal(res.json().status, 400);
  }
  const list = await service.app.inject({ method: 'GET', url: '/payments' });
  assert.equal(list.json().page.totalElements, 0);
});
