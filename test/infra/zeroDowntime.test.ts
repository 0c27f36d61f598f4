import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { DELIVERY_STATUS } from '@12street/contracts';
import { eventually, infraMissing, sampleOrder } from '@12street/testkit';
import { client, type Json } from '../e2e/support.ts';
import { ownBroker, startCluster } from './support.ts';

// A rolling update of the order service, as Kubernetes does it with readiness probes: two
// instances behind the gateway under steady load, each in turn stopped by SIGTERM and started
// again. The gateway plays the Service's part (it polls each instance's /health/ready); a stopping
// instance turns not-ready but keeps serving for SHUTDOWN_DRAIN_MS. No client request may fail.
const skip = await infraMissing('kafka', 'postgres', 'mysql', 'redis');

const DRAIN_MS = 1500;
// Timers may fire a millisecond or two early by the wall clock that log lines and Date.now() read.
const CLOCK_SLACK_MS = 10;
const GRACE_MS = 10_000;
const WORKERS = 4;
const SHUTDOWN_STEPS = [
  'stopping',
  'draining: not ready, still serving',
  'drained: closing the listener',
  'listener closed, in-flight requests finished',
  'background work stopped, outbox relay flushed',
  'consumers stopped after their last commit',
  'stores closed',
  'stopped',
];

const cleanups: (() => Promise<void> | void)[] = [];
const scope = { after: (fn: () => Promise<void> | void) => void cleanups.unshift(fn) };
after(async () => {
  for (const cleanup of cleanups) await cleanup();
});

type Failure = { request: string; status: number | string; body?: unknown; atMs: number };

/** Clients placing orders and reading each one back, as fast as the system answers, until stopped. */
function steadyLoad(api: ReturnType<typeof client>, users: readonly string[]) {
  const startedAt = Date.now();
  const failures: Failure[] = [];
  const placed: number[] = [];
  let requests = 0;
  let running = true;
  const call = async (request: string, send: () => Promise<{ status: number; body: Json }>, expected: number) => {
    requests++;
    try {
      const reply = await send();
      if (reply.status !== expected)
        failures.push({ request, status: reply.status, body: reply.body, atMs: Date.now() - startedAt });
      return reply.status === expected ? reply.body : undefined;
    } catch (error) {
      failures.push({ request, status: String(error), atMs: Date.now() - startedAt });
      return undefined;
    }
  };
  const worker = async (userId: string) => {
    while (running) {
      const order = await call('POST /orders', () => api.post('/orders', sampleOrder({ userId })), 201);
      if (order === undefined) continue;
      placed.push(order.id);
      await call(`GET /orders/${order.id}`, () => api.get(`/orders/${order.id}`), 200);
    }
  };
  const workers = users.map(worker);
  return {
    failures,
    placed,
    requests: () => requests,
    async stop() {
      running = false;
      await Promise.all(workers);
    },
  };
}

test('a rolling restart of two order instances behind the gateway fails no client request', {
  skip,
  timeout: 240_000,
}, async () => {
  const broker = await ownBroker(scope);
  const { cluster, run, opsToken } = await startCluster(scope, {
    brokers: broker.brokers,
    replicas: { order: 2 },
    env: {
      order: { SHUTDOWN_DRAIN_MS: String(DRAIN_MS), SHUTDOWN_GRACE_MS: String(GRACE_MS) },
      // The load comes from one identity and one address.
      gateway: { RATE_LIMIT_PER_IDENTITY: '1000000', RATE_LIMIT_PER_IP: '1000000' },
    },
  });
  const [first, second] = cluster.instancesOf('order') as [string, string];
  const api = client(cluster.url('gateway'), await opsToken());
  const users = Array.from({ length: WORKERS }, (_, i) => `rolling-${run}-${i}`);
  const load = steadyLoad(api, users);
  const servedAtLeast = (count: number, what: string) =>
    eventually(() => load.requests() >= count, { what, timeoutMs: 30_000, intervalMs: 100 });

  /** SIGTERM, a clean exit within the grace period after draining in order, then the same instance again. */
  const restart = async (name: string) => {
    const before = load.requests();
    const sentAt = Date.now();
    const exitCode = await cluster.stop(name);
    const tookMs = Date.now() - sentAt;
    assert.equal(exitCode, 0, `${name} exits 0; log:\n${cluster.logTail(name)}`);
    assert.ok(tookMs >= DRAIN_MS - CLOCK_SLACK_MS && tookMs < GRACE_MS, `${name} stopped after ${tookMs} ms`);
    const steps = shutdownSteps(cluster.logTail(name, 200));
    const times = SHUTDOWN_STEPS.map((step) => steps.get(step) ?? Number.NaN);
    assert.ok(
      times.every((time, i) => i === 0 || time >= (times[i - 1] as number)),
      `${name} drains, then stops in order: ${JSON.stringify(Object.fromEntries(steps))}`,
    );
    const drained = (times[2] as number) - (times[1] as number);
    assert.ok(drained >= DRAIN_MS - CLOCK_SLACK_MS, `${name} kept serving for ${drained} ms while not ready`);
    assert.ok(load.requests() > before, 'requests were served while it stopped');
    await cluster.start('order', { name });
  };

  await servedAtLeast(40, 'load under way');
  await restart(first);
  // The gateway's next polls take the restarted instance back before the other one goes.
  await servedAtLeast(load.requests() + 40, 'load over the restarted instance');
  await restart(second);
  await servedAtLeast(load.requests() + 100, 'load after the rolling restart');
  await load.stop();

  const served = load.requests();
  console.log(
    `zero downtime: ${served} requests served, ${load.placed.length} orders placed, ${load.failures.length} failed`,
  );
  assert.deepEqual(load.failures.slice(0, 10), [], `${load.failures.length} of ${served} requests failed`);
  assert.ok(load.placed.length >= 100, `a meaningful load: ${load.placed.length} orders placed`);

  // Every order placed on either instance went through the whole saga.
  let waiting: number[] = [];
  await eventually(
    async () => {
      const views: Json[] = [];
      for (const userId of users) {
        const reply = await api.get(`/orderStatus/search/findByUserId?userId=${userId}`);
        views.push(...reply.body._embedded.orderStatuses);
      }
      const started = new Set(views.filter((v) => v.deliveryStatus === DELIVERY_STATUS.started).map((v) => v.orderId));
      waiting = load.placed.filter((id) => !started.has(id));
      return waiting.length === 0;
    },
    { what: 'every placed order delivered', timeoutMs: 60_000, intervalMs: 500 },
  ).catch((error: Error) => {
    throw new Error(`${error.message}; ${waiting.length} not delivered, e.g. order ${waiting[0]}`);
  });
});

/**
 * When each step of an instance's last shutdown was logged, from the signal on. By time, not by
 * line: pino writes asynchronously and flushes what is left synchronously at exit, so the last
 * lines may reach the file before earlier ones.
 */
function shutdownSteps(log: string): Map<string, number> {
  const lines = log
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as { msg: string; time: string });
  const from = lines.findLastIndex((line) => line.msg === 'stopping');
  return new Map(
    lines
      .slice(from)
      .filter((line) => SHUTDOWN_STEPS.includes(line.msg))
      .map((line) => [line.msg, Date.parse(line.time)]),
  );
}
