import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, { type FastifyBaseLogger, type FastifyInstance, LogController, type RawServerDefault } from 'fastify';
import type { Logger } from 'pino';
import { type DomainErrorMapper, installProblemHandling } from './problem.ts';

export type HttpApp = FastifyInstance<
  RawServerDefault,
  IncomingMessage,
  ServerResponse,
  FastifyBaseLogger,
  TypeBoxTypeProvider
>;

export type Readiness = () => Promise<Record<string, boolean>>;

export type HttpServerOptions = {
  logger: Logger;
  mapDomainError?: DomainErrorMapper;
  /** Checks that must all pass for /health/ready (database reachable, consumers joined, ...). */
  readiness?: Readiness;
  bodyLimitBytes?: number;
};

/** A Fastify app with the house rules: schemas validated strictly, problem+json, request ids, health. */
export function createHttpApp(options: HttpServerOptions): HttpApp {
  const app = Fastify({
    loggerInstance: options.logger as FastifyBaseLogger,
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: options.bodyLimitBytes ?? 64 * 1024,
    requestIdHeader: 'x-request-id',
    genReqId: () => randomUUID(),
    forceCloseConnections: 'idle',
    ajv: { customOptions: { removeAdditional: false, coerceTypes: 'array', useDefaults: true, allErrors: false } },
  }).withTypeProvider<TypeBoxTypeProvider>();
  app.addHook('onSend', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });
  installProblemHandling(app, options.mapDomainError);

  let shuttingDown = false;
  app.addHook('preClose', async () => {
    shuttingDown = true;
  });
  app.get('/health/live', async () => ({ status: 'UP' }));
  app.get('/health/ready', async (_request, reply) => {
    const checks = options.readiness ? await options.readiness().catch(() => ({ readiness: false })) : {};
    const ready = !shuttingDown && Object.values(checks).every(Boolean);
    return reply.status(ready ? 200 : 503).send({ status: ready ? 'UP' : 'DOWN', checks });
  });
  return app;
}
