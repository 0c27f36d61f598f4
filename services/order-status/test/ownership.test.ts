import assert from 'node:assert/strict';
import { join } from 'node:path';
import { type TestContext, test } from 'node:test';
import { IDENTITY_HEADERS, inProcessTransport, openSqlite } from '@12street/platform';
import { tempDir, testLogger } from '@12street/testkit';
import { createOrderStatusService } from '../src/compose.ts';
import { sagaOf } from './events.ts';

const as = (userId: string, roles: string) => ({ [IDENTITY_HEADERS.userId]: userId, [IDENTITY_HEADERS.roles]: roles });

async function statusesOfKimAndLee(t: TestContext) {
  const transport = inProcessTransport();
  const db = openSqlite(join(tempDir(t), 'order-status.db'));
  const service = createOrderStatusService({ db: db as never, dialect: 'sqlite', transport, logger: testLogger() });
  await service.start();
  t.after(async () => {
    await service.stop();
    await db.destroy();
  });
  for (const [orderId, userId] of [
    [1, 'u1'],
    [2, 'u2'],
    [3, 'u1'],
  ] as const) {
    for (const event of sagaOf(orderId, { userId }).happy) await transport.publish([event]);
  }
  const get = (url: string, headers: Record<string, string> = {}) => service.app.inject({ url, headers });
  return { get };
}

const ids = (page: { _embedded: { orderStatuses: { orderId: number }[] } }) =>
  page._embedded.orderStatuses.map((v) => v.orderId);

test("a customer sees the status of their own orders only; another's is not found", async (t) => {
  const { get } = await statusesOfKimAndLee(t);
  const kim = as('u1', 'customer');
  const list = (await get('/orderStatus?sort=orderId,desc', kim)).json();
  assert.deepEqual(ids(list), [3, 1]);
  assert.equal(list.page.totalElements, 2);
  assert.equal((await get('/orderStatus/1', kim)).statusCode, 200);
  const leesStatus = await get('/orderStatus/2', kim);
  assert.equal(leesStatus.statusCode, 404);
  assert.equal(leesStatus.headers['content-type'], 'application/problem+json; charset=utf-8');
  assert.deepEqual(ids((await get('/orderStatus/search/findByUserId?userId=u2', kim)).json()), []);
  assert.deepEqual(ids((await get('/orderStatus/search/findByUserId?userId=u1', kim)).json()), [1, 3]);
});

test('ops and callers inside the system see every status', async (t) => {
  const { get } = await statusesOfKimAndLee(t);
  for (const headers of [as('ops1', 'ops'), {}]) {
    assert.deepEqual(ids((await get('/orderStatus', headers)).json()), [1, 2, 3]);
    assert.equal((await get('/orderStatus/2', headers)).statusCode, 200);
  }
});
