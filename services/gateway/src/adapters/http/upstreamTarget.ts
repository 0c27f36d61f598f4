import type { Dispatcher } from 'undici';
import { instancePool } from './instancePool.ts';
import { reroutingDispatcher } from './reroutingDispatcher.ts';

/** A service's base URL, or the base URLs of its instances. */
export type BaseUrls = string | readonly string[];

/** Between Kubernetes' readiness probes (seconds) and a test's patience: a drain is seen within it. */
export const INSTANCE_POLL_MS = 300;
export const INSTANCE_PROBE_TIMEOUT_MS = 1000;

type Lifecycle = {
  addHook(name: 'onReady' | 'onClose', hook: () => Promise<void>): unknown;
  log: { info(details: object, message: string): void; warn(details: object, message: string): void };
};

export type UpstreamTarget = {
  upstream: string;
  undici: { connect: { timeout: number } } | Dispatcher;
  getUpstream?: () => string;
};

/**
 * How the proxy reaches a service. One URL (in Kubernetes, the Service's name) is proxied to as it
 * is. Several are the instances themselves, and the gateway plays the Service's part: it balances
 * between the ready ones and reroutes a request that could not connect.
 */
export function upstreamTarget(app: Lifecycle, service: string, baseUrls: BaseUrls, timeoutMs: number): UpstreamTarget {
  const urls = typeof baseUrls === 'string' ? [baseUrls] : baseUrls;
  const [only] = urls;
  if (only === undefined) throw new Error(`no URL for the ${service} service`);
  if (urls.length === 1) return { upstream: only, undici: { connect: { timeout: timeoutMs } } };
  const pool = instancePool({
    service,
    urls,
    pollMs: INSTANCE_POLL_MS,
    probeTimeoutMs: Math.min(INSTANCE_PROBE_TIMEOUT_MS, timeoutMs),
    log: app.log,
  });
  const dispatcher = reroutingDispatcher(pool, timeoutMs, app.log);
  app.addHook('onReady', async () => pool.start());
  app.addHook('onClose', async () => {
    pool.stop();
    await dispatcher.destroy();
  });
  // No fixed upstream: the proxy then takes each request's origin from getUpstream.
  return { upstream: '', undici: dispatcher, getUpstream: () => pool.next() };
}
