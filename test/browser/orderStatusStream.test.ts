import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createOrderStatusService } from '@12street/order-status';
import { createHttpApp, inProcessTransport, openSqlite } from '@12street/platform';
import { eventually, sampleOrder, tempDir, testLogger } from '@12street/testkit';
import { sseParser } from '../../apps/web/src/api/sseParser.ts';
import { orderStatusStream } from '../../services/order-status/src/adapters/http/orderStatusStream.ts';
import {
  type OrderStatusDatabase,
  orderStatusQueries,
} from '../../services/order-status/src/adapters/persistence/orderStatusStore.ts';
import { client, signIn, startSystem } from '../e2e/support.ts';
import { readEvents } from './streamSupport.ts';

// GET /orderStatus/stream: the order-status view as server-sent events, through the gateway.

test("a customer's stream sends their orders at once, then each change, and never another customer's", async (t) => {
  const system = await startSystem(t);
  const base = system.urls.gateway;
  const kimToken = await signIn(base, 'kim');
  const kim = client(base, kimToken);
  const lee = client(base, await signIn(base, 'lee'));
  const first = await kim.post('/orders', sampleOrder({ userId: 'u1', username: 'kim' }));
  await eventually(async () => (await kim.get(`/orderStatus/${first.body.id}`)).body?.status === 'Delivery Started');

  const stream = await readEvents(t, `${base}/orderStatus/stream`, kimToken);
  assert.equal(stream.response.status, 200);
  assert.match(stream.response.headers.get('content-type') ?? '', /^text\/event-stream/);
  assert.equal(stream.response.headers.get('cache-control'), 'no-store');
  const snapshot = await stream.next('orderStatus');
  assert.equal(snapshot.orderId, first.body.id, 'what there is, at once');
  assert.equal(snapshot.status, 'Delivery Started');

  const leesOrder = await lee.post('/orders', sampleOrder({ userId: 'u2', username: 'lee' }));
  const second = await kim.post('/orders', sampleOrder({ userId: 'u1', username: 'kim' }));
  await stream.next('orderStatus', (v) => v.orderId === second.body.id && v.status === 'Delivery Started');
  await kim.post(`/orders/${first.body.id}/cancel`, {});
  await stream.next('orderStatus', (v) => v.orderId === first.body.id && v.status === 'Order Canceled');
  const seen = stream.messages.map((m) => JSON.parse(m.data));
  assert.ok(
    seen.every((v) => v.userId === 'u1'),
    'only her own orders',
  );
  assert.ok(!seen.some((v) => v.orderId === leesOrder.body.id));
});

test('a stream of one order: someone else’s is 404, one not projected yet is waited for, ops see any', async (t) => {
  const system = await startSystem(t);
  const base = system.urls.gateway;
  const kim = client(base, await signIn(base, 'kim'));
  const leeToken = await signIn(base, 'lee');
  const opsToken = await signIn(base, 'ops');
  const order = await kim.post('/orders', sampleOrder({ userId: 'u1', username: 'kim' }));
  await eventually(async () => (await kim.get(`/orderStatus/${order.body.id}`)).status === 200);

  const refused = await fetch(`${base}/orderStatus/stream?orderId=${order.body.id}`, {
    headers: { authorization: `Bearer ${leeToken}` },
  });
  assert.equal(refused.status, 404);
  assert.equal((await fetch(`${base}/orderStatus/stream`)).status, 401, 'a token is needed, in the header');
  assert.equal(
    (await fetch(`${base}/orderStatus/stream?orderId=x`, { headers: { authorization: `Bearer ${opsToken}` } })).status,
    400,
  );

  const asOps = await readEvents(t, `${base}/orderStatus/stream?orderId=${order.body.id}`, opsToken);
  assert.equal((await asOps.next('orderStatus')).orderId, order.body.id);

  const next = order.body.id + 1;
  const waiting = await readEvents(t, `${base}/orderStatus/stream?orderId=${next}`, opsToken);
  await kim.post('/orders', sampleOrder({ userId: 'u1', username: 'kim' }));
  assert.equal((await waiting.next('orderStatus')).orderId, next);
  assert.ok(
    waiting.messages.every((m) => JSON.parse(m.data).orderId === next),
    'that order only',
  );
});

test('ops without an orderId follow the orders as they change', async (t) => {
  const system = await startSystem(t);
  const base = system.urls.gateway;
  const ops = client(base, await signIn(base, 'ops'));
  const stream = await readEvents(t, `${base}/orderStatus/stream`, await signIn(base, 'ops'));
  const a = await ops.post('/orders', sampleOrder({ userId: 'u1' }));
  const b = await ops.post('/orders', sampleOrder({ userId: 'u2' }));
  await stream.some('orderStatus', (v) => v.orderId === a.body.id);
  await stream.some('orderStatus', (v) => v.orderId === b.body.id);
});

test('stopping the system ends the open streams instead of waiting for them', async (t) => {
  // Stopped by the test itself, to time it; its data directory goes with the test.
  const system = await startSystem({ after: () => {} }, { dataDir: tempDir(t) });
  const base = system.urls.gateway;
  const token = await signIn(base, 'kim');
  const streams = [
    await readEvents(t, `${base}/orderStatus/stream`, token),
    await readEvents(t, `${base}/ops/overview/stream`, await signIn(base, 'ops')),
  ];
  await eventually(() => streams.every((s) => s.raw.includes('retry:')));
  const started = performance.now();
  await system.stop();
  assert.ok(performance.now() - started < 3000, 'stopped promptly');
  await Promise.all(streams.map((s) => s.done));
  assert.ok(streams.every((s) => s.ended));
});

test('a quiet stream sends a heartbeat, and ends after its longest time so the client shows its token again', async (t) => {
  const db = openSqlite<OrderStatusDatabase>(`${tempDir(t)}/order-status.db`);
  t.after(() => db.destroy());
  const service = createOrderStatusService({
    db,
    dialect: 'sqlite',
    transport: inProcessTransport(),
    logger: testLogger(),
  });
  await service.start();
  t.after(() => service.stop());
  const app = createHttpApp({ logger: testLogger() });
  orderStatusStream(app, { queries: orderStatusQueries(db), heartbeatMs: 50, maxStreamMs: 400, checkEveryMs: 20 });
  const url = await app.listen({ port: 0, host: '127.0.0.1' });
  t.after(() => app.close());

  const stream = await readEvents(t, `${url}/orderStatus/stream`);
  await stream.done;
  assert.ok(stream.ended, 'the server ended it');
  assert.match(stream.raw, /^retry: \d+\n\n/);
  assert.ok((stream.raw.match(/: keep-alive\n\n/g) ?? []).length >= 2);
});

test("the web app's event-stream parser follows the standard: CRLF split over chunks, multi-line data, comments", () => {
  const got: { event: string; data: string; id: string | undefined }[] = [];
  const retries: number[] = [];
  const push = sseParser(
    (m) => got.push(m),
    (ms) => retries.push(ms),
  );
  for (const chunk of ['retry: 1500\r', '\n\r\n: a comment\n', 'event: order', 'Status\nid: 7:4\nda', 'ta: {"a":\n'])
    push(chunk);
  push('data: 1}\r\n\r');
  push('\ndata:plain\n\n');
  assert.deepEqual(retries, [1500]);
  assert.deepEqual(got, [
    { event: 'orderStatus', data: '{"a":\n1}', id: '7:4' },
    { event: 'message', data: 'plain', id: '7:4' },
  ]);
});
