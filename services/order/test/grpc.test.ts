import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { StreetEvent } from '@12street/contracts';
import { eventually, sampleOrder } from '@12street/testkit';
import { status } from '@grpc/grpc-js';
import { grpcFailure, orderWithGrpc } from './grpcSupport.ts';

type Json = Record<string, unknown>;
const withoutIdAndTimes = ({ id: _, createdAt: __, _links: ___, ...fields }: Json) => fields;
/** What an event says, apart from which order it is about, its id and its time. */
const meaningOf = ({ eventType, schemaVersion, payload }: StreetEvent) => ({ eventType, schemaVersion, payload });

test('an order placed, read and cancelled over gRPC ends exactly as one over REST, with the same events', async (t) => {
  const s = await orderWithGrpc(t);
  const details = sampleOrder({ productPrice: 1500, qty: 2, address: 'Busan' });

  const viaRest = await s.place(details);
  assert.equal(viaRest.statusCode, 201);
  const restOrder = viaRest.json();
  const grpcOrder = await s.client.placeOrder(details);
  assert.equal(grpcOrder.id, restOrder.id + 1);
  assert.deepEqual(withoutIdAndTimes(grpcOrder), withoutIdAndTimes(restOrder));
  assert.deepEqual(withoutIdAndTimes(grpcOrder), { ...details, orderStatus: 'Ordered' });
  assert.ok(Date.parse(grpcOrder.createdAt) > 0);

  const readOverGrpc = await s.client.getOrder({ id: restOrder.id });
  const readOverRest = (await s.order.app.inject({ url: `/orders/${grpcOrder.id}` })).json();
  assert.deepEqual(withoutIdAndTimes(readOverGrpc), withoutIdAndTimes(readOverRest));
  assert.equal(readOverGrpc.createdAt, restOrder.createdAt);

  const reason = 'changed my mind';
  const restCanceled = (
    await s.order.app.inject({ method: 'POST', url: `/orders/${restOrder.id}/cancel`, payload: { reason } })
  ).json();
  const grpcCanceled = await s.client.cancelOrder({ id: grpcOrder.id, reason });
  assert.equal(grpcCanceled.orderStatus, 'Order Canceled');
  assert.deepEqual(withoutIdAndTimes(grpcCanceled), withoutIdAndTimes(restCanceled));

  const eventsOf = async (orderId: number) => {
    const rows = await s.db.selectFrom('outbox').selectAll().where('order_id', '=', orderId).orderBy('id').execute();
    return rows.map((r) => meaningOf(JSON.parse(r.envelope) as StreetEvent));
  };
  const restEvents = await eventsOf(restOrder.id);
  assert.deepEqual(
    restEvents.map((e) => e.eventType),
    ['OrderPlaced', 'OrderCanceled'],
  );
  assert.deepEqual(await eventsOf(grpcOrder.id), restEvents);

  // payment follows both cancellations alike.
  const paymentOf = async (orderId: number) => (await s.paymentsFor(orderId))[0];
  const [restPayment, grpcPayment] = await eventually(
    async () => {
      const both = [await paymentOf(restOrder.id), await paymentOf(grpcOrder.id)];
      return both.every((p) => p?.payStatus === 'Pay Canceled') && both;
    },
    { what: 'both payments cancelled' },
  );
  assert.equal(grpcPayment?.amount, restPayment?.amount);
});

test('a cancellation without a reason gets the default reason, as over REST', async (t) => {
  const s = await orderWithGrpc(t);
  const placed = await s.client.placeOrder(sampleOrder());
  await s.client.cancelOrder({ id: placed.id });
  const [canceled] = await s.outbox('OrderCanceled');
  assert.equal(canceled?.eventType === 'OrderCanceled' && canceled.payload.reason, 'customer request');
});

test('invalid requests are INVALID_ARGUMENT before anything is written or payment is asked', async (t) => {
  const s = await orderWithGrpc(t);
  const invalid: Record<string, object> = {
    'zero qty': sampleOrder({ qty: 0 }),
    'negative price': sampleOrder({ productPrice: -1 }),
    'missing product name': (({ productName: _, ...rest }) => rest)(sampleOrder()),
    'bad phone number': sampleOrder({ phoneNo: 'call me' }),
    'product id out of range': sampleOrder({ productId: 3_000_000_000 }),
    'name too long': sampleOrder({ productName: 'x'.repeat(201) }),
  };
  for (const [what, request] of Object.entries(invalid)) {
    const failure = await grpcFailure(s.client.placeOrder(request));
    assert.equal(failure.code, status.INVALID_ARGUMENT, what);
  }
  assert.match((await grpcFailure(s.client.placeOrder(sampleOrder({ qty: 0 })))).details, /\/qty/);
  const huge = await grpcFailure(s.client.placeOrder(sampleOrder({ productName: 'x'.repeat(100_000) })));
  assert.equal(huge.code, status.RESOURCE_EXHAUSTED);
  for (const call of [s.client.getOrder({}), s.client.cancelOrder({ id: -1 }), s.client.cancelOrder({ id: 0 })]) {
    assert.equal((await grpcFailure(call)).code, status.INVALID_ARGUMENT);
  }
  const placed = await s.client.placeOrder(sampleOrder());
  const longReason = await grpcFailure(s.client.cancelOrder({ id: placed.id, reason: 'x'.repeat(201) }));
  assert.equal(longReason.code, status.INVALID_ARGUMENT);

  assert.equal((await s.db.selectFrom('orders').selectAll().execute()).length, 1);
  assert.equal(s.approvalsAsked.length, 1);
});

test('unknown orders are NOT_FOUND and cancelling twice is FAILED_PRECONDITION', async (t) => {
  const s = await orderWithGrpc(t);
  assert.equal((await grpcFailure(s.client.getOrder({ id: 99 }))).code, status.NOT_FOUND);
  assert.equal((await grpcFailure(s.client.cancelOrder({ id: 99 }))).code, status.NOT_FOUND);

  const placed = await s.client.placeOrder(sampleOrder());
  await s.client.cancelOrder({ id: placed.id });
  const twice = await grpcFailure(s.client.cancelOrder({ id: placed.id }));
  assert.equal(twice.code, status.FAILED_PRECONDITION);
  assert.match(twice.details, /already canceled/);
  assert.equal((await s.outbox('OrderCanceled')).length, 1);
});

test('an order payment refuses is ABORTED and never becomes an order', async (t) => {
  const s = await orderWithGrpc(t);
  // A payment voided before it was asked for bars the order that would have been number 1.
  await s.payment.app.inject({ method: 'POST', url: '/payments/void', payload: { orderId: 1, reason: 'test' } });
  const refused = await grpcFailure(s.client.placeOrder(sampleOrder()));
  assert.equal(refused.code, status.ABORTED);
  assert.match(refused.details, /payment refused order 1/);
  assert.equal((await grpcFailure(s.client.getOrder({ id: 1 }))).code, status.NOT_FOUND);
  assert.equal((await s.outbox('OrderPlaced')).length, 0);
});

test('payment being unavailable is UNAVAILABLE, with the reason in the details and the trailers', async (t) => {
  const s = await orderWithGrpc(t);
  s.paymentFaults.set({ kind: 'down' });
  const failed = await grpcFailure(s.client.placeOrder(sampleOrder()));
  assert.equal(failed.code, status.UNAVAILABLE);
  assert.match(failed.details, /^payment unavailable \(failed\)/);
  assert.deepEqual(failed.metadata.get('unavailable-reason'), ['failed']);
  assert.deepEqual(failed.metadata.get('retry-after-seconds'), ['1']);

  await grpcFailure(s.client.placeOrder(sampleOrder()));
  const open = await grpcFailure(s.client.placeOrder(sampleOrder()));
  assert.equal(open.code, status.UNAVAILABLE);
  assert.deepEqual(open.metadata.get('unavailable-reason'), ['circuit-open']);
  assert.equal((await s.outbox('OrderPlaced')).length, 0);
});
