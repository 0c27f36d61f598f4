import assert from 'node:assert/strict';
import { test } from 'node:test';
import { testLogger } from '@12street/testkit';
import { createHttpApp, drainer } from '../src/index.ts';

test('a draining server says it is not ready, still serves, and closes each connection after its answer', async (t) => {
  let draining: ReturnType<typeof drainer> | undefined;
  const app = createHttpApp({
    logger: testLogger(),
    readiness: async () => ({ notDraining: draining?.notDraining() ?? false }),
  });
  app.get('/orders/1', async () => ({ id: 1 }));
  draining = drainer(app.server);
  const url = await app.listen({ port: 0, host: '127.0.0.1' });
  t.after(() => app.close());

  const before = await fetch(`${url}/orders/1`);
  assert.equal(before.headers.get('connection'), 'keep-alive');
  assert.equal((await fetch(`${url}/health/ready`)).status, 200);

  const drained = draining.drain(200);
  const ready = await fetch(`${url}/health/ready`);
  assert.equal(ready.status, 503);
  assert.deepEqual(((await ready.json()) as { checks: object }).checks, { notDraining: false });
  const during = await fetch(`${url}/orders/1`);
  assert.equal(during.status, 200, 'still serving');
  assert.deepEqual(await during.json(), { id: 1 });
  assert.equal(during.headers.get('connection'), 'close', 'no idle keep-alive connection is left');
  await drained;
});
