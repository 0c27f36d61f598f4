import type { Logger } from 'pino';

/** Settles as work does, or rejects once timeoutMs passed: for waits on the network that may never end. */
export async function bounded<T>(work: Promise<T>, timeoutMs: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not finish within ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Waits for shutdown work, but at most timeoutMs: stop() must end in bounded time even when the
 * broker is gone. What fails or overruns is logged, so the rest of the shutdown still runs.
 */
export async function within(log: Logger, what: string, timeoutMs: number, work: unknown[]): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), timeoutMs);
  });
  try {
    const outcome = await Promise.race([Promise.all(work), timeout]);
    if (outcome === 'timeout') log.warn({ timeoutMs }, `${what} did not finish in time`);
  } catch (error) {
    log.error({ err: error }, `${what} failed`);
  } finally {
    clearTimeout(timer);
  }
}
