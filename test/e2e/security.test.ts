import assert from 'node:assert/strict';
import { test } from 'node:test';
import { startEmbeddedSystem } from '@12street/embedded';
import { InsecureConfiguration } from '@12street/gateway';
import { eventually, sampleOrder, tempDir, testLogger } from '@12street/testkit';
import { client, opsClient, signIn, startSystem } from './support.ts';

const PROBLEM = 'application/problem+json; charset=utf-8';

test("customers reach only their own orders and statuses through the system; another's is 404, payments 403", async (t) => {
  const system = await startSystem(t);
  const base = system.urls.gateway;
  const kim = client(base, await signIn(base, 'kim'));
  const lee = client(base, await signIn(base, 'lee'));
  const ops = await opsClient(system);

  const kims = (await kim.post('/orders', sampleOrder({ userId: 'u1', username: 'kim' }))).body.id as number;
  const lees = (await lee.post('/orders', sampleOrder({ userId: 'u2', username: 'lee' }))).body.id as number;
  await eventually(async () => (await ops.get(`/orderStatus/${lees}`)).status === 200, { what: "lee's order status" });

  const order = await kim.get(`/orders/${lees}`);
  assert.equal(order.status, 404);
  assert.equal(order.headers.get('content-type'), PROBLEM);
  assert.equal((await kim.get(`/orderStatus/${lees}`)).status, 404);
  assert.equal((await kim.post(`/orders/${lees}/cancel`, { reason: 'not mine' })).status, 404);
  assert.equal((await kim.patch(`/orders/${lees}`, { orderStatus: 'Order Canceled' })).status, 404);
  assert.equal((await ops.get(`/orders/${lees}`)).body.orderStatus, 'Ordered', "lee's order was not touched");

  assert.deepEqual(
    (await kim.all('/orders', 'orders')).map((o) => o.id),
    [kims],
  );
  assert.deepEqual(
    (await kim.all('/orderStatus', 'orderStatuses')).map((v) => v.orderId),
    [kims],
  );
  assert.equal((await kim.get('/orders/search/findByUserId?userId=u2')).body._embedded.orders.length, 0);

  const forged = await kim.post('/orders', sampleOrder({ userId: 'u2' }));
  assert.equal(forged.status, 403, 'no ordering in another name');
  for (const path of ['/payments', `/payments/search/findByOrderId?orderId=${kims}`, '/stockDeliveries', '/promotes']) {
    const reply = await kim.get(path);
    assert.equal(reply.status, 403, path);
    assert.equal(reply.headers.get('content-type'), PROBLEM);
  }
  assert.equal((await ops.all('/orders', 'orders')).length, 2, 'ops sees every order');
  assert.equal((await ops.get('/payments')).status, 200);

  const anonymous = await client(base).get('/orders');
  assert.equal(anonymous.status, 401);
  assert.equal(anonymous.headers.get('www-authenticate'), 'Bearer realm="12street"');
});

test('in production there are no demo accounts, and auth cannot be switched off', async (t) => {
  const system = await startSystem(t, { security: { production: true } });
  const reply = await fetch(`${system.urls.gateway}/oauth/token`, {
    method: 'POST',
    body: new URLSearchParams({ grant_type: 'password', username: 'kim', password: 'kim-demo-password' }),
  });
  assert.equal(reply.status, 400);
  assert.equal(((await reply.json()) as { error: string }).error, 'invalid_grant');

  await assert.rejects(
    startEmbeddedSystem({
      dataDir: tempDir(t),
      logger: testLogger('e2e'),
      ports: { gateway: 0, order: 0, payment: 0, delivery: 0, marketing: 0, orderStatus: 0, identity: 0 },
      orderGrpcPort: 0,
      security: { production: true, authDisabled: true },
    }),
    InsecureConfiguration,
  );
});

test('only the gateway listens where it is told; the services behind it on the loopback interface alone', async (t) => {
  const system = await startSystem(t, { host: '0.0.0.0' });
  for (const [name, service] of Object.entries({ ...system.services, identity: system.identity })) {
    const { address } = service.app.server.address() as { address: string };
    assert.equal(address, '127.0.0.1', name);
  }
  assert.equal((system.gateway.app.server.address() as { address: string }).address, '0.0.0.0');
});

test("ops reach every service's dead letters through the gateway; customers do not", async (t) => {
  const system = await startSystem(t);
  const ops = client(system.urls.gateway, await signIn(system.urls.gateway, 'ops'));
  const kim = client(system.urls.gateway, await signIn(system.urls.gateway, 'kim'));
  for (const service of ['order', 'payment', 'delivery', 'marketing', 'order-status']) {
    const listed = await ops.get(`/ops/${service}/dead-letters`);
    assert.equal(listed.status, 200, service);
    assert.equal(listed.body.page.totalElements, 0, service);
    assert.equal((await kim.get(`/ops/${service}/dead-letters`)).status, 403, service);
  }
  assert.equal((await ops.post('/ops/payment/dead-letters/999/redrive')).status, 404);
});
