import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Cluster } from '@12street/cluster';
import { DELIVERY_STATUS, ORDER_STATUS, PAY_STATUS, PROMOTE_STATUS } from '@12street/contracts';
import { openDatabase } from '@12street/platform';
import { eventually, infraMissing, sampleOrder } from '@12street/testkit';
import { client, type Json } from '../e2e/support.ts';
import { freePort, ownBroker, startCluster } from './support.ts';

// Six OS processes on a real Kafka broker, PostgreSQL, MariaDB and Redis. The file shares one
// cluster; its own broker lets the last test stop Kafka without disturbing other test files.
const skip = await infraMissing('kafka', 'postgres', 'mysql', 'redis');

const cleanups: (() => Promise<void> | void)[] = [];
const scope = { after: (fn: () => Promise<void> | void) => void cleanups.unshift(fn) };
let cluster: Cluster;
let broker: Awaited<ReturnType<typeof ownBroker>>;
let databases: Awaited<ReturnType<typeof startCluster>>['databases'];
let api: ReturnType<typeof client>;

before(async () => {
  if (skip) return;
  broker = await ownBroker(scope);
  const started = await startCluster(scope, { brokers: broker.brokers });
  ({ cluster, databases } = started);
  // Tokens live 15 minutes: far longer than this file runs.
  api = client(cluster.url('gateway'), await started.opsToken());
});
after(async () => {
  for (const cleanup of cleanups) await cleanup();
});

const statusOf = async (orderId: number): Promise<Json | undefined> => {
  const reply = await api.get(`/orderStatus/${orderId}`);
  return reply.status === 200 ? reply.body : undefined;
};
const place = async (overrides: Record<string, unknown> = {}) => {
  const reply = await api.post('/orders', sampleOrder(overrides));
  assert.equal(reply.status, 201, JSON.stringify(reply.body));
  return reply.body.id as number;
};
/** What each consumer's Kafka client says, to explain a timeout. */
const diagnosis = async () => {
  const report: Record<string, unknown> = { view: await statusOf(0).catch(() => null) };
  for (const name of ['payment', 'delivery', 'order-status'] as const) {
    report[name] = await fetch(`${cluster.url(name)}/health/kafka`)
      .then((r) => r.json())
      .catch((e: Error) => e.message);
  }
  return JSON.stringify(report);
};
const delivered = async (id: number) => {
  try {
    await eventually(async () => (await statusOf(id))?.deliveryStatus === DELIVERY_STATUS.started, {
      what: `order ${id} delivered`,
      timeoutMs: 30_000,
    });
  } catch (error) {
    throw new Error(
      `${(error as Error).message}; view ${JSON.stringify(await statusOf(id))}; kafka ${await diagnosis()}`,
    );
  }
};

test('the full saga and the full cancellation run across seven processes (five services, identity, gateway)', {
  skip,
}, async () => {
  const ids = [await place({ userId: 'a' }), await place({ userId: 'b' })];
  for (const id of ids) await delivered(id);
  const [kept, canceled] = ids as [number, number];
  assert.equal((await api.patch(`/orders/${canceled}`, { orderStatus: ORDER_STATUS.canceled })).status, 200);
  const view = await eventually(
    async () => {
      const v = await statusOf(canceled);
      return v?.deliveryStatus === DELIVERY_STATUS.canceled && v;
    },
    { what: 'compensation finished', timeoutMs: 30_000 },
  );
  assert.equal(view.payStatus, PAY_STATUS.canceled);
  assert.equal(view.promoteStatus, PROMOTE_STATUS.canceled);
  const payments = await api.get(`/payments/search/findByOrderId?orderId=${kept}`);
  assert.equal(payments.body._embedded.payments[0].payStatus, PAY_STATUS.approved);
  const promote = await api.get(`/promotes/search/findByOrderId?orderId=${canceled}`);
  assert.equal(promote.body._embedded.promotes[0].promoteStatus, PROMOTE_STATUS.canceled);
});

test('each consumer is live, reports its lag from the broker, and the read model times the saga steps', {
  skip,
}, async () => {
  for (const name of ['payment', 'delivery', 'order-status'] as const) {
    const live = await fetch(`${cluster.url(name)}/health/live`);
    assert.equal(live.status, 200, name);
    assert.deepEqual((await live.json()).checks, { eventLoop: true, consumers: true, kafka: true }, name);
  }
  // The gauge is read from the broker's offsets every few seconds; after the saga above, nothing waits.
  const lags = await eventually(
    async () => {
      const text = await (await fetch(`${cluster.url('delivery')}/metrics`)).text();
      const samples = [...text.matchAll(/^street_consumer_lag\{([^}]*)\} (\d+)$/gm)];
      return samples.length > 0 && samples.map(([, labels, value]) => ({ labels, value: Number(value) }));
    },
    { what: "delivery's consumer lag", timeoutMs: 20_000 },
  );
  assert.ok(
    lags.some((l) => /group="delivery"/.test(l.labels ?? '') && /topic="[^"]*payment-events"/.test(l.labels ?? '')),
    JSON.stringify(lags),
  );
  await eventually(
    async () => {
      const text = await (await fetch(`${cluster.url('delivery')}/metrics`)).text();
      return [...text.matchAll(/^street_consumer_lag\{[^}]*\} (\d+)$/gm)].every(([, value]) => value === '0');
    },
    { what: 'no lag once the saga finished', timeoutMs: 20_000 },
  );
  const readModel = await (await fetch(`${cluster.url('order-status')}/metrics`)).text();
  for (const step of ['order-to-delivery', 'compensation']) {
    assert.match(
      readModel,
      new RegExp(`^street_saga_step_duration_seconds_count\\{[^}]*step="${step}"[^}]*\\} [1-9]`, 'm'),
    );
  }
});

test('a stopped consumer catches up on everything it missed when it returns', { skip }, async () => {
  assert.equal(await cluster.stop('delivery'), 0, 'delivery stops cleanly on SIGTERM');
  const ids = [await place({ userId: 'c' }), await place({ userId: 'd' }), await place({ userId: 'e' })];
  for (const id of ids) {
    await eventually(async () => (await statusOf(id))?.payStatus === PAY_STATUS.approved, {
      what: `order ${id} paid while delivery is away`,
      timeoutMs: 30_000,
    });
  }
  await cluster.start('delivery');
  for (const id of ids) await delivered(id);
});

test('two delivery replicas split the partitions and handle every event once', { skip }, async () => {
  await cluster.start('delivery', { name: 'delivery-2', port: await freePort() });
  const partitionsOf = async (url: string) => {
    const status = (await (await fetch(`${url}/health/kafka`)).json()) as Json;
    return status.groups.flatMap((g: Json) => g.assignments.flatMap((a: Json) => a.partitions)).length;
  };
  await eventually(
    async () =>
      (await partitionsOf(cluster.url('delivery'))) > 0 && (await partitionsOf(cluster.url('delivery-2'))) > 0,
    { what: 'both replicas own partitions', timeoutMs: 30_000 },
  );
  const ids: number[] = [];
  for (let i = 0; i < 12; i++) ids.push(await place({ userId: `r${i}` }));
  for (const id of ids) await delivered(id);
  const deliveries = (await api.all('/stockDeliveries', 'stockDeliveries')).filter((d) => ids.includes(d.orderId));
  assert.equal(deliveries.length, 12, 'exactly one delivery per order');
  const promotes = (await api.all('/promotes', 'promotes')).filter((p) => ids.includes(p.orderId));
  assert.equal(promotes.length, 12, 'exactly one coupon per order');
  assert.equal(await cluster.stop('delivery-2'), 0);
  await eventually(async () => (await partitionsOf(cluster.url('delivery'))) === 6, {
    what: 'the remaining replica to take over every partition',
    timeoutMs: 30_000,
  });
});

test('an order committed but not relayed when its process is killed is published after restart', { skip }, async () => {
  await cluster.stop('order');
  await cluster.start('order', { env: { RELAY_WAKE_ON_COMMIT: 'false', RELAY_POLL_MS: '600000' } });
  const id = await place({ userId: 'crash' });
  const { db } = openDatabase<Json>(databases.order, 1);
  try {
    const unsent = await db
      .selectFrom('outbox')
      .select('event_type')
      .where('order_id', '=', id)
      .where('sent_at', 'is', null)
      .execute();
    assert.deepEqual(
      unsent.map((r: Json) => r.event_type),
      ['OrderPlaced'],
    );
    await cluster.kill('order');
    assert.equal(await statusOf(id).then((v) => v?.orderStatus ?? null), null, 'OrderPlaced has not left yet');
    await cluster.start('order');
    await eventually(async () => (await statusOf(id))?.orderStatus === ORDER_STATUS.placed, {
      what: 'OrderPlaced published after the restart',
      timeoutMs: 30_000,
    });
    const left = await db.selectFrom('outbox').select('id').where('sent_at', 'is', null).execute();
    assert.equal(left.length, 0, 'the outbox drained');
  } finally {
    await db.destroy();
  }
});

test('with the broker down orders are still taken, and the outboxes drain when it returns', { skip }, async () => {
  await broker.stop();
  const ids = [await place({ userId: 'x' }), await place({ userId: 'y' })];
  const { db } = openDatabase<Json>(databases.order, 1);
  try {
    const unsent = await db.selectFrom('outbox').select('order_id').where('sent_at', 'is', null).execute();
    assert.ok(
      ids.every((id) => unsent.some((r: Json) => Number(r.order_id) === id)),
      'OrderPlaced waits in the outbox',
    );
  } finally {
    await db.destroy();
  }
  await broker.start();
  for (const id of ids) await delivered(id);
});
