import type { IncomingHttpHeaders } from 'node:http';
import { IDENTITY_HEADERS, identityHeaders, sendProblem, traceHeadersOfRequest } from '@12street/platform';
import proxy from '@fastify/http-proxy';
import type { FastifyInstance, FastifyReply, HTTPMethods } from 'fastify';
import { type Access, type EdgeRouteConfig, identityOf } from './guard.ts';
import { type BaseUrls, type UpstreamTarget, upstreamTarget } from './upstreamTarget.ts';

/** Each service's base URL, or its instances' base URLs (balanced between the ready ones). */
export type Upstreams = {
  order: BaseUrls;
  payment: BaseUrls;
  delivery: BaseUrls;
  marketing: BaseUrls;
  orderStatus: BaseUrls;
  identity: BaseUrls;
};

type Route = EdgeRouteConfig & {
  prefix: string;
  upstream: keyof Upstreams;
  /** Only the prefix itself, nothing below it. */
  exact?: boolean;
  /** The path the service serves it under, when not the prefix itself. */
  rewriteTo?: string;
  methods?: HTTPMethods[];
};

/**
 * Which service serves each public path prefix, and who may call it; the services serve the same
 * paths, so prefixes are kept. Customers reach their own orders and their status (the services
 * check ownership); payments, deliveries and coupons are ops' business.
 */
export const ROUTES: readonly Route[] = [
  { prefix: '/orders', upstream: 'order', access: ['customer', 'ops'] },
  { prefix: '/payments', upstream: 'payment', access: ['ops'] },
  { prefix: '/stockDeliveries', upstream: 'delivery', access: ['ops'] },
  { prefix: '/promotes', upstream: 'marketing', access: ['ops'] },
  { prefix: '/orderStatus', upstream: 'orderStatus', access: ['customer', 'ops'] },
  { prefix: '/oauth/token', upstream: 'identity', access: 'anyone', bucket: 'token', exact: true, methods: ['POST'] },
  { prefix: '/.well-known/jwks.json', upstream: 'identity', access: 'anyone', exact: true, methods: ['GET', 'HEAD'] },
  // Each service's parked events (list, redrive), for ops: /ops/<service>/dead-letters[...].
  ...(
    [
      ['order', 'order'],
      ['payment', 'payment'],
      ['delivery', 'delivery'],
      ['marketing', 'marketing'],
      ['order-status', 'orderStatus'],
    ] as const
  ).map(([name, upstream]) => ({
    prefix: `/ops/${name}/dead-letters`,
    rewriteTo: '/ops/dead-letters',
    upstream,
    access: ['ops'] as Access,
  })),
];

/** OPTIONS is left to CORS: a preflight carries no token and must not reach a service. */
const PROXIED_METHODS: HTTPMethods[] = ['DELETE', 'GET', 'HEAD', 'PATCH', 'POST', 'PUT'];

/**
 * The service sees who the client called (X-Forwarded-*), so its HAL links point at the gateway,
 * and the request id, so one request can be followed through every log. Identity headers a client
 * sent are dropped; the ones the service trusts come from the verified token alone. The token
 * itself stays at the gateway, except for the identity service, which reads client credentials.
 */
type Incoming = { id: string; headers: IncomingHttpHeaders; hostname: string; protocol: string; ip: string };

function forwardedHeaders(request: Incoming, headers: IncomingHttpHeaders, toIdentity: boolean): IncomingHttpHeaders {
  const {
    [IDENTITY_HEADERS.userId]: _claimedUser,
    [IDENTITY_HEADERS.roles]: _claimedRoles,
    authorization,
    ...kept
  } = headers;
  const identity = identityOf(request);
  const forwardedFor = headers['x-forwarded-for'];
  return {
    ...kept,
    ...(toIdentity && authorization !== undefined ? { authorization } : {}),
    ...(identity ? identityHeaders(identity) : {}),
    'x-request-id': request.id,
    'x-forwarded-host': request.headers.host ?? request.hostname,
    'x-forwarded-proto': request.protocol,
    'x-forwarded-for': forwardedFor ? `${forwardedFor}, ${request.ip}` : request.ip,
    // The gateway's span for this request, so the service's span is its child in the same trace.
    ...traceHeadersOfRequest(request),
  };
}

/**
 * Connection and Keep-Alive describe the service's connection to the gateway, not the client's
 * (RFC 9110 §7.6.1): the gateway's own server decides whether the client's stays open, and says
 * close while it drains.
 */
function withoutHopByHopHeaders(headers: IncomingHttpHeaders): IncomingHttpHeaders {
  const { connection: _connection, 'keep-alive': _keepAlive, ...endToEnd } = headers;
  return endToEnd;
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

export function proxyRoutes(app: FastifyInstance, upstreams: Upstreams, timeoutMs: number) {
  // One target per service, shared by its routes: a pool's instances and readiness are the service's.
  const targets = new Map<keyof Upstreams, UpstreamTarget>();
  const targetOf = (name: keyof Upstreams) => {
    const target = targets.get(name) ?? upstreamTarget(app, name, upstreams[name], timeoutMs);
    targets.set(name, target);
    return target;
  };
  for (const { prefix, upstream, access, bucket, exact, methods, rewriteTo } of ROUTES) {
    const config: EdgeRouteConfig = { access, ...(bucket ? { bucket } : {}) };
    const target = targetOf(upstream);
    app.register(proxy, {
      upstream: target.upstream,
      prefix,
      rewritePrefix: rewriteTo ?? prefix,
      httpMethods: methods ?? PROXIED_METHODS,
      ...(exact ? { routes: ['/'] } : {}),
      config,
      disableRequestLogging: true,
      undici: target.undici,
      replyOptions: {
        timeout: timeoutMs,
        // A service's 503 is its answer (its own dependency is down): pass it on, do not retry.
        // Only a request that never reached an instance goes to another (see reroutingDispatcher).
        retryDelay: () => null,
        ...(target.getUpstream ? { getUpstream: target.getUpstream } : {}),
        rewriteRequestHeaders: (request, headers) => forwardedHeaders(request, headers, upstream === 'identity'),
        rewriteHeaders: withoutHopByHopHeaders,
        onError: upstreamFailure(upstream) as never,
      },
    });
  }
}
