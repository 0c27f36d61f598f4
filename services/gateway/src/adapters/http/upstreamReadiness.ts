import type { Upstreams } from './proxyRoutes.ts';

/** Whether a service (instance) at baseUrl answers its /health/ready with 200 within timeoutMs. */
export async function answersReady(baseUrl: string, timeoutMs: number): Promise<boolean> {
  try {
    const response = await fetch(`${baseUrl}/health/ready`, { signal: AbortSignal.timeout(timeoutMs) });
    await response.body?.cancel();
    return response.status === 200;
  } catch {
    return false;
  }
}

/**
 * The gateway is ready when every service behind it is, a service being ready when at least one of
 * its instances says so; the answer names each service.
 */
export function upstreamReadiness(upstreams: Upstreams, timeoutMs: number) {
  const anyReady = async (baseUrls: string | readonly string[]) =>
    (await Promise.all([baseUrls].flat().map((url) => answersReady(url, timeoutMs)))).some(Boolean);
  return async (): Promise<Record<string, boolean>> =>
    Object.fromEntries(
      await Promise.all(Object.entries(upstreams).map(async ([name, urls]) => [name, await anyReady(urls)] as const)),
    );
}
