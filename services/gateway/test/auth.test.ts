import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { test } from 'node:test';
import { type JWTPayload, SignJWT } from 'jose';
import { AUDIENCE, authAgainst, bearer, ISSUER, identityService, newKeyPair, tokenFor } from './identitySupport.ts';
import { deadUrl, echoService, gatewayOver } from './support.ts';

const PROBLEM = 'application/problem+json; charset=utf-8';

async function guarded(t: { after(fn: () => Promise<void> | void): void }) {
  const key = newKeyPair();
  const identity = await identityService(t, { current: key.privatePem });
  const echo = await echoService(t);
  const e = echo.url;
  const { url } = await gatewayOver(
    t,
    { order: e, payment: e, delivery: e, marketing: e, orderStatus: e, identity: identity.url },
    { auth: authAgainst(identity.url) },
  );
  const kid = ((await (await fetch(`${identity.url}/.well-known/jwks.json`)).json()) as { keys: { kid: string }[] })
    .keys[0]?.kid as string;
  return { key, kid, identity, echo, url };
}

const claims = (overrides: JWTPayload = {}): JWTPayload => {
  const now = Math.floor(Date.now() / 1000);
  return {
    iss: ISSUER,
    aud: AUDIENCE,
    sub: 'u1',
    roles: ['customer'],
    iat: now,
    nbf: now,
    exp: now + 600,
    ...overrides,
  };
};

const b64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

test('without a token only the public routes answer; the rest is 401 with a Bearer challenge', async (t) => {
  const { echo, url } = await guarded(t);
  for (const path of ['/orders', '/orderStatus/1', '/payments', '/stockDeliveries', '/promotes']) {
    const reply = await fetch(`${url}${path}`);
    assert.equal(reply.status, 401, path);
    assert.equal(reply.headers.get('content-type'), PROBLEM);
    assert.equal(reply.headers.get('www-authenticate'), 'Bearer realm="12street"');
    assert.equal(((await reply.json()) as { status: number }).status, 401);
  }
  assert.equal(echo.seen.length, 0, 'nothing reached a service');
  for (const path of ['/openapi.json', '/.well-known/jwks.json', '/health/live']) {
    assert.equal((await fetch(`${url}${path}`)).status, 200, path);
  }
  assert.equal(typeof (await tokenFor(url, 'kim')), 'string', 'the token endpoint is reached through the gateway');
});

test('a valid token reaches the service with the identity it proves; identity headers a client sends are dropped', async (t) => {
  const { echo, url } = await guarded(t);
  const token = await tokenFor(url, 'kim');
  const reply = await fetch(`${url}/orders`, {
    headers: { ...bearer(token), 'x-user-id': 'u2', 'x-user-roles': 'ops' },
  });
  assert.equal(reply.status, 200);
  const seen = echo.seen.at(-1)?.headers ?? {};
  assert.equal(seen['x-user-id'], 'u1');
  assert.equal(seen['x-user-roles'], 'customer');
  assert.equal(seen.authorization, undefined, 'the token stays at the gateway');
});

test('forged, tampered and unacceptable tokens are refused with 401 invalid_token', async (t) => {
  const { key, kid, echo, url } = await guarded(t);
  const sign = (payload: JWTPayload, header: Record<string, unknown> = {}, signingKey = key.privateKey) =>
    new SignJWT(payload).setProtectedHeader({ alg: 'ES256', kid, typ: 'at+jwt', ...header }).sign(signingKey);
  const hmac = (payload: JWTPayload, secret: string) => {
    const signed = `${b64url({ alg: 'HS256', kid, typ: 'at+jwt' })}.${b64url(payload)}`;
    return `${signed}.${createHmac('sha256', secret).update(signed).digest('base64url')}`;
  };
  const genuine = await tokenFor(url, 'kim');
  const [header, , signature] = genuine.split('.');
  const stranger = newKeyPair();
  const now = Math.floor(Date.now() / 1000);

  /** Each attack, and the reason the gateway must give for refusing it. */
  const attacks: Record<string, [Promise<string> | string, RegExp]> = {
    'alg none': [`${b64url({ alg: 'none', typ: 'at+jwt' })}.${b64url(claims({ roles: ['ops'] }))}.`, /algorithm/],
    'HS256 keyed with the public key (PEM)': [hmac(claims({ roles: ['ops'] }), key.publicPem), /algorithm/],
    'HS256 keyed with the public key (JWK)': [
      hmac(claims({ roles: ['ops'] }), JSON.stringify(key.publicKey.export({ format: 'jwk' }))),
      /algorithm/,
    ],
    expired: [sign(claims({ iat: now - 7200, nbf: now - 7200, exp: now - 3600 })), /expired/],
    'not yet valid': [sign(claims({ nbf: now + 3600, exp: now + 7200 })), /'nbf'/],
    'wrong issuer': [sign(claims({ iss: 'urn:someone:else' })), /'iss'/],
    'wrong audience': [sign(claims({ aud: 'urn:another:api' })), /'aud'/],
    'unknown kid': [sign(claims(), { kid: 'no-such-key' }, stranger.privateKey), /unknown key/],
    'signed by a stranger with our kid': [sign(claims(), {}, stranger.privateKey), /signature/],
    'tampered payload': [`${header}.${b64url({ ...claims(), sub: 'u2', roles: ['ops'] })}.${signature}`, /signature/],
    'not an access token (typ)': [sign(claims(), { typ: 'JWT' }), /'typ'/],
    'no expiry': [
      new SignJWT({ ...claims(), exp: undefined })
        .setProtectedHeader({ alg: 'ES256', kid, typ: 'at+jwt' })
        .sign(key.privateKey),
      /'exp'/,
    ],
    'not a JWT at all': ['abc.def.ghi', /malformed/],
  };
  for (const [attack, [token, reason]] of Object.entries(attacks)) {
    const reply = await fetch(`${url}/payments`, { headers: bearer(await token) });
    assert.equal(reply.status, 401, attack);
    assert.equal(reply.headers.get('content-type'), PROBLEM, attack);
    const challenge = reply.headers.get('www-authenticate') ?? '';
    assert.match(challenge, /^Bearer realm="12street", error="invalid_token"/, attack);
    assert.match(challenge, reason, attack);
  }
  assert.equal(echo.seen.length, 0, 'no forged request reached a service');
  assert.equal((await fetch(`${url}/orders`, { headers: bearer(genuine) })).status, 200, 'the genuine one passes');
});

test('roles decide the routes: customers reach orders and their status, only ops the rest (403 otherwise)', async (t) => {
  const { key, kid, echo, url } = await guarded(t);
  const kim = await tokenFor(url, 'kim');
  const ops = await tokenFor(url, 'ops');
  for (const path of ['/payments', '/payments/1', '/stockDeliveries', '/promotes/search/findByOrderId?orderId=1']) {
    const reply = await fetch(`${url}${path}`, { headers: bearer(kim) });
    assert.equal(reply.status, 403, path);
    assert.equal(reply.headers.get('content-type'), PROBLEM);
    assert.match(reply.headers.get('www-authenticate') ?? '', /error="insufficient_scope"/);
  }
  assert.equal(echo.seen.length, 0);
  for (const path of ['/orders', '/orderStatus/3']) {
    assert.equal((await fetch(`${url}${path}`, { headers: bearer(kim) })).status, 200, path);
  }
  for (const path of ['/payments', '/stockDeliveries', '/orders', '/orderStatus']) {
    assert.equal((await fetch(`${url}${path}`, { headers: bearer(ops) })).status, 200, path);
  }
  const roleless = await new SignJWT(claims({ roles: ['admin'] }))
    .setProtectedHeader({ alg: 'ES256', kid, typ: 'at+jwt' })
    .sign(key.privateKey);
  assert.equal(
    (await fetch(`${url}/orders`, { headers: bearer(roleless) })).status,
    403,
    'unknown roles give no rights',
  );
});

test('when the keys cannot be fetched, a token gets 503 with Retry-After, not 401', async (t) => {
  const echo = await echoService(t);
  const down = await deadUrl();
  const e = echo.url;
  const { url } = await gatewayOver(
    t,
    { order: e, payment: e, delivery: e, marketing: e, orderStatus: e, identity: down },
    { auth: authAgainst(down) },
  );
  const key = newKeyPair();
  const token = await new SignJWT(claims()).setProtectedHeader({ alg: 'ES256', typ: 'at+jwt' }).sign(key.privateKey);
  const reply = await fetch(`${url}/orders`, { headers: bearer(token) });
  assert.equal(reply.status, 503);
  assert.equal(reply.headers.get('retry-after'), '5');
  assert.equal(echo.seen.length, 0);
});
