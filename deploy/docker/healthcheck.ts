// The container health check: node:24-slim has no curl. Exits 0 when the service answers 200 on the
// given path (default /health/live) of its own port: PORT, or the service's default port.
import { DEFAULT_PORTS } from '../../packages/contracts/src/api/ports.ts';

const service = process.env.SERVICE ?? '';
const defaults: Record<string, number> = { ...DEFAULT_PORTS, 'order-status': DEFAULT_PORTS.orderStatus };
const port = process.env.PORT || defaults[service];
const path = process.argv[2] ?? '/health/live';
if (!port) {
  console.error(`healthcheck: no PORT, and no default port for SERVICE=${service}`);
  process.exit(1);
}

try {
  const response = await fetch(`http://127.0.0.1:${port}${path}`, { signal: AbortSignal.timeout(2500) });
  process.exit(response.ok ? 0 : 1);
} catch {
  process.exit(1);
}
