import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { test } from 'node:test';
import { eventually } from '@12street/testkit';
import { echoService } from './support.ts';

const MAIN = new URL('../src/main.ts', import.meta.url).pathname;
const DRAIN_MS = 3000;
/** A timer may fire a millisecond early by the wall clock (libuv counts in whole, cached milliseconds). */
const TIMER_SLACK_MS = 5;
const STEPS = [
  'stopping',
  'draining: not ready, still serving',
  'drained: closing the listener',
  'listener closed, in-flight requests finished',
  'stores closed',
  'stopped',
];

type LogLine = { msg: string; time: string; address?: string };

/** The gateway's own process, as in distributed mode, in front of one echoing service. */
function gatewayProcess(upstream: string) {
  const env = { PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'info', AUTH_DISABLED: 'true', NODE_ENV: 'test' };
  const urls = ['ORDER', 'PAYMENT', 'DELIVERY', 'MARKETING', 'ORDER_STATUS', 'IDENTITY'].map((s) => [
    `${s}_URL`,
    upstream,
  ]);
  const child = spawn(process.execPath, [MAIN], {
    env: { ...process.env, ...env, ...Object.fromEntries(urls), SHUTDOWN_DRAIN_MS: String(DRAIN_MS) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    output += chunk;
  });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    output += chunk;
  });
  const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
  // Complete lines only: the last one may still be on its way.
  const log = () =>
    output
      .split('\n')
      .slice(0, -1)
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as LogLine);
  return { child, exited, log, output: () => output };
}

test('on SIGTERM the gateway turns not ready, serves on with Connection: close, then exits 0', {
  timeout: 60_000,
}, async (t) => {
  const echo = await echoService(t);
  const gateway = gatewayProcess(echo.url);
  t.after(() => gateway.child.kill('SIGKILL'));
  const started = await eventually(() => gateway.log().find((line) => line.msg === 'gateway ready'), {
    what: 'the gateway listening',
    timeoutMs: 30_000,
  });
  const url = started.address as string;
  assert.equal((await fetch(`${url}/health/ready`)).status, 200);
  assert.equal((await fetch(`${url}/orders`)).headers.get('connection'), 'keep-alive');

  const signalledAt = Date.now();
  gateway.child.kill('SIGTERM');
  const notReady = await eventually(
    async () => {
      const reply = await fetch(`${url}/health/ready`);
      return reply.status === 503 && ((await reply.json()) as { checks: Record<string, boolean> }).checks;
    },
    { what: 'readiness 503 while draining' },
  );
  assert.equal(notReady.notDraining, false);
  const during = await fetch(`${url}/orders`);
  assert.equal(during.status, 200, 'still serving while draining');
  assert.deepEqual(await during.json(), { servedBy: 'echo', url: '/orders' });
  assert.equal(during.headers.get('connection'), 'close');

  assert.equal(await gateway.exited, 0, gateway.output());
  assert.ok(
    Date.now() - signalledAt >= DRAIN_MS - TIMER_SLACK_MS,
    'it drained for SHUTDOWN_DRAIN_MS before it stopped',
  );
  // By time, not by line: pino flushes what is left synchronously at exit.
  const lines = gateway.log();
  const from = lines.findIndex((line) => line.msg === 'stopping');
  const logged = new Map(lines.slice(from).map((line) => [line.msg, Date.parse(line.time)]));
  const times = STEPS.map((step) => logged.get(step) ?? Number.NaN);
  assert.ok(
    times.every((time, i) => i === 0 || time >= (times[i - 1] as number)),
    `the steps are logged in order: ${JSON.stringify(Object.fromEntries(logged))}`,
  );
  const drained = (times[2] as number) - (times[1] as number);
  assert.ok(drained >= DRAIN_MS - TIMER_SLACK_MS, `served for the whole drain while not ready (${drained} ms)`);
});
