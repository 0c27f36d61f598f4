import assert from 'node:assert/strict';
import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { tempDir } from '@12street/testkit';
import { configuredKeys, keysInDirectory } from '../src/compose.ts';
import { identity } from './support.ts';

const DAY = 24 * 60 * 60 * 1000;
const kidsOf = async (load: () => Promise<{ published: { kid: string }[] }>) =>
  (await load()).published.map((k) => k.kid);

test('embedded mode makes its key once, keeps it private in the data dir, and reuses it', async (t) => {
  const dir = tempDir(t);
  const first = await kidsOf(keysInDirectory(dir));
  assert.equal(first.length, 1);
  assert.equal(statSync(join(dir, 'identity-keys.json')).mode & 0o777, 0o600);
  assert.deepEqual(await kidsOf(keysInDirectory(dir)), first, 'the same key after a restart');
});

test('embedded mode rotates an old key at start: the new one signs, the previous stays published, the one before goes', async (t) => {
  const dir = tempDir(t);
  const at = (days: number) => ({ clock: () => new Date(Date.UTC(2030, 0, 1) + days * DAY), rotateAfterDays: 30 });
  const [a] = await kidsOf(keysInDirectory(dir, at(0)));
  assert.deepEqual(await kidsOf(keysInDirectory(dir, at(29))), [a], 'not yet due');
  const [b, previous] = await kidsOf(keysInDirectory(dir, at(30)));
  assert.equal(previous, a);
  assert.notEqual(b, a);
  const ring = await keysInDirectory(dir, at(61))();
  assert.equal(ring.published.length, 2);
  assert.equal(ring.published[1]?.kid, b);
  assert.equal(ring.signing.kid, ring.published[0]?.kid);
  assert.ok(!ring.published.some((k) => k.kid === a), 'the oldest is no longer published');
});

test('keys from configuration: PEM or JWK, EC P-256 signs ES256 and RSA signs RS256; tokens verify', async (t) => {
  const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const ecJwk = JSON.stringify({ ...ec.privateKey.export({ format: 'jwk' }), kid: 'ec-2030' });
  const rsaPem = rsa.privateKey.export({ type: 'pkcs1', format: 'pem' }).toString();
  const ecPublicPem = ec.publicKey.export({ type: 'spki', format: 'pem' }).toString();

  const byJwk = await identity(t, { keys: configuredKeys({ text: ecJwk }) });
  const jwkToken = (
    await byJwk.form({ grant_type: 'password', username: 'kim', password: 'kim-demo-password' })
  ).json();
  const verified = await byJwk.verify(jwkToken.access_token);
  assert.equal(verified.protectedHeader.alg, 'ES256');
  assert.equal(verified.protectedHeader.kid, 'ec-2030', 'a JWK keeps its kid');

  const dir = tempDir(t);
  writeFileSync(join(dir, 'signing.pem'), rsaPem);
  const byRsa = await identity(t, {
    keys: configuredKeys({ file: join(dir, 'signing.pem') }, { text: ecPublicPem }),
  });
  const published = (await byRsa.jwks()).keys;
  assert.deepEqual(
    published.map((k: { alg: string }) => k.alg),
    ['RS256', 'ES256'],
    'the previous key may be given by its public half',
  );
  assert.ok(
    published.every((k: { d?: string }) => k.d === undefined),
    'no private part is published',
  );
  const rsaToken = (
    await byRsa.form({ grant_type: 'password', username: 'kim', password: 'kim-demo-password' })
  ).json();
  assert.equal((await byRsa.verify(rsaToken.access_token)).protectedHeader.alg, 'RS256');
});

test('weak, wrong or missing keys stop the start with a clear message', async () => {
  const pem = (key: KeyObject) => key.export({ type: 'pkcs8', format: 'pem' }).toString();
  const cases: [string, () => Promise<unknown>, RegExp][] = [
    ['no key', configuredKeys({}), /no signing key/],
    ['P-384', configuredKeys({ text: pem(generateKeyPairSync('ec', { namedCurve: 'P-384' }).privateKey) }), /P-256/],
    ['RSA 1024', configuredKeys({ text: pem(generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey) }), /2048/],
    ['Ed25519', configuredKeys({ text: pem(generateKeyPairSync('ed25519').privateKey) }), /P-256/],
    [
      'a public signing key',
      configuredKeys({
        text: generateKeyPairSync('ec', { namedCurve: 'P-256' })
          .publicKey.export({ type: 'spki', format: 'pem' })
          .toString(),
      }),
      /must be a private key/,
    ],
    ['garbage', configuredKeys({ text: 'not a key' }), /neither a PEM nor a JWK/],
    ['both text and file', configuredKeys({ text: 'x', file: '/nowhere' }), /not both/],
  ];
  for (const [what, load, message] of cases) await assert.rejects(load, message, what);
});
