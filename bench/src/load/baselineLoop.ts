import autocannon from 'autocannon';
import type { LoadConfig } from './mix.ts';

// The limit the gateway sets on this machine: one cheap GET through the same token check, rate
// limit and proxy as the real requests, answered by a trivial upstream.
const config = JSON.parse(process.argv[2] ?? '{}') as LoadConfig;
const result = await autocannon({
  url: `${config.url}${config.path ?? '/orders/1'}`,
  connections: config.connections ?? 32,
  duration: config.seconds,
  headers: { authorization: `Bearer ${config.token}` },
});
process.stdout.write(
  `${JSON.stringify({
    seconds: result.duration,
    requestsPerSecond: result.requests.average,
    latencyMs: { p50: result.latency.p50, p90: result.latency.p90, p99: result.latency.p99, max: result.latency.max },
    non2xx: result.non2xx,
    errors: result.errors,
  })}\n`,
);
