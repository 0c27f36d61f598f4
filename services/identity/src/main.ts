import { readFileSync } from 'node:fs';
import { DEFAULT_PORTS } from '@12street/contracts';
import {
  createLogger,
  type LogLevel,
  openDatabase,
  readConfig,
  startTelemetry,
  stopOnSignals,
} from '@12street/platform';
import Type from 'typebox';
import { configuredKeys, createIdentityService, type IdentityDatabase } from './compose.ts';

const optional = Type.String({ default: '' });
const IdentityConfig = Type.Object({
  PORT: Type.Integer({ minimum: 0, maximum: 65535, default: DEFAULT_PORTS.identity }),
  HOST: Type.String({ default: '0.0.0.0' }),
  LOG_LEVEL: Type.String({ default: 'info' }),
  SHUTDOWN_GRACE_MS: Type.Integer({ minimum: 1000, default: 20_000 }),
  DATABASE_URL: Type.String({ minLength: 1 }),
  TOKEN_ISSUER: Type.String({ minLength: 1, default: 'urn:12street:identity' }),
  TOKEN_AUDIENCE: Type.String({ minLength: 1, default: 'urn:12street:api' }),
  TOKEN_TTL_SECONDS: Type.Integer({ minimum: 60, maximum: 3600, default: 900 }),
  /** The key that signs (PEM or JWK), or a file holding it; the previous one stays published. */
  SIGNING_KEY: optional,
  SIGNING_KEY_FILE: optional,
  PREVIOUS_SIGNING_KEY: optional,
  PREVIOUS_SIGNING_KEY_FILE: optional,
  /** A machine client with the ops role, made sure of at start; its secret from the env or a file. */
  OPS_CLIENT_ID: optional,
  OPS_CLIENT_SECRET: optional,
  OPS_CLIENT_SECRET_FILE: optional,
});

// Distributed mode: identity as its own process on its own database; it takes part in no events.
const config = readConfig(IdentityConfig, process.env);
const logger = createLogger('identity', config.LOG_LEVEL as LogLevel);
const telemetry = startTelemetry({ env: process.env, service: 'identity', logger });
const { db, dialect } = openDatabase<IdentityDatabase>(config.DATABASE_URL);
const opsSecret = config.OPS_CLIENT_SECRET_FILE
  ? readFileSync(config.OPS_CLIENT_SECRET_FILE, 'utf8').trim()
  : config.OPS_CLIENT_SECRET;
if (config.OPS_CLIENT_ID && opsSecret.length < 16) {
  throw new Error('OPS_CLIENT_SECRET (or its file) must hold at least 16 characters');
}
const identity = createIdentityService({
  db,
  dialect,
  logger,
  issuer: config.TOKEN_ISSUER,
  audience: config.TOKEN_AUDIENCE,
  tokenTtlSeconds: config.TOKEN_TTL_SECONDS,
  keys: configuredKeys(
    { text: config.SIGNING_KEY, file: config.SIGNING_KEY_FILE },
    { text: config.PREVIOUS_SIGNING_KEY, file: config.PREVIOUS_SIGNING_KEY_FILE },
  ),
  clients: config.OPS_CLIENT_ID ? [{ clientId: config.OPS_CLIENT_ID, secret: opsSecret, roles: ['ops'] }] : [],
});
await identity.start();
const address = await identity.app.listen({ port: config.PORT, host: config.HOST });
logger.info({ address }, 'identity ready');
stopOnSignals(
  async () => {
    await identity.stop();
    await db.destroy();
    await telemetry.shutdown();
  },
  logger,
  config.SHUTDOWN_GRACE_MS,
);
