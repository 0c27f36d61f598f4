import assert from 'node:assert/strict';
import { test } from 'node:test';
import { eventually } from '@12street/testkit';
import { inProcessTransport } from '../src/index.ts';
import { canceled, serviceOn } from './deadLetterSupport.ts';

test('a service whose event handling is stuck reports not-live, and live again once it moves on', async (t) => {
  const transport = inProcessTransport();
  let release = () => {};
  const gate = new Promise<void>((resolve) => {
    release = resolve;
  });
  t.after(() => release());
  const consumer = await serviceOn(t, 'shipping', transport, { stallTimeoutMs: 300 }, (kernel) =>
    kernel.when(['OrderCanceled'], 'whenOrderCanceledShip', () => gate),
  );
  const publisher = await serviceOn(t, 'order', transport, { relay: { pollIntervalMs: 10 } });
  const live = async () => {
    const response = await consumer.app.inject({ method: 'GET', url: '/health/live' });
    return { status: response.statusCode, body: response.json() };
  };
  assert.deepEqual(await live(), { status: 200, body: { status: 'UP', checks: { eventLoop: true, consumers: true } } });

  await publisher.kernel.inTransaction((tx) => publisher.kernel.recordEvents(tx, [canceled(7, 'stuck')]));
  const down = await eventually(async () => ((await live()).status === 503 ? live() : false), {
    what: 'the probe to say not live',
  });
  assert.deepEqual(down.body, { status: 'DOWN', checks: { eventLoop: true, consumers: false } });
  assert.deepEqual(
    consumer.kernel.stalledHandling().map((s) => [s.policy, s.eventType, s.orderId]),
    [['whenOrderCanceledShip', 'OrderCanceled', 7]],
  );

  release();
  await eventually(async () => (await live()).status === 200, { what: 'live again' });
  assert.deepEqual(consumer.kernel.stalledHandling(), []);
});
