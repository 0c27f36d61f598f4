import assert from 'node:assert/strict';
import { test } from 'node:test';
import { eventually, testLogger } from '@12street/testkit';
import { createHttpApp, processEventLoop } from '../src/index.ts';

// Set before any HTTP app exists: the watch is one per process.
const watch = processEventLoop({ maxDelayMs: 300, windowMs: 2_000 });

function blockTheEventLoop(ms: number) {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    // Busy: nothing else in this process runs, as with a runaway computation.
  }
}

test('a blocked event loop turns /health/live to 503 for a while, then it recovers by itself', async (t) => {
  const app = createHttpApp({ logger: testLogger() });
  const url = await app.listen({ port: 0, host: '127.0.0.1' });
  t.after(() => app.close());
  const probe = async () => {
    const response = await fetch(`${url}/health/live`);
    return { status: response.status, body: await response.json() };
  };
  assert.deepEqual(await probe(), { status: 200, body: { status: 'UP', checks: { eventLoop: true } } });

  // A probe made while the loop is blocked is answered only after it: not live.
  const during = probe();
  blockTheEventLoop(800);
  assert.deepEqual(await during, { status: 503, body: { status: 'DOWN', checks: { eventLoop: false } } });
  assert.ok((watch.lastBlock()?.delayMs ?? 0) >= 500, `block seen: ${JSON.stringify(watch.lastBlock())}`);

  await eventually(async () => (await probe()).status === 200, { timeoutMs: 10_000, what: 'live again' });
});
