import { createServer } from 'node:net';
import { join } from 'node:path';
import { createOrderStatusService } from '@12street/order-status';
import {
  createHttpApp,
  type FaultSwitch,
  halItem,
  inProcessTransport,
  installFaultSwitch,
  openSqlite,
  publicBaseUrl,
} from '@12street/platform';
import { tempDir, testLogger } from '@12street/testkit';
import { createGateway, type GatewayOptions, type Upstreams } from '../src/compose.ts';

type Cleanup = { after(fn: () => void): void };

/** A port nothing listens on: the address of a service that is down. */
export async function deadUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return `http://127.0.0.1:${port}`;
}

/** A tiny real service that tells what reached it. */
export async function echoService(t: Cleanup) {
  const app = createHttpApp({ logger: testLogger('echo') });
  const faults: FaultSwitch = installFaultSwitch(app);
  const seen: { method: string; url: string; headers: Record<string, unknown>; body: unknown }[] = [];
  const record = (request: { method: string; url: string; headers: Record<string, unknown>; body: unknown }) =>
    seen.push({ method: request.method, url: request.url, headers: request.headers, body: request.body });
  app.get('/orders', async (request) => {
    record(request);
    return { servedBy: 'echo', url: request.url };
  });
  app.get('/orders/:id', async (request) => {
    record(request);
    return halItem(publicBaseUrl(request), '/orders', 'order', Number((request.params as { id: string }).id), {});
  });
  app.post('/orders', async (request, reply) => {
    record(request);
    const body = halItem(publicBaseUrl(request), '/orders', 'order', 1, request.body as object);
    return reply.status(201).header('location', body._links.self?.href).send(body);
  });
  // Answers only when the test lets it: a service that hangs.
  let release: () => void = () => {};
  const released = new Promise<void>((resolve) => {
    release = resolve;
  });
  app.get('/orders/hanging', async () => {
    await released;
    return { late: true };
  });
  // Any other path a test sends through the gateway is answered and recorded.
  app.route({
    method: ['GET', 'POST', 'PATCH'],
    url: '/*',
    handler: async (request) => {
      record(request);
      return { servedBy: 'echo', url: request.url };
    },
  });
  app.get('/promotes', async (request, reply) => {
    record(request);
    return reply
      .status(503)
      .type('application/problem+json')
      .send({ status: 503, title: 'Service Unavailable', detail: 'my own dependency is down' });
  });
  const url = await app.listen({ port: 0, host: '127.0.0.1' });
  t.after(() => {
    release();
    return app.close();
  });
  return { url, seen, faults, release };
}

/** The real order-status read model on its own SQLite file. */
export async function orderStatusService(t: Cleanup) {
  const transport = inProcessTransport();
  const db = openSqlite(join(tempDir(t), 'order-status.db'));
  const service = createOrderStatusService({ db: db as never, dialect: 'sqlite', transport, logger: testLogger() });
  await service.start();
  const url = await service.app.listen({ port: 0, host: '127.0.0.1' });
  t.after(async () => {
    await service.stop();
    await db.destroy();
  });
  return { url, transport };
}

/** A gateway in front of the given services; routing tests leave token checks out unless they ask. */
export async function gatewayOver(t: Cleanup, upstreams: Upstreams, settings: Partial<GatewayOptions> = {}) {
  const gateway = createGateway({
    logger: testLogger('gateway'),
    upstreams,
    readinessTimeoutMs: 500,
    auth: 'disabled',
    ...settings,
  });
  await gateway.start();
  const url = await gateway.app.listen({ port: 0, host: '127.0.0.1' });
  t.after(() => gateway.stop());
  return { gateway, url };
}
