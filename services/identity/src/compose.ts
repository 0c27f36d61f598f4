import { randomUUID } from 'node:crypto';
import {
  type Clock,
  createHttpApp,
  HttpProblem,
  installMetrics,
  migrateToLatest,
  type NewId,
  type RunnableService,
  type SqlDialect,
  serviceMetrics,
  transactor,
} from '@12street/platform';
import { type Kysely, sql } from 'kysely';
import type { Logger } from 'pino';
import { oauthProblem } from './adapters/http/tokenRequest.ts';
import { tokenRoutes } from './adapters/http/tokenRoutes.ts';
import type { KeyRing } from './adapters/keys/keyRing.ts';
import { signAccessToken } from './adapters/keys/signAccessToken.ts';
import { accountQueries, accountStore, type IdentityDatabase } from './adapters/persistence/accountStore.ts';
import { identityMigrations } from './adapters/persistence/migrations.ts';
import { type ScryptCost, scryptHasher } from './adapters/secrets/scryptHasher.ts';
import { issueClientToken } from './application/issueClientToken.ts';
import { issueUserToken } from './application/issueUserToken.ts';
import { provisionClient } from './application/provisionClient.ts';
import { seedDemoAccounts } from './application/seedDemoAccounts.ts';
import { InvalidClient, InvalidGrant, type Role } from './domain/account.ts';

export { configuredKeys, type KeySource } from './adapters/keys/configuredKeys.ts';
export type { KeyRing, PublishedKey } from './adapters/keys/keyRing.ts';
export { keysInDirectory } from './adapters/keys/storedKeys.ts';
export type { IdentityDatabase } from './adapters/persistence/accountStore.ts';
export { DEFAULT_SCRYPT_COST, type ScryptCost } from './adapters/secrets/scryptHasher.ts';
export { DEMO_ACCOUNTS } from './application/seedDemoAccounts.ts';
export type { Role } from './domain/account.ts';

export type IdentityServiceOptions = {
  db: Kysely<IdentityDatabase>;
  dialect: SqlDialect;
  logger: Logger;
  clock?: Clock;
  newId?: NewId;
  /** Loads the signing keys at start: from files or the environment, or the data dir in embedded mode. */
  keys: () => Promise<KeyRing>;
  /** `iss` and `aud` of every token; the gateway checks both. */
  issuer: string;
  audience: string;
  /** How long an access token is good for (default 15 minutes). */
  tokenTtlSeconds?: number;
  passwordCost?: ScryptCost;
  /** Creates DEMO_ACCOUNTS on the first start of an empty store; for embedded mode, never production. */
  demoAccounts?: boolean;
  /** Machine clients made sure of at start, their secrets from the environment or files. */
  clients?: readonly { clientId: string; secret: string; roles: Role[] }[];
};

/**
 * The identity service: accounts with scrypt-hashed secrets, an OAuth 2.0 token endpoint issuing
 * short-lived ES256 (or RS256) JWTs, and the JWKS that verifies them. It publishes no events.
 */
export function createIdentityService(options: IdentityServiceOptions): RunnableService {
  const { db, logger } = options;
  const clock = options.clock ?? (() => new Date());
  let keyRing: KeyRing | undefined;
  const keys = () => {
    if (!keyRing) throw new HttpProblem(503, 'Service Unavailable', 'the signing keys are not loaded yet');
    return keyRing;
  };
  const secrets = scryptHasher(options.passwordCost);
  const tokenDeps = {
    accounts: accountQueries(db),
    secrets,
    signToken: signAccessToken(keys),
    policy: { issuer: options.issuer, audience: options.audience, ttlSeconds: options.tokenTtlSeconds ?? 15 * 60 },
    clock,
    newId: options.newId ?? randomUUID,
  };
  const setup = { inTransaction: transactor(db), store: accountStore(clock), secrets };

  const readinessChecks = new Map<string, () => Promise<boolean> | boolean>([['keys', () => keyRing !== undefined]]);
  const app = createHttpApp({
    logger,
    readiness: async () => {
      const database = await sql`select 1`.execute(db).then(
        () => true,
        () => false,
      );
      const results: Record<string, boolean> = { database };
      for (const [name, check] of readinessChecks) results[name] = await Promise.resolve(check()).catch(() => false);
      return results;
    },
    mapDomainError,
  });
  const metrics = serviceMetrics('identity');
  installMetrics(app, metrics);
  tokenRoutes(app, {
    issueUserToken: issueUserToken(tokenDeps),
    issueClientToken: issueClientToken(tokenDeps),
    publishedKeys: () => keys().published,
  });

  return {
    name: 'identity',
    app,
    metrics,
    addReadinessCheck: (name, check) => void readinessChecks.set(name, check),
    async start() {
      await migrateToLatest(db as Kysely<unknown>, options.dialect, identityMigrations);
      keyRing = await options.keys();
      logger.info({ kids: keyRing.published.map((k) => k.kid), signing: keyRing.signing.kid }, 'signing keys loaded');
      for (const { secret, ...client } of options.clients ?? []) await provisionClient(setup)(client, secret);
      if (options.demoAccounts && (await seedDemoAccounts(setup)())) {
        logger.warn('demo accounts created (their passwords are public: for trying the system out only)');
      }
    },
    async stop() {
      await app.close();
    },
  };
}

function mapDomainError(e: unknown): HttpProblem | undefined {
  if (e instanceof InvalidGrant) return oauthProblem(400, 'invalid_grant', e.message);
  if (e instanceof InvalidClient) {
    const problem = oauthProblem(401, 'invalid_client', e.message);
    problem.headers['www-authenticate'] = 'Basic realm="12street", charset="UTF-8"';
    return problem;
  }
  return undefined;
}
