import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { GatewayOptions } from '../src/compose.ts';
import { authAgainst, bearer, identityService, newKeyPair, tokenFor } from './identitySupport.ts';
import { echoService, gatewayOver } from './support.ts';

const PROBLEM = 'application/problem+json; charset=utf-8';
type Cleanup = { after(fn: () => Promise<void> | void): void };

async function edge(t: Cleanup, settings: Partial<GatewayOptions> = {}) {
  const identity = await identityService(t, { current: newKeyPair().privatePem });
  const echo = await echoService(t);
  const e = echo.url;
  const { url } = await gatewayOver(
    t,
    { order: e, payment: e, delivery: e, marketing: e, orderStatus: e, identity: identity.url },
    { auth: authAgainst(identity.url), ...settings },
  );
  return { identity, echo, url };
}

async function assertTooMany(reply: Response, what: string) {
  assert.equal(reply.status, 429, what);
  assert.equal(reply.headers.get('content-type'), PROBLEM);
  const retryAfter = Number(reply.headers.get('retry-after'));
  assert.ok(Number.isInteger(retryAfter) && retryAfter >= 1 && retryAfter <= 60, `Retry-After ${retryAfter}`);
  assert.equal(((await reply.json()) as { status: number }).status, 429);
}

test('the (N+1)th request in a window gets 429 with Retry-After: per identity, per address, and at the token endpoint', async (t) => {
  const { identity, echo, url } = await edge(t, {
    rateLimits: { perIdentity: 3, perIp: 2, tokenPerIp: 2, windowMs: 60_000 },
  });
  // Tokens straight from identity, so the gateway's token endpoint budget is left alone.
  const kim = await tokenFor(identity.url, 'kim');
  const lee = await tokenFor(identity.url, 'lee');
  for (let i = 0; i < 3; i++) assert.equal((await fetch(`${url}/orders`, { headers: bearer(kim) })).status, 200);
  await assertTooMany(await fetch(`${url}/orders`, { headers: bearer(kim) }), "kim's 4th");
  assert.equal(echo.seen.length, 3, 'the refused request did not reach the service');
  assert.equal((await fetch(`${url}/orders`, { headers: bearer(lee) })).status, 200, 'lee has a budget of her own');

  // Without a valid token the address is counted, so bad tokens cannot be tried without end.
  for (let i = 0; i < 2; i++) assert.equal((await fetch(`${url}/orders`, { headers: bearer('x.y.z') })).status, 401);
  await assertTooMany(await fetch(`${url}/orders`), 'the 3rd anonymous request');

  const signIn = () =>
    fetch(`${url}/oauth/token`, {
      method: 'POST',
      body: new URLSearchParams({ grant_type: 'password', username: 'kim', password: 'guess' }),
    });
  for (let i = 0; i < 2; i++) assert.equal((await signIn()).status, 400);
  await assertTooMany(await signIn(), 'the 3rd password guess');
});

test('CORS answers only the configured origins, never with credentials', async (t) => {
  const { url } = await edge(t, { corsOrigins: ['https://shop.example'] });
  const preflight = (origin: string) =>
    fetch(`${url}/orders`, {
      method: 'OPTIONS',
      headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization' },
    });
  const allowed = await preflight('https://shop.example');
  assert.equal(allowed.status, 204, 'a preflight needs no token');
  assert.equal(allowed.headers.get('access-control-allow-origin'), 'https://shop.example');
  assert.match(allowed.headers.get('access-control-allow-headers') ?? '', /authorization/);
  assert.equal(allowed.headers.get('access-control-allow-credentials'), null);
  const other = await preflight('https://evil.example');
  assert.equal(other.headers.get('access-control-allow-origin'), null);

  const { url: closed } = await edge(t);
  const none = await fetch(`${closed}/openapi.json`, { headers: { origin: 'https://shop.example' } });
  assert.equal(none.headers.get('access-control-allow-origin'), null, 'no origins configured, none allowed');
});

test('answers carry security headers fit for an API; HSTS when asked for', async (t) => {
  const { url } = await edge(t);
  for (const path of ['/openapi.json', '/orders', '/nothing']) {
    const reply = await fetch(`${url}${path}`);
    assert.equal(reply.headers.get('x-content-type-options'), 'nosniff', path);
    assert.equal(reply.headers.get('x-frame-options'), 'DENY', path);
    assert.equal(reply.headers.get('content-security-policy'), "default-src 'none';frame-ancestors 'none'", path);
    assert.equal(reply.headers.get('strict-transport-security'), null, path);
  }
  const { url: https } = await edge(t, { hsts: true });
  assert.match((await fetch(`${https}/openapi.json`)).headers.get('strict-transport-security') ?? '', /max-age=\d+/);
});

test('a body over the limit is refused with 413 before it reaches a service, however it is sent', async (t) => {
  const { identity, echo, url } = await edge(t, { bodyLimitBytes: 1024 });
  const token = await tokenFor(identity.url, 'ops');
  const headers = { ...bearer(token), 'content-type': 'application/json' };
  const big = JSON.stringify({ productName: 'x'.repeat(2000) });

  const declared = await fetch(`${url}/payments`, { method: 'POST', headers, body: big });
  assert.equal(declared.status, 413);
  assert.equal(declared.headers.get('content-type'), PROBLEM);

  const chunked = await fetch(`${url}/payments`, {
    method: 'POST',
    headers,
    body: new Blob([big]).stream(),
    duplex: 'half',
  } as RequestInit);
  assert.equal(chunked.status, 413, 'a chunked body is counted as it arrives');
  assert.equal(echo.seen.length, 0);

  const small = await fetch(`${url}/payments`, { method: 'POST', headers, body: '{"productName":"TV"}' });
  assert.equal(small.status, 200);
  assert.deepEqual(echo.seen.at(-1)?.body, { productName: 'TV' }, 'a body within the limit travels on whole');
  const smallChunked = await fetch(`${url}/payments`, {
    method: 'POST',
    headers,
    body: new Blob(['{"productName":"Radio"}']).stream(),
    duplex: 'half',
  } as RequestInit);
  assert.equal(smallChunked.status, 200);
  assert.deepEqual(echo.seen.at(-1)?.body, { productName: 'Radio' });
});
