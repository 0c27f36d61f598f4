import type { TokenSource } from '../../bench/src/support/tokens.ts';

/** What made a request be sent again: an answer saying "not now", or no answer at all. */
export type RetryReason = '502' | '503' | '504' | '500' | '401' | '429' | 'connection error' | 'timeout';
export type RetryCounts = Record<RetryReason, number>;
export type Reply = { status: number; body: unknown };

const RETRIED_STATUSES = new Set([500, 502, 503, 504, 401, 429]);
const REQUEST_TIMEOUT_MS = 10_000;

/**
 * The customers' HTTP client: it retries refused requests (502/503/504, a dropped connection, a
 * timeout) with capped exponential back-off and jitter, counting every retry by reason, and gets a
 * new token when the gateway refuses the old one. A 500 is retried too but counted apart: it is
 * never a correct answer. Gives up only at the deadline.
 */
export function retryingClient(baseUrl: string, tokens: TokenSource, deadline: number, random: () => number) {
  const retries: RetryCounts = {
    '502': 0,
    '503': 0,
    '504': 0,
    '500': 0,
    '401': 0,
    '429': 0,
    'connection error': 0,
    timeout: 0,
  };
  /** Requests whose first tries got no answer: they may have been carried out before being sent again. */
  let ambiguous = 0;
  const backoff = (attempt: number, retryAfterSeconds?: number) => {
    const capped = Math.min(2000, 100 * 2 ** Math.min(attempt, 5));
    const wait = retryAfterSeconds ? Math.min(retryAfterSeconds * 1000, 2000) : capped / 2 + random() * (capped / 2);
    return new Promise((resolve) => setTimeout(resolve, wait));
  };

  async function send(method: string, path: string, body?: unknown): Promise<Reply> {
    let unanswered = false;
    for (let attempt = 0; ; attempt++) {
      if (Date.now() > deadline) throw new Error(`${method} ${path}: still refused at the deadline`);
      let token: string;
      try {
        token = await tokens.valid();
      } catch {
        retries['connection error'] += 1;
        await backoff(attempt);
        continue;
      }
      try {
        const response = await fetch(`${baseUrl}${path}`, {
          method,
          headers: {
            authorization: `Bearer ${token}`,
            ...(body === undefined ? {} : { 'content-type': 'application/json' }),
          },
          body: body === undefined ? null : JSON.stringify(body),
          signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
        });
        const text = await response.text();
        if (!RETRIED_STATUSES.has(response.status)) {
          if (unanswered) ambiguous += 1;
          return { status: response.status, body: text ? JSON.parse(text) : undefined };
        }
        retries[String(response.status) as RetryReason] += 1;
        if (response.status === 504) unanswered = true;
        if (response.status === 401) await tokens.renew().catch(() => {});
        await backoff(attempt, Number(response.headers.get('retry-after')) || undefined);
      } catch (error) {
        unanswered = true;
        retries[(error as Error).name === 'TimeoutError' ? 'timeout' : 'connection error'] += 1;
        await backoff(attempt);
      }
    }
  }

  return {
    post: (path: string, body: unknown) => send('POST', path, body),
    get: (path: string) => send('GET', path),
    retries,
    get ambiguous() {
      return ambiguous;
    },
  };
}

export type RetryingClient = ReturnType<typeof retryingClient>;
