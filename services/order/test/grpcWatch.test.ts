import assert from 'node:assert/strict';
import { test } from 'node:test';
import { eventually, sampleOrder } from '@12street/testkit';
import { type ServiceError, type StatusObject, status } from '@grpc/grpc-js';
import type { OrderStatusChangeMessage } from '../src/adapters/grpc/orderMessages.ts';
import { orderWithGrpc } from './grpcSupport.ts';

/** Opens a watch and keeps what it streams and how it ended. */
function watch(s: Awaited<ReturnType<typeof orderWithGrpc>>, id: number) {
  const stream = s.client.watchOrder(id);
  const seen: OrderStatusChangeMessage[] = [];
  const outcome: { status?: StatusObject; error?: ServiceError } = {};
  stream.on('data', (change: OrderStatusChangeMessage) => seen.push(change));
  stream.on('error', (error: ServiceError) => {
    outcome.error = error;
  });
  stream.on('status', (s: StatusObject) => {
    outcome.status = s;
  });
  return { stream, seen, outcome, statuses: () => seen.map((c) => c.orderStatus) };
}

test('WatchOrder streams Ordered, then Order Canceled once the order is cancelled, and ends', async (t) => {
  const s = await orderWithGrpc(t);
  const placed = await s.client.placeOrder(sampleOrder());
  const w = watch(s, placed.id);
  await eventually(() => w.seen.length === 1, { what: 'the current status' });
  assert.deepEqual(w.seen[0], { id: placed.id, orderStatus: 'Ordered', changedAt: w.seen[0]?.changedAt });

  await s.order.app.inject({ method: 'POST', url: `/orders/${placed.id}/cancel` });
  await eventually(() => w.outcome.status, { what: 'the stream to end' });
  assert.deepEqual(w.statuses(), ['Ordered', 'Order Canceled']);
  assert.equal(w.outcome.status?.code, status.OK);
  assert.equal(w.outcome.error, undefined);
  assert.equal(s.grpc.watching(), 0);
});

test('WatchOrder on an unknown or invalid order fails at once', async (t) => {
  const s = await orderWithGrpc(t);
  const unknown = watch(s, 42);
  await eventually(() => unknown.outcome.error, { what: 'NOT_FOUND' });
  assert.equal(unknown.outcome.error?.code, status.NOT_FOUND);
  const invalid = watch(s, 0);
  await eventually(() => invalid.outcome.error, { what: 'INVALID_ARGUMENT' });
  assert.equal(invalid.outcome.error?.code, status.INVALID_ARGUMENT);
  assert.deepEqual([...unknown.seen, ...invalid.seen], []);
  assert.equal(s.grpc.watching(), 0);
});

test('a client hanging up ends its watch on the server', async (t) => {
  const s = await orderWithGrpc(t);
  const placed = await s.client.placeOrder(sampleOrder());
  const w = watch(s, placed.id);
  await eventually(() => w.seen.length === 1 && s.grpc.watching() === 1, { what: 'the watch to start' });
  w.stream.cancel();
  await eventually(() => s.grpc.watching() === 0, { what: 'the server to stop watching' });
  assert.equal(w.outcome.error?.code, status.CANCELLED);
});

test('stopping the server ends open watches with UNAVAILABLE', async (t) => {
  const s = await orderWithGrpc(t);
  const placed = await s.client.placeOrder(sampleOrder());
  const w = watch(s, placed.id);
  await eventually(() => w.seen.length === 1, { what: 'the current status' });
  await s.grpc.stop();
  await eventually(() => w.outcome.status, { what: 'the stream to end' });
  assert.equal(w.outcome.error?.code, status.UNAVAILABLE);
  assert.equal(s.grpc.watching(), 0);
});
