import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Ajv } from 'ajv';
import ajvFormats from 'ajv-formats';
import Fastify, { type FastifyBaseLogger, type FastifyInstance, LogController, type RawServerDefault } from 'fastify';
import type { Logger } from 'pino';
import { installServerSpans } from '../telemetry/serverSpans.ts';
import { liveness } from './liveness.ts';
import { type DomainErrorMapper, installProblemHandling } from './problem.ts';

// Query strings, params and headers are text, so their numbers are coerced; a JSON body is checked
// as it was sent ("10000" is not a price), and unknown fields are refused rather than dropped.
const addFormats = ajvFormats.default;
const textParts = addFormats(
  new Ajv({ coerceTypes: 'array', useDefaults: true, removeAdditional: false, strict: false }),
);
const jsonBodies = addFormats(
  new Ajv({ coerceTypes: false, useDefaults: true, removeAdditional: false, strict: false }),
);

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
  /** Whose server spans these are; by default the `service` its logger is bound to. */
  service?: string;
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
  }).withTypeProvider<TypeBoxTypeProvider>();
  installServerSpans(app, options.service ?? serviceBoundTo(options.logger));
  app.setValidatorCompiler(({ schema, httpPart }) =>
    (httpPart === 'body' ? jsonBodies : textParts).compile(schema as object),
  );
  app.addHook('onSend', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });
  installProblemHandling(app, options.mapDomainError);

  let shuttingDown = false;
  app.addHook('preClose', async () => {
    shuttingDown = true;
  });
  app.get('/health/live', async (_request, reply) => {
    const checks = await liveness(app);
    const live = Object.values(checks).every(Boolean);
    return reply.status(live ? 200 : 503).send({ status: live ? 'UP' : 'DOWN', checks });
  });
  app.get('/health/ready', async (_request, reply) => {
    const checks = options.readiness ? await options.readiness().catch(() => ({ readiness: false })) : {};
    const ready = !shuttingDown && Object.values(checks).every(Boolean);
    return reply.status(ready ? 200 : 503).send({ status: ready ? 'UP' : 'DOWN', checks });
  });
  return app;
}

function serviceBoundTo(logger: Logger): string | undefined {
  const { service } = logger.bindings();
  return typeof service === 'string' ? service : undefined;
}
