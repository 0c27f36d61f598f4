import { createHttpApp } from '@12street/platform';
import type { Logger } from 'pino';
import { proxyRoutes, type Upstreams } from './adapters/http/proxyRoutes.ts';
import { upstreamReadiness } from './adapters/http/upstreamReadiness.ts';
import { type OpenApiInfo, openApiDocument } from './openapi/document.ts';

export type { Upstreams } from './adapters/http/proxyRoutes.ts';

export type GatewayOptions = {
  logger: Logger;
  /** Base URLs of the services behind the gateway. */
  upstreams: Upstreams;
  openApi?: OpenApiInfo;
  /** How long a service may take to answer before the client gets 504. */
  upstreamTimeoutMs?: number;
  /** How long each service's readiness check may take. */
  readinessTimeoutMs?: number;
};

/** The one entry point: routes each resource to its service and publishes the API's description. */
export function createGateway(options: GatewayOptions) {
  const app = createHttpApp({
    logger: options.logger,
    readiness: upstreamReadiness(options.upstreams, options.readinessTimeoutMs ?? 2000),
  });
  proxyRoutes(app, options.upstreams, options.upstreamTimeoutMs ?? 10_000);
  const document = openApiDocument(options.openApi);
  app.get('/openapi.json', async () => document);
  return {
    name: 'gateway',
    app,
    async start() {
      await app.ready();
    },
    async stop() {
      await app.close();
    },
  };
}
