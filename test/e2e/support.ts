import { type EmbeddedOptions, type EmbeddedSystem, startEmbeddedSystem } from '@12street/embedded';
import { DEMO_ACCOUNTS } from '@12street/identity';
import { tempDir, testLogger } from '@12street/testkit';

/** Breakers and workers tuned so failure scenarios play out in seconds, not minutes. */
export const FAST_BREAKER = { timeoutMs: 300, failureRatio: 0.5, windowSize: 6, minimumCalls: 6, halfOpenAfterMs: 300 };

/**
 * Cheap password hashing, and rate limits no test reaches by polling: both are about other things
 * here (the limits and the hashing have tests of their own).
 */
export const TEST_SECURITY = {
  passwordCost: { N: 1024, r: 8, p: 1 },
  rateLimits: { perIdentity: 1_000_000, perIp: 1_000_000, tokenPerIp: 1_000_000 },
};

export async function startSystem(
  t: { after(fn: () => Promise<void> | void): void },
  overrides: Partial<EmbeddedOptions> = {},
): Promise<EmbeddedSystem> {
  const system = await startEmbeddedSystem({
    dataDir: tempDir(t),
    logger: testLogger('e2e'),
    ports: { gateway: 0, order: 0, payment: 0, delivery: 0, marketing: 0, orderStatus: 0, identity: 0 },
    orderGrpcPort: 0,
    paymentBreaker: FAST_BREAKER,
    marketingBreaker: FAST_BREAKER,
    workerIntervalMs: 100,
    couponBackoff: { baseMs: 50, maxMs: 300 },
    ...overrides,
    security: { ...TEST_SECURITY, ...overrides.security },
  });
  t.after(() => system.stop());
  return system;
}

// biome-ignore lint/suspicious/noExplicitAny: tests read JSON documents field by field.
export type Json = any;
export type Reply = { status: number; headers: Headers; body: Json };

export type DemoUser = 'kim' | 'lee' | 'ops';

/** Signs in through the gateway as one of the demo accounts; returns the access token. */
export async function signIn(baseUrl: string, who: DemoUser): Promise<string> {
  const account = DEMO_ACCOUNTS.users.find((u) => u.username === who);
  const response = await fetch(`${baseUrl}/oauth/token`, {
    method: 'POST',
    body: new URLSearchParams({ grant_type: 'password', username: who, password: account?.password ?? '' }),
  });
  if (response.status !== 200) throw new Error(`signing in as ${who} answered ${response.status}`);
  return ((await response.json()) as { access_token: string }).access_token;
}

/** The gateway's client for an ops user, who may see and do everything. */
export const opsClient = async (system: EmbeddedSystem) =>
  client(system.urls.gateway, await signIn(system.urls.gateway, 'ops'));

/** A small client for the gateway, as the original's users called it with httpie (plus a token). */
export function client(baseUrl: string, token?: string) {
  const call = async (method: string, path: string, body?: unknown): Promise<Reply> => {
    const response = await fetch(`${baseUrl}${path}`, {
      method,
      headers: {
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? null : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : undefined };
  };
  return {
    get: (path: string) => call('GET', path),
    post: (path: string, body?: unknown) => call('POST', path, body),
    patch: (path: string, body: unknown) => call('PATCH', path, body),
    /** Every item of a HAL collection, across pages. */
    async all(path: string, rel: string): Promise<Json[]> {
      const reply = await call('GET', `${path}?size=1000`);
      if (reply.status !== 200) throw new Error(`GET ${path} answered ${reply.status}`);
      return reply.body._embedded[rel];
    },
  };
}
