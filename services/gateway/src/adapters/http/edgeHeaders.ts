import type { HttpApp } from '@12street/platform';
import cors from '@fastify/cors';
import helmet from '@fastify/helmet';

export type EdgeHeaderOptions = {
  /** Browser origins allowed to call the API (CORS); none by default, so only same-origin pages can. */
  corsOrigins?: readonly string[];
  /** Strict-Transport-Security, for a gateway served over HTTPS. */
  hsts?: boolean;
};

/** Security headers suited to a JSON API, and CORS for the listed origins only, without credentials. */
export function edgeHeaders(app: HttpApp, options: EdgeHeaderOptions) {
  app.register(helmet, {
    // Nothing here is a page: nothing may be loaded, framed or run from an answer.
    contentSecurityPolicy: { useDefaults: false, directives: { defaultSrc: ["'none'"], frameAncestors: ["'none'"] } },
    frameguard: { action: 'deny' },
    hsts: options.hsts ? { maxAge: 31_536_000, includeSubDomains: true } : false,
    referrerPolicy: { policy: 'no-referrer' },
  });
  const origins = [...(options.corsOrigins ?? [])];
  app.register(cors, {
    origin: origins.length > 0 ? origins : false,
    credentials: false,
    methods: ['GET', 'POST', 'PATCH'],
    allowedHeaders: ['authorization', 'content-type', 'x-request-id'],
    exposedHeaders: ['location', 'retry-after', 'x-request-id', 'www-authenticate'],
    maxAge: 600,
  });
}
