import assert from 'node:assert/strict';
import { createServer, type Socket } from 'node:net';
import { Readable } from 'node:stream';
import { test } from 'node:test';
import { createHttpApp } from '@12street/platform';
import { eventually, testLogger } from '@12street/testkit';
import { instancePool } from '../src/adapters/http/instancePool.ts';
import { reroutingDispatcher } from '../src/adapters/http/reroutingDispatcher.ts';
import { deadUrl, echoService, gatewayOver } from './support.ts';

type Cleanup = { after(fn: () => unknown): void };
// biome-ignore lint/suspicious/noExplicitAny: tests read JSON documents field by field.
type Json = any;

/** One instance of a service: says whether it is ready as told, and counts what reached it. */
async function instance(t: Cleanup, name: string) {
  let ready = true;
  const app = createHttpApp({ logger: testLogger(name), readiness: async () => ({ told: ready }) });
  const received: string[] = [];
  app.post('/orders', async (request, reply) => {
    received.push(`POST ${JSON.stringify(request.body)}`);
    return reply.status(201).send({ servedBy: name });
  });
  app.get('/orders/:id', async (request) => {
    received.push(`GET ${request.url}`);
    return { servedBy: name };
  });
  const url = await app.listen({ port: 0, host: '127.0.0.1' });
  t.after(() => app.close());
  return {
    url,
    received,
    setReady: (value: boolean) => {
      ready = value;
    },
  };
}

/**
 * An instance that is ready, takes a request in, then drops the connection without answering:
 * a process that died with the request in its hands.
 */
async function dropsRequests(t: Cleanup) {
  const received: string[] = [];
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('data', (chunk) => {
      const head = chunk.toString('latin1');
      if (head.startsWith('GET /health/ready')) {
        socket.end(
          'HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 2\r\nconnection: close\r\n\r\n{}',
        );
        return;
      }
      received.push(head.split('\r\n')[0] ?? '');
      socket.destroy();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  t.after(
    () =>
      new Promise((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(resolve);
      }),
  );
  return { url: `http://127.0.0.1:${port}`, received };
}

const upstreamsOf = (order: string | string[], other: string) => ({
  order,
  payment: other,
  delivery: other,
  marketing: other,
  orderStatus: other,
  identity: other,
});

const post = (url: string, body: object) =>
  fetch(`${url}/orders`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });

test('requests are spread round robin over the instances of a service', async (t) => {
  const [a, b] = [await instance(t, 'a'), await instance(t, 'b')];
  const echo = await echoService(t);
  const { url } = await gatewayOver(t, upstreamsOf([a.url, b.url], echo.url));
  const servedBy: string[] = [];
  for (let i = 0; i < 6; i++) {
    const response = await fetch(`${url}/orders/${i}`);
    assert.equal(response.status, 200);
    servedBy.push(((await response.json()) as Json).servedBy);
  }
  assert.deepEqual(servedBy.filter((n) => n === 'a').length, 3, servedBy.join());
  assert.deepEqual(servedBy.filter((n) => n === 'b').length, 3, servedBy.join());
});

test('an instance that says it is not ready gets no requests until it is ready again', async (t) => {
  const [a, b] = [await instance(t, 'a'), await instance(t, 'b')];
  const echo = await echoService(t);
  const { url } = await gatewayOver(t, upstreamsOf([a.url, b.url], echo.url));
  b.setReady(false);
  // The gateway learns it from its next poll of /health/ready.
  await eventually(
    async () => {
      const before = b.received.length;
      for (let i = 0; i < 4; i++) assert.equal((await fetch(`${url}/orders/${i}`)).status, 200);
      return b.received.length === before;
    },
    { what: 'b left out', timeoutMs: 5000 },
  );
  const before = b.received.length;
  for (let i = 0; i < 6; i++) assert.equal((await post(url, { n: i })).status, 201);
  assert.equal(b.received.length, before, 'nothing reached the instance that is not ready');

  const ready = await (await fetch(`${url}/health/ready`)).json();
  assert.equal((ready as Json).checks.order, true, 'one ready instance makes the service ready');

  b.setReady(true);
  await eventually(
    async () => {
      const seen = b.received.length;
      for (let i = 0; i < 4; i++) assert.equal((await fetch(`${url}/orders/${i}`)).status, 200);
      return b.received.length > seen;
    },
    { what: 'b back in turn', timeoutMs: 5000 },
  );
});

test('the gateway is not ready while no instance of a service is', async (t) => {
  const a = await instance(t, 'a');
  const echo = await echoService(t);
  const { url } = await gatewayOver(t, upstreamsOf([a.url, await deadUrl()], echo.url));
  const readiness = async () => {
    const response = await fetch(`${url}/health/ready`);
    return { status: response.status, order: ((await response.json()) as Json).checks.order };
  };
  assert.deepEqual(await readiness(), { status: 200, order: true });
  a.setReady(false);
  assert.deepEqual(await readiness(), { status: 503, order: false });
});

test('a request whose instance refuses the connection is sent to another instance, body and all', async (t) => {
  const live = await instance(t, 'live');
  const down = await deadUrl();
  // Not polling: the pool believes both are ready, so every other request meets the closed port.
  const pool = instancePool({
    service: 'order',
    urls: [down, live.url],
    pollMs: 60_000,
    probeTimeoutMs: 500,
    log: testLogger(),
  });
  const dispatcher = reroutingDispatcher(pool, 1000, testLogger());
  t.after(() => dispatcher.destroy());
  for (let i = 0; i < 4; i++) {
    const origin = pool.next();
    const { statusCode, body } = await dispatcher.request({
      origin,
      path: '/orders',
      method: 'POST',
      headers: { 'content-type': 'application/json', host: new URL(origin).host },
      // A stream, as the proxy passes the client's body on.
      body: Readable.from([Buffer.from(JSON.stringify({ n: i }))]),
    });
    assert.equal(statusCode, 201);
    assert.deepEqual(await body.json(), { servedBy: 'live' });
  }
  assert.deepEqual(
    live.received,
    [0, 1, 2, 3].map((n) => `POST {"n":${n}}`),
    'each request once, with its body',
  );
  assert.equal(pool.isReady(new URL(down).origin), false, 'the refusing instance is left out from then on');
});

test('a request an instance took in and then dropped is never sent to another instance', async (t) => {
  const dropping = await dropsRequests(t);
  const other = await instance(t, 'other');
  const echo = await echoService(t);
  const { url } = await gatewayOver(t, upstreamsOf([dropping.url, other.url], echo.url));
  const statuses: number[] = [];
  for (let i = 0; i < 4; i++) statuses.push((await post(url, { n: i })).status);
  assert.equal(dropping.received.length, 2, 'round robin sent two requests to the dropping instance');
  assert.equal(other.received.length, 2, 'the other instance got only its own two: nothing was sent twice');
  assert.deepEqual(
    statuses.filter((s) => s !== 201),
    [503, 503],
    'the client is told the service failed, not that its order was taken',
  );
});
