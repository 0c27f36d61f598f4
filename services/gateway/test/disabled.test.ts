import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { test } from 'node:test';
import pino from 'pino';
import { createGateway, InsecureConfiguration } from '../src/compose.ts';
import { echoService } from './support.ts';

function capturedLogger() {
  const lines: string[] = [];
  const logger = pino(
    { level: 'info' },
    new Writable({
      write(chunk, _encoding, done) {
        lines.push(chunk.toString());
        done();
      },
    }),
  );
  return { logger, lines };
}

test('AUTH_DISABLED lets requests through unchecked, says so loudly, and still drops identity headers', async (t) => {
  const echo = await echoService(t);
  const e = echo.url;
  const { logger, lines } = capturedLogger();
  const gateway = createGateway({
    logger,
    upstreams: { order: e, payment: e, delivery: e, marketing: e, orderStatus: e, identity: e },
    auth: 'disabled',
  });
  await gateway.start();
  t.after(() => gateway.stop());
  assert.ok(
    lines.some((l) => JSON.parse(l).level === 40 && /AUTH_DISABLED/.test(l)),
    'a warning names AUTH_DISABLED',
  );
  const reply = await gateway.app.inject({ url: '/payments', headers: { 'x-user-id': 'u9', 'x-user-roles': 'ops' } });
  assert.equal(reply.statusCode, 200);
  assert.equal(echo.seen.at(-1)?.headers['x-user-id'], undefined, 'a client cannot name itself');
  assert.equal(echo.seen.at(-1)?.headers['x-user-roles'], undefined);
});

test('AUTH_DISABLED is refused in production: the gateway does not start', () => {
  const { logger } = capturedLogger();
  assert.throws(
    () =>
      createGateway({
        logger,
        upstreams: { order: 'x', payment: 'x', delivery: 'x', marketing: 'x', orderStatus: 'x', identity: 'x' },
        auth: 'disabled',
        production: true,
      }),
    (error: unknown) => error instanceof InsecureConfiguration && /refused in production/.test(error.message),
  );
});
