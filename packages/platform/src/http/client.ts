import { context, SpanKind } from '@opentelemetry/api';
import {
  ATTR_HTTP_REQUEST_METHOD,
  ATTR_HTTP_RESPONSE_STATUS_CODE,
  ATTR_SERVER_ADDRESS,
  ATTR_SERVER_PORT,
  ATTR_URL_FULL,
} from '@opentelemetry/semantic-conventions';
import { inSpan, serviceOf, startServiceSpan, traceHeaders } from '../telemetry/spans.ts';

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

/**
 * JSON over HTTP between services; the caller's signal carries the breaker's timeout. Each call is
 * a client span of the work it is made for, and carries its trace on in the traceparent header.
 */
export async function requestJson<T>(
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE',
  url: string,
  options: { body?: unknown; signal?: AbortSignal; headers?: Record<string, string> } = {},
): Promise<T> {
  const target = new URL(url);
  const call = startServiceSpan(
    serviceOf(),
    `${method} ${target.pathname.replace(/\/\d+(?=\/|$)/g, '/{id}')}`,
    {
      kind: SpanKind.CLIENT,
      attributes: {
        [ATTR_HTTP_REQUEST_METHOD]: method,
        [ATTR_URL_FULL]: url,
        [ATTR_SERVER_ADDRESS]: target.hostname,
        ...(target.port ? { [ATTR_SERVER_PORT]: Number(target.port) } : {}),
      },
    },
    context.active(),
  );
  return inSpan(call, async (span) => {
    const response = await fetch(url, {
      method,
      signal: options.signal ?? null,
      headers: {
        accept: 'application/json',
        ...(options.body === undefined ? {} : { 'content-type': 'application/json' }),
        ...options.headers,
        ...traceHeaders(call.context),
      },
      body: options.body === undefined ? null : JSON.stringify(options.body),
    });
    span.setAttribute(ATTR_HTTP_RESPONSE_STATUS_CODE, response.status);
    const text = await response.text();
    const body = text ? parseOrText(text) : undefined;
    if (!response.ok) throw new HttpStatusError(response.status, body, url);
    return body as T;
  });
}

function parseOrText(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
