/** A non-2xx answer from another service; 4xx are that service's word, 5xx its failure. */
export class HttpStatusError extends Error {
  override readonly name = 'HttpStatusError';
  readonly status: number;
  readonly body: unknown;
  constructor(status: number, body: unknown, url: string) {
    super(`${url} answered ${status}`);
    this.status = status;
    this.body = body;
  }
}

export const isServerSideFailure = (error: unknown) => !(error instanceof HttpStatusError) || error.status >= 500;

/** JSON over HTTP between services; the caller's signal carries the breaker's timeout. */
export async function requestJson<T>(
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE',
  url: string,
  options: { body?: unknown; signal?: AbortSignal; headers?: Record<string, string> } = {},
): Promise<T> {
  const response = await fetch(url, {
    method,
    signal: options.signal ?? null,
    headers: {
      accept: 'application/json',
      ...(options.body === undefined ? {} : { 'content-type': 'application/json' }),
      ...options.headers,
    },
    body: options.body === undefined ? null : JSON.stringify(options.body),
  });
  const text = await response.text();
  const body = text ? parseOrText(text) : undefined;
  if (!response.ok) throw new HttpStatusError(response.status, body, url);
  return body as T;
}

function parseOrText(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
