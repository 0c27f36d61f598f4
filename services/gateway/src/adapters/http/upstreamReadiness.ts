import type { Upstreams } from './proxyRoutes.ts';

/**
 * The gateway is ready when every service behind it is, a service being ready when at least one of
 * its instances says so; the answer names each service.
 */
export function upstreamReadiness(upstreams: Upstreams, timeoutMs: number) {
  const ready = async (baseUrl: string) => {
    try {
      const response = await fetch(`${baseUrl}/health/ready`, { signal: AbortSignal.timeout(timeoutMs) });
      await response.body?.cancel();
      return response.status === 200;
    } catch {
      return false;
    }
  };
  const anyReady = async (baseUrls: string | readonly string[]) =>
    (await Promise.all([baseUrls].flat().map(ready))).some(Boolean);
  return async (): Promise<Record<string, boolean>> =>
    Object.fromEntries(
      await Promise.all(Object.entries(upstreams).map(async ([name, urls]) => [name, await anyReady(urls)] as const)),
    );
}
