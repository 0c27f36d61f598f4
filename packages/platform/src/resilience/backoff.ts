export type Backoff = { baseMs: number; maxMs: number };

/** Exponential back-off with ±20% jitter so retries from many rows do not move in lockstep. */
export function nextDelayMs(attempt: number, { baseMs, maxMs }: Backoff, random = Math.random): number {
  const exponential = Math.min(maxMs, baseMs * 2 ** Math.max(0, attempt));
  return Math.round(exponential * (0.8 + 0.4 * random()));
}
