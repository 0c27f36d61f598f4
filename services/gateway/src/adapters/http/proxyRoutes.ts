import { type HttpApp, sendProblem } from '@12street/platform';
import proxy from '@fastify/http-proxy';
import type { FastifyReply } from 'fastify';

export type Upstreams = { order: string; payment: string; delivery: string; marketing: string; orderStatus: string };

/** Which service serves each public path prefix; the services serve the same paths, so prefixes are kept. */
export const ROUTES: readonly { prefix: string; upstream: keyof Upstreams }[] = [
  { prefix: '/orders', upstream: 'order' },
  { prefix: '/payments', upstream: 'payment' },
  { prefix: '/stockDeliveries', upstream: 'delivery' },
  { prefix: '/promotes', upstream: 'marketing' },
  { prefix: '/orderStatus', upstream: 'orderStatus' },
];

/**
 * The service sees who the client called (X-Forwarded-*), so its HAL links point at the gateway,
 * and the request id, so one request can be followed through every log.
 */
type Incoming = { id: string; headers: Record<string, unknown>; hostname: string; protocol: string; ip: string };

function forwardedHeaders(request: Incoming, headers: Record<string, unknown>) {
  const forwardedFor = headers['x-forwarded-for'];
  return {
    ...headers,
    'x-request-id': request.id,
    'x-forwarded-host': (request.headers.host as string | undefined) ?? request.hostname,
    'x-forwarded-proto': request.protocol,
    'x-forwarded-for': forwardedFor ? `${forwardedFor}, ${request.ip}` : request.ip,
  };
}

/** A service that is down or too slow becomes a problem document at once, never a hang or a 500. */
function upstreamFailure(name: string) {
  return (reply: FastifyReply, { error }: { error: Error }) => {
    const status = (error as { statusCode?: number }).statusCode;
    const problem =
      status === 504
        ? { status: 504, title: 'Gateway Timeout', detail: `the ${name} service did not answer in time` }
        : status === 502
          ? { status: 502, title: 'Bad Gateway', detail: `the ${name} service gave an answer that is not HTTP` }
          : { status: 503, title: 'Service Unavailable', detail: `the ${name} service is unavailable` };
    reply.request.log.warn({ err: error, upstream: name }, 'upstream failed');
    sendProblem(reply, problem);
  };
}

export function proxyRoutes(app: HttpApp, upstreams: Upstreams, timeoutMs: number) {
  for (const { prefix, upstream } of ROUTES) {
    app.register(proxy, {
      upstream: upstreams[upstream],
      prefix,
      rewritePrefix: prefix,
      disableRequestLogging: true,
      undici: { connect: { timeout: timeoutMs } },
      replyOptions: {
        timeout: timeoutMs,
        // A service's 503 is its answer (its own dependency is down): pass it on, do not retry.
        retryDelay: () => null,
        rewriteRequestHeaders: (request, headers) => forwardedHeaders(request, headers),
        onError: upstreamFailure(upstream) as never,
      },
    });
  }
}
