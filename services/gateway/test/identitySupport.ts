import { generateKeyPairSync } from 'node:crypto';
import { join } from 'node:path';
import { configuredKeys, createIdentityService, DEMO_ACCOUNTS } from '@12street/identity';
import { openSqlite } from '@12street/platform';
import { tempDir, testLogger } from '@12street/testkit';
import type { AuthSettings } from '../src/compose.ts';

type Cleanup = { after(fn: () => Promise<void> | void): void };

export const ISSUER = 'urn:test:identity';
export const AUDIENCE = 'urn:test:api';
/** Cheap hashing: these tests sign in often and are not about the cost of guessing. */
export const FAST_HASHING = { N: 1024, r: 8, p: 1 };

/** A fresh EC P-256 key pair as PEM, the way an operator would hand one over. */
export function newKeyPair() {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  return {
    privateKey,
    publicKey,
    privatePem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    publicPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
  };
}

/** The real identity service on its own SQLite file and port, with the demo accounts. */
export async function identityService(
  t: Cleanup,
  keys: { current: string; previous?: string },
  options: { port?: number } = {},
) {
  const db = openSqlite(join(tempDir(t), 'identity.db'));
  const service = createIdentityService({
    db: db as never,
    dialect: 'sqlite',
    logger: testLogger('identity'),
    keys: configuredKeys({ text: keys.current }, { text: keys.previous }),
    issuer: ISSUER,
    audience: AUDIENCE,
    demoAccounts: true,
    passwordCost: FAST_HASHING,
  });
  await service.start();
  const url = await service.app.listen({ port: options.port ?? 0, host: '127.0.0.1' });
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    await service.stop();
    await db.destroy();
  };
  t.after(stop);
  return { url, port: Number(new URL(url).port), stop };
}

export const authAgainst = (identityUrl: string): AuthSettings => ({
  jwksUrl: `${identityUrl}/.well-known/jwks.json`,
  issuer: ISSUER,
  audience: AUDIENCE,
  jwksCooldownMs: 0,
});

const [kim, lee, ops] = DEMO_ACCOUNTS.users;
export const DEMO = { kim, lee, ops } as Record<'kim' | 'lee' | 'ops', { username: string; password: string }>;

/** Signs in with the password grant at `baseUrl` (identity itself, or the gateway). */
export async function tokenFor(baseUrl: string, who: 'kim' | 'lee' | 'ops'): Promise<string> {
  const response = await fetch(`${baseUrl}/oauth/token`, {
    method: 'POST',
    body: new URLSearchParams({ grant_type: 'password', username: DEMO[who].username, password: DEMO[who].password }),
  });
  if (response.status !== 200) throw new Error(`sign-in as ${who} answered ${response.status}`);
  return ((await response.json()) as { access_token: string }).access_token;
}

export const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
