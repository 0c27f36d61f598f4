import assert from 'node:assert/strict';
import { test } from 'node:test';
import { authAgainst, bearer, identityService, newKeyPair, tokenFor } from './identitySupport.ts';
import { echoService, gatewayOver } from './support.ts';

type Jwks = { keys: { kid: string }[] };

test('rotating keys: a token signed by the previous key verifies while both are published, and not after', async (t) => {
  const [a, b, c] = [newKeyPair(), newKeyPair(), newKeyPair()];
  const echo = await echoService(t);
  const e = echo.url;

  const first = await identityService(t, { current: a.privatePem });
  const { url } = await gatewayOver(
    t,
    { order: e, payment: e, delivery: e, marketing: e, orderStatus: e, identity: first.url },
    { auth: authAgainst(first.url) },
  );
  const signedByA = await tokenFor(first.url, 'kim');
  assert.equal((await fetch(`${url}/orders`, { headers: bearer(signedByA) })).status, 200);

  // Rotation: B signs now, A stays published. The gateway learns B when it first sees it.
  await first.stop();
  const second = await identityService(t, { current: b.privatePem, previous: a.privatePem }, { port: first.port });
  const published = (await (await fetch(`${second.url}/.well-known/jwks.json`)).json()) as Jwks;
  assert.equal(published.keys.length, 2, 'both keys are published');
  const signedByB = await tokenFor(second.url, 'kim');
  assert.notEqual(signedByB.split('.')[0], signedByA.split('.')[0], 'a different key signs');
  assert.equal((await fetch(`${url}/orders`, { headers: bearer(signedByB) })).status, 200, 'the new key verifies');
  assert.equal(
    (await fetch(`${url}/orders`, { headers: bearer(signedByA) })).status,
    200,
    'the previous one still does',
  );

  // The next rotation drops A: its tokens are refused from then on, though the gateway remembers
  // signedByA as verified (its key is gone from the key set fetched for C).
  await second.stop();
  const third = await identityService(t, { current: c.privatePem, previous: b.privatePem }, { port: first.port });
  const signedByC = await tokenFor(third.url, 'kim');
  assert.equal((await fetch(`${url}/orders`, { headers: bearer(signedByC) })).status, 200);
  assert.equal((await fetch(`${url}/orders`, { headers: bearer(signedByB) })).status, 200);
  const retired = await fetch(`${url}/orders`, { headers: bearer(signedByA) });
  assert.equal(retired.status, 401, 'a key no longer published verifies nothing');
  assert.match(retired.headers.get('www-authenticate') ?? '', /unknown key/);
});
