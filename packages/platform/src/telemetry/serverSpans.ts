import { context, SpanKind, SpanStatusCode } from '@opentelemetry/api';
import {
  ATTR_ERROR_TYPE,
  ATTR_HTTP_REQUEST_METHOD,
  ATTR_HTTP_RESPONSE_STATUS_CODE,
  ATTR_HTTP_ROUTE,
  ATTR_URL_PATH,
  ATTR_URL_SCHEME,
  ATTR_USER_AGENT_ORIGINAL,
} from '@opentelemetry/semantic-conventions';
import type { FastifyRequest } from 'fastify';
import type { HttpApp } from '../http/server.ts';
import { continuing, type ServiceSpan, startServiceSpan, traceHeaders, traceparentOfSpan } from './spans.ts';

export const REQUEST_ID_ATTRIBUTE = '12street.request_id';

/** Probes and scrapes would bury the traces that matter. */
const UNTRACED_ROUTES = /^\/(health|metrics)(\/|$)/;

const spans = new WeakMap<object, ServiceSpan>();

const single = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value);

/**
 * A server span per request, named `METHOD route`, continuing the caller's W3C trace; the
 * request's hooks and its handler run with it as the active context.
 */
export function installServerSpans(app: HttpApp, service: string | undefined): void {
  app.addHook('onRequest', (request, _reply, done) => {
    const route = request.routeOptions.url;
    if (route && UNTRACED_ROUTES.test(route)) return done();
    const parent = continuing(single(request.headers.traceparent), single(request.headers.tracestate));
    const userAgent = request.headers['user-agent'];
    const started = startServiceSpan(
      service,
      route ? `${request.method} ${route}` : request.method,
      {
        kind: SpanKind.SERVER,
        attributes: {
          [ATTR_HTTP_REQUEST_METHOD]: request.method,
          [ATTR_URL_PATH]: request.url.split('?')[0] ?? request.url,
          [ATTR_URL_SCHEME]: request.protocol,
          [REQUEST_ID_ATTRIBUTE]: request.id,
          ...(route ? { [ATTR_HTTP_ROUTE]: route } : {}),
          ...(userAgent ? { [ATTR_USER_AGENT_ORIGINAL]: userAgent } : {}),
        },
      },
      parent,
    );
    spans.set(request, started);
    context.with(started.context, done);
  });

  // A body is read in the socket's callbacks, so the handler is put back into the request's context.
  app.addHook('onRoute', (route) => {
    const handler = route.handler;
    route.handler = function inRequestSpan(this: ThisParameterType<typeof handler>, request, reply) {
      const started = spans.get(request);
      return started
        ? context.with(started.context, handler, this, request, reply)
        : handler.call(this, request, reply);
    };
  });

  app.addHook('onError', (request, _reply, error, done) => {
    const status = (error as { statusCode?: number }).statusCode ?? 500;
    if (status >= 500) spans.get(request)?.span.recordException(error);
    done();
  });
  app.addHook('onResponse', (request, reply, done) => {
    endServerSpan(request, reply.statusCode);
    done();
  });
  app.addHook('onRequestAbort', (request, done) => {
    endServerSpan(request, undefined);
    done();
  });
}

function endServerSpan(request: FastifyRequest, status: number | undefined) {
  const started = spans.get(request);
  if (!started) return;
  spans.delete(request);
  const { span } = started;
  if (status === undefined) {
    span.setStatus({ code: SpanStatusCode.ERROR, message: 'the client went away before the answer' });
  } else {
    span.setAttribute(ATTR_HTTP_RESPONSE_STATUS_CODE, status);
    if (status >= 500) {
      span.setAttribute(ATTR_ERROR_TYPE, String(status));
      span.setStatus({ code: SpanStatusCode.ERROR });
    }
  }
  span.end();
}

/** The traceparent of the request's server span: what the events it records carry on. */
export function traceparentOfRequest(request: object): string | undefined {
  const started = spans.get(request);
  return started && traceparentOfSpan(started.span);
}

/** The W3C headers that make a call made for this request (a proxied one) a child of its span. */
export function traceHeadersOfRequest(request: object): { traceparent?: string; tracestate?: string } {
  const started = spans.get(request);
  return started ? traceHeaders(started.context) : {};
}
