import { Agent, request } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { percentilesOf } from '../support/stats.ts';
import { CANCEL_SHARE, count, idOf, type LoadConfig, orderBody, type StepCounts } from './mix.ts';

// Open model: orders are placed at a constant rate whatever the answers take, and each latency is
// counted from when its request was due, not from when it could be sent (no coordinated omission).
const config = JSON.parse(process.argv[2] ?? '{}') as LoadConfig;
const rate = config.rate ?? 10;
const MAX_IN_FLIGHT = 2000;
const agent = new Agent({ keepAlive: true, maxSockets: 1024 });
const target = new URL(config.url);
const counts: StepCounts = {};

type Answer = { status: number | 'error'; body: string };

function call(method: string, path: string, body?: string): Promise<Answer> {
  return new Promise((resolve) => {
    const req = request(
      {
        agent,
        host: target.hostname,
        port: target.port,
        method,
        path,
        headers: {
          authorization: `Bearer ${config.token}`,
          ...(body === undefined
            ? {}
            : { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) }),
        },
        timeout: 30_000,
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8').on('data', (chunk: string) => {
          text += chunk;
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
      },
    );
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', () => resolve({ status: 'error', body: '' }));
    req.end(body);
  });
}

export type Journey = { id: number; placedAt: number; canceledAt?: number };
const latencies: number[] = [];
const journeys: Journey[] = [];
let inFlight = 0;
let dropped = 0;
let worstLateness = 0;

async function journey(dueAt: number) {
  inFlight += 1;
  try {
    const placed = await call('POST', '/orders', orderBody());
    count(counts, 'place', placed.status);
    const id = placed.status === 201 ? idOf(placed.body) : undefined;
    if (id === undefined) return;
    latencies.push(performance.now() - dueAt);
    const trip: Journey = { id, placedAt: Date.now() };
    journeys.push(trip);
    count(counts, 'status', (await call('GET', `/orderStatus/${id}`)).status);
    count(counts, 'read', (await call('GET', `/orders/${id}`)).status);
    if (Math.random() < CANCEL_SHARE) {
      const canceled = await call('POST', `/orders/${id}/cancel`, '{"reason":"bench"}');
      count(counts, 'cancel', canceled.status);
      if (canceled.status === 200) trip.canceledAt = Date.now();
    }
  } finally {
    inFlight -= 1;
  }
}

const interval = 1000 / rate;
const start = performance.now() + 20;
const end = start + config.seconds * 1000;
for (let i = 0; ; i++) {
  const dueAt = start + i * interval;
  if (dueAt >= end) break;
  const wait = dueAt - performance.now();
  if (wait > 1) await sleep(wait);
  worstLateness = Math.max(worstLateness, performance.now() - dueAt);
  if (inFlight >= MAX_IN_FLIGHT) {
    dropped += 1;
    continue;
  }
  void journey(dueAt);
}
const drainUntil = performance.now() + 30_000;
while (inFlight > 0 && performance.now() < drainUntil) await sleep(20);
agent.destroy();

const placed = counts.place?.['201'] ?? 0;
process.stdout.write(
  `${JSON.stringify({
    offeredPerSecond: rate,
    placedPerSecond: placed / config.seconds,
    placeLatencyMs: percentilesOf(latencies),
    senderLatenessMaxMs: worstLateness,
    dropped,
    unfinished: inFlight,
    counts,
    journeys: journeys.slice(0, 5000),
  })}\n`,
);
