import { DEFAULT_PORTS } from '@12street/contracts';
import {
  checkDrainFitsGrace,
  createLogger,
  type LogLevel,
  readConfig,
  startTelemetry,
  stopOnSignals,
} from '@12street/platform';
import { Redis } from 'ioredis';
import Type from 'typebox';
import { createGateway } from './compose.ts';

/** A service's base URL, or its instances' base URLs separated by commas (the gateway balances between them). */
const url = (port: number) => Type.String({ default: `http://127.0.0.1:${port}` });
const limit = (fallback: number) => Type.Integer({ minimum: 1, default: fallback });
const GatewayConfig = Type.Object({
  PORT: Type.Integer({ minimum: 0, maximum: 65535, default: DEFAULT_PORTS.gateway }),
  HOST: Type.String({ default: '0.0.0.0' }),
  LOG_LEVEL: Type.String({ default: 'info' }),
  SHUTDOWN_GRACE_MS: Type.Integer({ minimum: 1000, default: 20_000 }),
  /** How long a stopping gateway keeps serving while not ready, so load balancers stop sending it requests. */
  SHUTDOWN_DRAIN_MS: Type.Integer({ minimum: 0, default: 5000 }),
  NODE_ENV: Type.String({ default: 'development' }),
  ORDER_URL: url(DEFAULT_PORTS.order),
  PAYMENT_URL: url(DEFAULT_PORTS.payment),
  DELIVERY_URL: url(DEFAULT_PORTS.delivery),
  MARKETING_URL: url(DEFAULT_PORTS.marketing),
  ORDER_STATUS_URL: url(DEFAULT_PORTS.orderStatus),
  IDENTITY_URL: url(DEFAULT_PORTS.identity),
  UPSTREAM_TIMEOUT_MS: Type.Integer({ minimum: 100, default: 10_000 }),
  /** Defaults to the identity service's own JWKS. */
  JWKS_URL: Type.String({ default: '' }),
  TOKEN_ISSUER: Type.String({ minLength: 1, default: 'urn:12street:identity' }),
  TOKEN_AUDIENCE: Type.String({ minLength: 1, default: 'urn:12street:api' }),
  AUTH_DISABLED: Type.Boolean({ default: false }),
  CORS_ORIGINS: Type.String({ default: '' }),
  HSTS: Type.Boolean({ default: false }),
  BODY_LIMIT_BYTES: Type.Integer({ minimum: 1024, default: 64 * 1024 }),
  RATE_LIMIT_PER_IDENTITY: limit(600),
  RATE_LIMIT_PER_IP: limit(300),
  RATE_LIMIT_TOKEN_PER_IP: limit(30),
  RATE_LIMIT_WINDOW_MS: Type.Integer({ minimum: 1000, default: 60_000 }),
  /** Shares rate limit counters between gateway replicas; empty keeps them in memory. */
  RATE_LIMIT_REDIS_URL: Type.String({ default: '' }),
});

// Distributed mode: the gateway as its own process; it has no database and consumes no events.
const config = readConfig(GatewayConfig, process.env);
checkDrainFitsGrace(config.SHUTDOWN_DRAIN_MS, config.SHUTDOWN_GRACE_MS);
const instances = (urls: string) =>
  urls
    .split(',')
    .map((u) => u.trim())
    .filter(Boolean);
const identityUrls = instances(config.IDENTITY_URL);
const logger = createLogger('gateway', config.LOG_LEVEL as LogLevel);
const telemetry = startTelemetry({ env: process.env, service: 'gateway', logger });
const redis = config.RATE_LIMIT_REDIS_URL ? new Redis(config.RATE_LIMIT_REDIS_URL) : undefined;
const gateway = createGateway({
  logger,
  production: config.NODE_ENV === 'production',
  upstreamTimeoutMs: config.UPSTREAM_TIMEOUT_MS,
  upstreams: {
    order: instances(config.ORDER_URL),
    payment: instances(config.PAYMENT_URL),
    delivery: instances(config.DELIVERY_URL),
    marketing: instances(config.MARKETING_URL),
    orderStatus: instances(config.ORDER_STATUS_URL),
    identity: identityUrls,
  },
  auth: config.AUTH_DISABLED
    ? 'disabled'
    : {
        // Every identity instance publishes the same keys; with several, JWKS_URL may name a balanced address.
        jwksUrl: config.JWKS_URL || `${identityUrls[0]}/.well-known/jwks.json`,
        issuer: config.TOKEN_ISSUER,
        audience: config.TOKEN_AUDIENCE,
      },
  corsOrigins: config.CORS_ORIGINS.split(',')
    .map((o) => o.trim())
    .filter(Boolean),
  hsts: config.HSTS,
  bodyLimitBytes: config.BODY_LIMIT_BYTES,
  rateLimits: {
    perIdentity: config.RATE_LIMIT_PER_IDENTITY,
    perIp: config.RATE_LIMIT_PER_IP,
    tokenPerIp: config.RATE_LIMIT_TOKEN_PER_IP,
    windowMs: config.RATE_LIMIT_WINDOW_MS,
  },
  ...(redis ? { rateLimitRedis: redis } : {}),
});
// Fastify runs this after its own server.close(): no request is in flight any more.
gateway.app.addHook('onClose', async () => logger.info('listener closed, in-flight requests finished'));
await gateway.start();
const address = await gateway.app.listen({ port: config.PORT, host: config.HOST });
logger.info({ address }, 'gateway ready');
// The same steps, and log lines, as a service's shutdown (packages/runtime), without the consumers.
stopOnSignals(
  async () => {
    await gateway.stop();
    await redis?.quit();
    await telemetry.shutdown();
    logger.info('stores closed');
  },
  logger,
  config.SHUTDOWN_GRACE_MS,
  { ms: config.SHUTDOWN_DRAIN_MS, drain: gateway.drain },
);
