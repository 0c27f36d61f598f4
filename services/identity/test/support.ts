import { join } from 'node:path';
import { openSqlite } from '@12street/platform';
import { tempDir, testLogger } from '@12street/testkit';
import { createLocalJWKSet, jwtVerify } from 'jose';
import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import {
  createIdentityService,
  type IdentityDatabase,
  type IdentityServiceOptions,
  keysInDirectory,
} from '../src/compose.ts';

export type Cleanup = { after(fn: () => Promise<void> | void): void };

export const ISSUER = 'urn:test:identity';
export const AUDIENCE = 'urn:test:api';
/** Cheap hashing, so tests sign in quickly; the default cost is checked where it matters. */
export const FAST_HASHING = { N: 1024, r: 8, p: 1 };
export const PROBLEM = 'application/problem+json; charset=utf-8';

/** The identity service on a real SQLite file, keys in its data dir; inject() talks to it. */
export async function identity(
  t: Cleanup,
  options: Partial<IdentityServiceOptions> & { dir?: string; logger?: Logger } = {},
) {
  const dir = options.dir ?? tempDir(t);
  const db = openSqlite<IdentityDatabase>(join(dir, 'identity.db'));
  const service = createIdentityService({
    db,
    dialect: 'sqlite',
    logger: testLogger('identity'),
    keys: keysInDirectory(dir),
    issuer: ISSUER,
    audience: AUDIENCE,
    demoAccounts: true,
    passwordCost: FAST_HASHING,
    ...options,
  });
  await service.start();
  t.after(async () => {
    await service.stop();
    await db.destroy();
  });
  const form = (fields: Record<string, string>, headers: Record<string, string> = {}) =>
    service.app.inject({
      method: 'POST',
      url: '/oauth/token',
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
      payload: new URLSearchParams(fields).toString(),
    });
  const json = (body: unknown) => service.app.inject({ method: 'POST', url: '/oauth/token', payload: body as object });
  const jwks = async () => (await service.app.inject({ url: '/.well-known/jwks.json' })).json();
  /** Verifies a token the way the gateway does, against the published keys. */
  const verify = async (token: string) =>
    jwtVerify(token, createLocalJWKSet(await jwks()), {
      issuer: ISSUER,
      audience: AUDIENCE,
      algorithms: ['ES256', 'RS256'],
      typ: 'at+jwt',
    });
  return { service, db: db as Kysely<IdentityDatabase>, dir, form, json, jwks, verify };
}
