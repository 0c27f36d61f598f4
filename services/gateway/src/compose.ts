import { createHttpApp, drainer, installMetrics, serviceMetrics } from '@12street/platform';
import rateLimitPlugin from '@fastify/rate-limit';
import type { FastifyInstance } from 'fastify';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { bodyLimit } from './adapters/http/bodyLimit.ts';
import { type EdgeHeaderOptions, edgeHeaders } from './adapters/http/edgeHeaders.ts';
import { endEventStreamsOnClose } from './adapters/http/eventStreams.ts';
import { enforce, identify } from './adapters/http/guard.ts';
import { proxyRoutes, ROUTES, type Upstreams } from './adapters/http/proxyRoutes.ts';
import { DEFAULT_RATE_LIMITS, type RateLimits, rateLimit } from './adapters/http/rateLimits.ts';
import { DEFAULT_WEB_ROOT, staticSite } from './adapters/http/staticSite.ts';
import { type AuthSettings, tokenVerifier } from './adapters/http/tokenVerifier.ts';
import { upstreamReadiness } from './adapters/http/upstreamReadiness.ts';
import { type OpenApiInfo, openApiDocument } from './openapi/document.ts';

export type { EdgeRouteConfig } from './adapters/http/guard.ts';
export type { Upstreams } from './adapters/http/proxyRoutes.ts';
export { DEFAULT_RATE_LIMITS, type RateLimits } from './adapters/http/rateLimits.ts';
export type { AuthSettings } from './adapters/http/tokenVerifier.ts';

export type GatewayOptions = EdgeHeaderOptions & {
  logger: Logger;
  /** Base URLs of the services behind the gateway. */
  upstreams: Upstreams;
  /** How access tokens are verified; 'disabled' lets every request through as trusted (never in production). */
  auth: AuthSettings | 'disabled';
  /** Production refuses to start with auth disabled. */
  production?: boolean;
  rateLimits?: Partial<RateLimits>;
  /** Shares the rate limit counters between gateway replicas (distributed mode); in memory without it. */
  rateLimitRedis?: Redis;
  bodyLimitBytes?: number;
  openApi?: OpenApiInfo;
  /** How long a service may take to answer before the client gets 504. */
  upstreamTimeoutMs?: number;
  /** How long each service's readiness check may take. */
  readinessTimeoutMs?: number;
  /** The built web app served at `/` (default: apps/web/dist of this repository); false serves none. */
  webApp?: string | false;
  /** More routes behind the gateway's checks (embedded mode's ops API); `config.access` says who may call each. */
  edgeRoutes?: (edge: FastifyInstance) => void;
};

export class InsecureConfiguration extends Error {
  override readonly name = 'InsecureConfiguration';
}

/**
 * The one entry point and the system's security boundary: every request but the public ones shows
 * a verified access token, is rate limited, is allowed by its role, and reaches its service with
 * the identity the token proved; the API's description is published beside.
 */
export function createGateway(options: GatewayOptions) {
  const { auth, logger } = options;
  if (auth === 'disabled' && options.production) {
    throw new InsecureConfiguration('AUTH_DISABLED is refused in production: the gateway must verify access tokens');
  }
  const bodyLimitBytes = options.bodyLimitBytes ?? 64 * 1024;
  const upstreamsReady = upstreamReadiness(options.upstreams, options.readinessTimeoutMs ?? 2000);
  const app = createHttpApp({
    logger,
    readiness: async () => ({ ...(await upstreamsReady()), notDraining: draining.notDraining() }),
    bodyLimitBytes,
  });
  const draining = drainer(app.server);
  installMetrics(app, serviceMetrics('gateway'), { hideFromProxies: true });
  edgeHeaders(app, options);
  app.register(rateLimitPlugin, {
    global: false,
    cache: 10_000,
    ...(options.rateLimitRedis
      ? { redis: options.rateLimitRedis, nameSpace: '12street:gateway:rate:', skipOnError: true }
      : {}),
  });
  const document = openApiDocument(options.openApi);
  const verify = auth === 'disabled' ? undefined : tokenVerifier(auth);
  app.register(async (edge) => {
    edge.addHook('onRequest', identify(verify));
    edge.addHook('onRequest', rateLimit(edge, { ...DEFAULT_RATE_LIMITS, ...options.rateLimits }));
    edge.addHook('onRequest', enforce());
    edge.addHook('preParsing', bodyLimit(bodyLimitBytes));
    edge.get('/openapi.json', { config: { access: 'anyone' } }, async () => document);
    proxyRoutes(edge, options.upstreams, options.upstreamTimeoutMs ?? 10_000);
    options.edgeRoutes?.(edge);
  });
  endEventStreamsOnClose(app);
  if (options.webApp !== false) {
    const apiPrefixes = [...ROUTES.map((r) => r.prefix), '/ops', '/openapi.json', '/health', '/metrics'];
    staticSite(app, { root: options.webApp ?? DEFAULT_WEB_ROOT, apiPrefixes });
  }
  return {
    name: 'gateway',
    app,
    async start() {
      if (auth === 'disabled') {
        logger.warn(
          '!!! AUTH_DISABLED: the gateway verifies NO access tokens; every request passes with full rights. ' +
            'For a sandbox on your own machine only. !!!',
        );
      }
      await app.ready();
    },
    /** Not ready from now on, yet still serving, each answer with `Connection: close`, for `ms`. */
    drain: (ms: number) => draining.drain(ms),
    async stop() {
      await app.close();
    },
  };
}
