import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { DELIVERY_STATUS, ORDER_STATUS, type StreetEvent } from '@12street/contracts';
import { createOrderStatusService } from '@12street/order-status';
import { inProcessTransport, openSqlite } from '@12street/platform';
import { eventually, sampleOrder, tempDir, testLogger } from '@12street/testkit';
import { type Json, opsClient, startSystem } from './support.ts';

const COLLECTIONS = [
  ['/orders', 'orders'],
  ['/payments', 'payments'],
  ['/stockDeliveries', 'stockDeliveries'],
  ['/promotes', 'promotes'],
  ['/orderStatus', 'orderStatuses'],
] as const;

function shuffled<T>(items: T[], seed: number): T[] {
  const out = [...items];
  let s = seed;
  for (let i = out.length - 1; i > 0; i--) {
    s = (s * 1103515245 + 12345) % 2 ** 31;
    const j = s % (i + 1);
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}

async function settledSystem(t: { after(fn: () => Promise<void> | void): void }) {
  const system = await startSystem(t);
  const seen: StreetEvent[] = [];
  system.transport.subscribe({
    consumer: 'recorder',
    eventTypes: [
      'OrderPlaced',
      'OrderCanceled',
      'PaymentApproved',
      'PaymentCanceled',
      'CouponPublished',
      'CouponCanceled',
      'DeliveryStarted',
      'DeliveryCanceled',
    ],
    handle: async (e) => void seen.push(e),
  });
  const api = await opsClient(system);
  const ids: number[] = [];
  for (let i = 0; i < 4; i++) ids.push((await api.post('/orders', sampleOrder({ userId: `u${i}` }))).body.id);
  for (const id of ids.slice(0, 2)) await api.patch(`/orders/${id}`, { orderStatus: ORDER_STATUS.canceled });
  await eventually(
    async () => {
      const views = await api.all('/orderStatus', 'orderStatuses');
      return (
        views.length === 4 &&
        views.filter((v) => v.deliveryStatus === DELIVERY_STATUS.canceled).length === 2 &&
        views.filter((v) => v.deliveryStatus === DELIVERY_STATUS.started).length === 2
      );
    },
    { what: 'saga settled' },
  );
  await eventually(() => seen.length === 4 * 4 + 2 * 4, { what: 'all 24 events recorded' });
  return { system, api, seen };
}

const snapshot = async (api: Awaited<ReturnType<typeof opsClient>>) => {
  const state: Record<string, Json[]> = {};
  for (const [path, rel] of COLLECTIONS) state[path] = await api.all(path, rel);
  return state;
};

test('every event delivered again, twice and shuffled, changes nothing anywhere', async (t) => {
  const { system, api, seen } = await settledSystem(t);
  const before = await snapshot(api);
  const again = shuffled([...seen, ...seen], 42);
  for (const event of again) await system.transport.publish([event]);
  await eventually(
    async () => {
      for (const service of Object.values(system.services)) {
        if ((await service.kernel.outboxBacklog()).unsent > 0) return false;
      }
      return true;
    },
    { what: 'every outbox drained' },
  );
  assert.equal(new Set(seen.map((e) => e.eventId)).size, 24, 'no service published anything new');
  assert.deepEqual(await snapshot(api), before);
});

test('the order-status view converges to the same state whatever order the events arrive in', async (t) => {
  const { api, seen } = await settledSystem(t);
  const expected = (await api.all('/orderStatus', 'orderStatuses')).map(comparable);
  for (const seed of [1, 2, 3]) {
    const transport = inProcessTransport();
    const db = openSqlite(join(tempDir(t), `view-${seed}.db`));
    const view = createOrderStatusService({ db: db as never, dialect: 'sqlite', transport, logger: testLogger() });
    await view.start();
    for (const event of shuffled([...seen, ...seen.slice(0, 5)], seed)) await transport.publish([event]);
    const reply = await view.app.inject({ method: 'GET', url: '/orderStatus?size=100' });
    assert.deepEqual(reply.json()._embedded.orderStatuses.map(comparable), expected, `seed ${seed}`);
    await view.stop();
    await db.destroy();
  }
});

/** The view minus what legitimately differs between two stores: links and write times. */
function comparable(view: Json) {
  const { _links, updatedAt, ...rest } = view;
  return rest;
}
