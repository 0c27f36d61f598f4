import assert from 'node:assert/strict';
import { test } from 'node:test';
import { eventually } from '@12street/testkit';
import { type JWTPayload, SignJWT } from 'jose';
import {
  type AuthSettings,
  fullTokenCheck,
  KeysUnavailable,
  TokenRefused,
} from '../src/adapters/http/tokenVerifier.ts';
import { rememberVerifiedTokens, type VerifiedTokensOptions } from '../src/adapters/http/verifiedTokens.ts';
import { AUDIENCE, authAgainst, bearer, ISSUER, identityService, newKeyPair, tokenFor } from './identitySupport.ts';
import { deadUrl, echoService, gatewayOver } from './support.ts';

type Cleanup = { after(fn: () => Promise<void> | void): void };

/** The real identity service's keys, tokens signed with its key, and the full check, counted. */
async function keysAndTokens(t: Cleanup) {
  const key = newKeyPair();
  const identity = await identityService(t, { current: key.privatePem });
  const jwks = (await (await fetch(`${identity.url}/.well-known/jwks.json`)).json()) as { keys: { kid: string }[] };
  const kid = jwks.keys[0]?.kid as string;
  const settings: AuthSettings = { ...authAgainst(identity.url), clockToleranceSeconds: 0 };
  const sign = (overrides: JWTPayload = {}) => {
    const now = Math.floor(Date.now() / 1000);
    const claims = { iss: ISSUER, aud: AUDIENCE, sub: 'u1', roles: ['customer'], iat: now, nbf: now, exp: now + 600 };
    return new SignJWT({ ...claims, ...overrides })
      .setProtectedHeader({ alg: 'ES256', kid, typ: 'at+jwt' })
      .sign(key.privateKey);
  };
  return { identity, settings, sign };
}

/** The gateway's token check with a memory of the given size, and the tokens that were checked in full. */
function rememberingCheck(settings: AuthSettings, options: Partial<VerifiedTokensOptions> = {}) {
  const check = fullTokenCheck(settings);
  const checked: string[] = [];
  const verify = rememberVerifiedTokens(
    (token) => {
      checked.push(token);
      return check(token);
    },
    { maxEntries: 10, maxAgeMs: 60_000, ...options },
  );
  return { verify, checked };
}

const refusal = (promise: Promise<unknown>) =>
  promise.then(
    () => undefined,
    (error: unknown) => error,
  );

test('a token that verified is answered from memory: its signature is not checked again', async (t) => {
  const { settings, sign } = await keysAndTokens(t);
  const { verify, checked } = rememberingCheck(settings);
  const token = await sign({ sub: 'u7', roles: ['ops'] });
  for (let i = 0; i < 3; i++) assert.deepEqual(await verify(token), { userId: 'u7', roles: ['ops'] });
  assert.equal(checked.length, 1);
});

test('through the gateway, many requests with one token cost one signature check', async (t) => {
  const key = newKeyPair();
  const identity = await identityService(t, { current: key.privatePem });
  const echo = await echoService(t);
  const e = echo.url;
  const { url } = await gatewayOver(
    t,
    { order: e, payment: e, delivery: e, marketing: e, orderStatus: e, identity: identity.url },
    { auth: authAgainst(identity.url) },
  );
  const token = await tokenFor(url, 'kim');
  // jose checks every ES256 signature with WebCrypto; identity only signs.
  const signatureChecks = t.mock.method(crypto.subtle, 'verify');
  for (let i = 0; i < 5; i++) assert.equal((await fetch(`${url}/orders`, { headers: bearer(token) })).status, 200);
  assert.equal(signatureChecks.mock.callCount(), 1);
  assert.equal(echo.seen.at(-1)?.headers['x-user-id'], 'u1', 'the remembered identity is the one the token proves');
});

test('a remembered token is refused once it has expired', async (t) => {
  const { settings, sign } = await keysAndTokens(t);
  const { verify, checked } = rememberingCheck(settings);
  const token = await sign({ exp: Math.floor(Date.now() / 1000) + 2 });
  await verify(token);
  await verify(token);
  assert.equal(checked.length, 1, 'remembered while valid');
  const error = await eventually(() => refusal(verify(token)), { what: 'the token refused', timeoutMs: 10_000 });
  assert.ok(error instanceof TokenRefused);
  assert.equal(error.message, 'the token has expired');
  assert.equal(checked.length, 2, 'after its exp the token was checked in full again, and refused');
});

test('a token is checked in full again after the maximum age, however late it expires', async (t) => {
  const { settings, sign } = await keysAndTokens(t);
  let now = Date.now();
  const { verify, checked } = rememberingCheck(settings, { maxAgeMs: 1000, now: () => now });
  const token = await sign({ exp: Math.floor(now / 1000) + 3600 });
  await verify(token);
  now += 999;
  await verify(token);
  assert.equal(checked.length, 1);
  now += 1;
  await verify(token);
  assert.equal(checked.length, 2);
});

test('no token reaches another one’s entry: each is checked on its own, a tampered copy is refused', async (t) => {
  const { settings, sign } = await keysAndTokens(t);
  const { verify, checked } = rememberingCheck(settings);
  const customer = await sign({ sub: 'u1', roles: ['customer'] });
  const ops = await sign({ sub: 'u2', roles: ['ops'] });
  const sameClaims = await sign({ sub: 'u1', roles: ['customer'] }); // ES256 signatures differ each time
  assert.deepEqual(await verify(customer), { userId: 'u1', roles: ['customer'] });
  assert.deepEqual(await verify(ops), { userId: 'u2', roles: ['ops'] });
  assert.deepEqual(await verify(sameClaims), { userId: 'u1', roles: ['customer'] });
  assert.deepEqual(checked, [customer, ops, sameClaims]);

  const [header, payload, signature = ''] = customer.split('.');
  const flipped = signature[20] === 'A' ? 'B' : 'A';
  const tamperedSignature = `${header}.${payload}.${signature.slice(0, 20)}${flipped}${signature.slice(21)}`;
  const opsPayload = ops.split('.')[1];
  const borrowedSignature = `${header}.${opsPayload}.${signature}`;
  for (const forged of [tamperedSignature, borrowedSignature, `${customer}x`]) {
    const error = await refusal(verify(forged));
    assert.ok(error instanceof TokenRefused, forged);
  }
  assert.deepEqual(await verify(customer), { userId: 'u1', roles: ['customer'] }, 'the genuine one is still known');
  assert.equal(checked.length, 6, 'each forged token was checked in full, the genuine one was not');
});

test('refusals are never remembered: a refused token is checked in full each time', async (t) => {
  const { settings, sign } = await keysAndTokens(t);
  const { verify, checked } = rememberingCheck(settings);
  const stranger = newKeyPair();
  const forged = await new SignJWT({ sub: 'u1' })
    .setProtectedHeader({ alg: 'ES256', typ: 'at+jwt' })
    .sign(stranger.privateKey);
  const expired = await sign({ iat: 1, nbf: 1, exp: 2 });
  for (const token of [forged, forged, expired, expired]) {
    assert.ok((await refusal(verify(token))) instanceof TokenRefused);
  }
  assert.equal(checked.length, 4);

  const unreachable = rememberingCheck(authAgainst(await deadUrl()));
  const token = await sign();
  for (let i = 0; i < 2; i++) assert.ok((await refusal(unreachable.verify(token))) instanceof KeysUnavailable);
  assert.equal(unreachable.checked.length, 2, 'keys that could not be fetched are asked for again');
});

test('when full, the least recently used token is forgotten first', async (t) => {
  const { settings, sign } = await keysAndTokens(t);
  const { verify, checked } = rememberingCheck(settings, { maxEntries: 2 });
  const [a, b, c] = [await sign({ sub: 'a' }), await sign({ sub: 'b' }), await sign({ sub: 'c' })];
  for (const token of [a, b, a, c, a, b]) await verify(token);
  assert.deepEqual(checked, [a, b, c, b], 'c pushed out b, the one unused the longest; a stayed');
});
