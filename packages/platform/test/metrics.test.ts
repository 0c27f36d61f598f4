import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { envelope } from '@12street/contracts';
import { tempDir, testLogger } from '@12street/testkit';
import {
  createBreaker,
  createHttpApp,
  inProcessTransport,
  type MessagingTables,
  observeBreaker,
  openSqlite,
  serviceKernel,
  startableService,
} from '../src/index.ts';

test('a service exposes HTTP, event, outbox and breaker metrics at /metrics', async (t) => {
  const db = openSqlite<MessagingTables>(join(tempDir(t), 'm.db'));
  const transport = inProcessTransport();
  const kernel = serviceKernel({
    service: 'demo',
    db,
    dialect: 'sqlite',
    migrations: [],
    transport,
    logger: testLogger(),
  });
  kernel.when(['OrderCanceled'], 'whenOrderCanceledNothing', async () => {});
  const breaker = createBreaker('payment', {
    timeoutMs: 50,
    failureRatio: 0.5,
    windowSize: 2,
    minimumCalls: 2,
    halfOpenAfterMs: 10_000,
  });
  observeBreaker(kernel.metrics, breaker);
  const app = createHttpApp({ logger: testLogger() });
  app.get('/things/:id', async () => ({ ok: true }));
  const service = startableService(kernel, app);
  await service.start();
  t.after(async () => {
    await service.stop();
    await db.destroy();
  });

  await app.inject({ method: 'GET', url: '/things/1' });
  const event = envelope(
    'OrderCanceled',
    1,
    { userId: 'u', orderStatus: 'x', reason: 'r' },
    { eventId: 'e', occurredAt: new Date() },
  );
  await transport.publish([event]);
  await transport.publish([event]);
  for (let i = 0; i < 2; i++) await breaker.call(async () => Promise.reject(new Error('down'))).catch(() => {});

  const text = (await app.inject({ method: 'GET', url: '/metrics' })).body;
  assert.match(
    text,
    /street_http_request_duration_seconds_count\{[^}]*route="\/things\/:id"[^}]*status_code="200"[^}]*\} 1/,
  );
  assert.match(text, /street_events_consumed_total\{[^}]*outcome="processed"[^}]*\} 1/);
  assert.match(text, /street_events_consumed_total\{[^}]*outcome="duplicate"[^}]*\} 1/);
  assert.match(text, /street_circuit_breaker_state\{[^}]*dependency="payment"[^}]*\} 2/);
  assert.match(text, /street_outbox_backlog\{service="demo"\} 0/);
});
