import { resolve } from 'node:path';
import { DEFAULT_GRPC_PORTS } from '@12street/contracts';
import { InsecureConfiguration } from '@12street/gateway';
import { DEMO_ACCOUNTS } from '@12street/identity';
import { createLogger, readConfig, startTelemetry, stopOnSignals } from '@12street/platform';
import Type from 'typebox';
import { EMBEDDED_PORTS, startEmbeddedSystem } from './system.ts';

const Port = (fallback: number) => Type.Integer({ minimum: 0, maximum: 65535, default: fallback });
const EmbeddedConfig = Type.Object({
  DATA_DIR: Type.String({ default: './data' }),
  HOST: Type.String({ default: '127.0.0.1' }),
  LOG_LEVEL: Type.Union(
    ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].map((l) => Type.Literal(l)),
    { default: 'info' },
  ),
  GATEWAY_PORT: Port(EMBEDDED_PORTS.gateway),
  ORDER_PORT: Port(EMBEDDED_PORTS.order),
  PAYMENT_PORT: Port(EMBEDDED_PORTS.payment),
  DELIVERY_PORT: Port(EMBEDDED_PORTS.delivery),
  MARKETING_PORT: Port(EMBEDDED_PORTS.marketing),
  ORDER_STATUS_PORT: Port(EMBEDDED_PORTS.orderStatus),
  IDENTITY_PORT: Port(EMBEDDED_PORTS.identity),
  ORDER_GRPC_PORT: Port(DEFAULT_GRPC_PORTS.order),
  NODE_ENV: Type.String({ default: 'development' }),
  AUTH_DISABLED: Type.Boolean({ default: false }),
  CORS_ORIGINS: Type.String({ default: '' }),
  HSTS: Type.Boolean({ default: false }),
  TOKEN_TTL_SECONDS: Type.Integer({ minimum: 60, maximum: 3600, default: 900 }),
  RATE_LIMIT_PER_IDENTITY: Type.Integer({ minimum: 1, default: 600 }),
  RATE_LIMIT_PER_IP: Type.Integer({ minimum: 1, default: 300 }),
  RATE_LIMIT_TOKEN_PER_IP: Type.Integer({ minimum: 1, default: 30 }),
});

const config = readConfig(EmbeddedConfig, process.env);
// No service name here: each service's logger adds its own.
const logger = createLogger(undefined, config.LOG_LEVEL as 'info');
// One tracer provider for the whole process; each service's spans still carry its own name.
const telemetry = startTelemetry({ env: process.env, logger });
const dataDir = resolve(config.DATA_DIR);
const system = await startEmbeddedSystem({
  dataDir,
  logger,
  host: config.HOST,
  ports: {
    gateway: config.GATEWAY_PORT,
    order: config.ORDER_PORT,
    payment: config.PAYMENT_PORT,
    delivery: config.DELIVERY_PORT,
    marketing: config.MARKETING_PORT,
    orderStatus: config.ORDER_STATUS_PORT,
    identity: config.IDENTITY_PORT,
  },
  orderGrpcPort: config.ORDER_GRPC_PORT,
  security: {
    authDisabled: config.AUTH_DISABLED,
    production: config.NODE_ENV === 'production',
    corsOrigins: config.CORS_ORIGINS.split(',')
      .map((o) => o.trim())
      .filter(Boolean),
    hsts: config.HSTS,
    tokenTtlSeconds: config.TOKEN_TTL_SECONDS,
    rateLimits: {
      perIdentity: config.RATE_LIMIT_PER_IDENTITY,
      perIp: config.RATE_LIMIT_PER_IP,
      tokenPerIp: config.RATE_LIMIT_TOKEN_PER_IP,
    },
  },
}).catch((error: unknown) => {
  if (!(error instanceof InsecureConfiguration)) throw error;
  logger.fatal(error.message);
  process.exit(1);
});

const u = system.urls;
const [kim] = DEMO_ACCOUNTS.users;
const [opsClient] = DEMO_ACCOUNTS.clients;
const tokenHelp = config.AUTH_DISABLED
  ? `AUTH_DISABLED: the gateway checks no tokens (never do this outside your own machine).`
  : config.NODE_ENV === 'production'
    ? `Tokens: POST ${u.gateway}/oauth/token (no demo accounts in production).`
    : `Get a token (demo accounts, embedded mode only: ${DEMO_ACCOUNTS.users.map((a) => `${a.username}/${a.password}`).join(', ')};
machine client ${opsClient?.clientId}/${opsClient?.secret}), valid for ${config.TOKEN_TTL_SECONDS / 60} minutes:

      TOKEN=$(curl -s ${u.gateway}/oauth/token -d grant_type=password -d username=${kim?.username} -d password=${kim?.password} \\
        | node -pe 'JSON.parse(require("fs").readFileSync(0)).access_token')`;
process.stdout.write(`
12street is running (embedded mode: one process, SQLite files in ${dataDir}, in-process events)

  gateway        ${u.gateway}   ← use this: /orders /payments /stockDeliveries /promotes /orderStatus
  identity       ${u.identity}   (POST /oauth/token and /.well-known/jwks.json, also through the gateway)
  order          ${u.order}
  payment        ${u.payment}
  delivery       ${u.delivery}
  marketing      ${u.marketing}
  order-status   ${u.orderStatus}
  OpenAPI        ${u.gateway}/openapi.json

${tokenHelp}

Try:  curl -s -X POST ${u.gateway}/orders -H "authorization: Bearer $TOKEN" -H 'content-type: application/json' \\
        -d '{"productId":1,"productName":"TV","productPrice":10000,"qty":1,"userId":"${kim?.userId}","username":"${kim?.username}","address":"Seoul","phoneNo":"010-1234-5678"}'
      curl -s ${u.gateway}/orderStatus -H "authorization: Bearer $TOKEN"
Stop: Ctrl-C
`);
stopOnSignals(async () => {
  await system.stop();
  await telemetry.shutdown();
}, logger);
