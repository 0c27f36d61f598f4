import assert from 'node:assert/strict';
import { test } from 'node:test';
import { eventually, sampleOrder } from '@12street/testkit';
import { client, signIn, startSystem } from '../e2e/support.ts';
import { readEvents } from './streamSupport.ts';
import { gatewayWithoutServices } from './support.ts';

// The saga console's ops API in embedded mode: the overview of the running system and the fault switches.

test('the overview shows each service’s readiness, outbox backlog and fault, both breakers, and no consumer lag', async (t) => {
  const system = await startSystem(t);
  const ops = client(system.urls.gateway, await signIn(system.urls.gateway, 'ops'));
  const reply = await ops.get('/ops/overview');
  assert.equal(reply.status, 200);
  const { services, breakers, consumerLag, mode } = reply.body;
  assert.equal(mode, 'embedded');
  assert.deepEqual(services.map((s: { name: string }) => s.name).sort(), [
    'delivery',
    'identity',
    'marketing',
    'order',
    'orderStatus',
    'payment',
  ]);
  for (const s of services) {
    assert.equal(s.ready, true, s.name);
    assert.deepEqual(s.fault, { kind: 'none' }, s.name);
    if (s.name === 'identity') assert.equal(s.outbox, null, 'identity has no outbox');
    else assert.deepEqual(s.outbox, { unsent: 0, oldestAt: null }, s.name);
  }
  assert.deepEqual(
    breakers.map((b: { dependency: string; caller: string; state: string }) => [b.caller, b.dependency, b.state]),
    [
      ['order', 'payment', 'closed'],
      ['delivery', 'marketing', 'closed'],
    ],
  );
  assert.equal(consumerLag.available, false);
  assert.match(consumerLag.note, /no broker/);
});

test('only ops may read the overview or flip a switch: 401 without a token, 403 for a customer', async (t) => {
  const system = await startSystem(t);
  const base = system.urls.gateway;
  const kim = client(base, await signIn(base, 'kim'));
  const anonymous = client(base);
  assert.equal((await anonymous.get('/ops/overview')).status, 401);
  assert.equal((await kim.get('/ops/overview')).status, 403);
  assert.equal((await kim.get('/ops/overview/stream')).status, 403);
  const put = await fetch(`${base}/ops/faults/payment`, {
    method: 'PUT',
    headers: { authorization: `Bearer ${await signIn(base, 'kim')}`, 'content-type': 'application/json' },
    body: JSON.stringify({ kind: 'down' }),
  });
  assert.equal(put.status, 403);
  assert.deepEqual(system.faults.payment.mode, { kind: 'none' }, 'nothing was switched');
});

test('PUT /ops/faults/payment takes payment down: orders are refused with 503 until it is switched back', async (t) => {
  const system = await startSystem(t);
  const base = system.urls.gateway;
  const token = await signIn(base, 'ops');
  const ops = client(base, token);
  const setFault = (service: string, body: unknown) =>
    fetch(`${base}/ops/faults/${service}`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });

  const down = await setFault('payment', { kind: 'down' });
  assert.equal(down.status, 200);
  assert.deepEqual(await down.json(), { service: 'payment', fault: { kind: 'down' } });
  assert.equal((await ops.post('/orders', sampleOrder())).status, 503);
  assert.equal(
    (await ops.get('/ops/overview')).body.services.find((s: { name: string }) => s.name === 'payment').fault.kind,
    'down',
  );

  assert.equal((await setFault('payment', { kind: 'slow', delayMs: 50 })).status, 200);
  assert.deepEqual(system.faults.payment.mode, { kind: 'slow', delayMs: 50 });
  assert.equal((await setFault('payment', { kind: 'none' })).status, 200);
  await eventually(async () => (await ops.post('/orders', sampleOrder())).status === 201, {
    what: 'orders accepted again',
  });
});

test('an unknown service is 404 and an unknown fault 400', async (t) => {
  const system = await startSystem(t);
  const base = system.urls.gateway;
  const token = await signIn(base, 'ops');
  const put = (path: string, body: unknown) =>
    fetch(`${base}${path}`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
  const unknown = await put('/ops/faults/warehouse', { kind: 'down' });
  assert.equal(unknown.status, 404);
  assert.match((await unknown.json()).detail, /no fault switch for "warehouse"/);
  assert.equal((await put('/ops/faults/payment', { kind: 'exploding' })).status, 400);
  assert.equal((await put('/ops/faults/payment', { kind: 'slow', delayMs: -1 })).status, 400);
  assert.deepEqual(system.faults.payment.mode, { kind: 'none' });
});

test('the overview stream pushes the change when a fault is switched and when a breaker opens', async (t) => {
  const system = await startSystem(t);
  const base = system.urls.gateway;
  const token = await signIn(base, 'ops');
  const stream = await readEvents(t, `${base}/ops/overview/stream`, token);
  const payment = (o: { services: { name: string; fault: { kind: string } }[] }) =>
    o.services.find((s) => s.name === 'payment');
  const breaker = (o: { breakers: { dependency: string; state: string }[] }) =>
    o.breakers.find((b) => b.dependency === 'payment')?.state;
  await stream.next('overview', (o) => payment(o)?.fault.kind === 'none');

  await fetch(`${base}/ops/faults/payment`, {
    method: 'PUT',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ kind: 'down' }),
  });
  await stream.next('overview', (o) => payment(o)?.fault.kind === 'down');
  const ops = client(base, token);
  for (let i = 0; i < 6; i++) await ops.post('/orders', sampleOrder());
  const opened = await stream.next('overview', (o) => breaker(o) === 'open');
  assert.ok(opened.breakers[0].since, 'says since when');
});

test('a gateway without the ops API (distributed mode) answers 404 under /ops', async (t) => {
  const gateway = await gatewayWithoutServices(t, false);
  assert.equal((await gateway.app.inject({ url: '/ops/overview' })).statusCode, 404);
  const put = await gateway.app.inject({ method: 'PUT', url: '/ops/faults/payment', payload: { kind: 'down' } });
  assert.equal(put.statusCode, 404);
});
