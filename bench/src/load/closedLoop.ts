import autocannon from 'autocannon';
import { CANCEL_SHARE, count, idOf, type LoadConfig, orderBody, type StepCounts } from './mix.ts';

// A load process of its own: autocannon keeps `connections` requests in flight, each connection
// going through the mix again and again (closed loop: a new request only when an answer came).
// Each step keeps its method and body kind: autocannon reuses a step's headers between builds, so
// a step that switched from POST to GET would send a stale Content-Length.
const config = JSON.parse(process.argv[2] ?? '{}') as LoadConfig;
const counts: StepCounts = {};
const idIn = (context: Record<string, unknown>) => context.id as number | undefined;

const result = await autocannon({
  url: config.url,
  connections: config.connections ?? 32,
  duration: config.seconds,
  headers: { authorization: `Bearer ${config.token}`, 'content-type': 'application/json' },
  requests: [
    {
      method: 'POST',
      path: '/orders',
      setupRequest: (request) => ({ ...request, body: orderBody() }),
      onResponse: (status, body, context) => {
        count(counts, 'place', status);
        context.id = status === 201 ? idOf(body) : undefined;
      },
    },
    {
      method: 'GET',
      setupRequest: (request, context) => {
        const id = idIn(context);
        return { ...request, path: id ? `/orderStatus/${id}` : '/orderStatus?size=1' };
      },
      onResponse: (status) => count(counts, 'status', status),
    },
    {
      method: 'GET',
      setupRequest: (request, context) => {
        const id = idIn(context);
        return { ...request, path: id ? `/orders/${id}` : '/orders?size=1' };
      },
      onResponse: (status) => count(counts, 'read', status),
    },
    {
      // autocannon skips the rest of the cycle when a request's setup returns nothing.
      method: 'POST',
      body: '{"reason":"bench"}',
      setupRequest: (request, context) => {
        const id = idIn(context);
        return id !== undefined && Math.random() < CANCEL_SHARE
          ? { ...request, path: `/orders/${id}/cancel` }
          : undefined;
      },
      onResponse: (status) => count(counts, 'cancel', status),
    },
  ],
});

const placed = counts.place?.['201'] ?? 0;
process.stdout.write(
  `${JSON.stringify({
    seconds: result.duration,
    placedPerSecond: placed / result.duration,
    requestsPerSecond: result.requests.average,
    latencyMs: { p50: result.latency.p50, p90: result.latency.p90, p99: result.latency.p99, max: result.latency.max },
    errors: result.errors,
    timeouts: result.timeouts,
    counts,
  })}\n`,
);
