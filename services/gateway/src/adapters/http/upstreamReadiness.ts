import type { Upstreams } from './proxyRoutes.ts';

/** The gateway is ready when every service behind it says it is ready; the answer names each one. */
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
  return async (): Promise<Record<string, boolean>> =>
    Object.fromEntries(
      await Promise.all(Object.entries(upstreams).map(async ([name, url]) => [name, await ready(url)] as const)),
    );
}
