import assert from 'node:assert/strict';
import { test } from 'node:test';
import { scryptHasher } from '../src/adapters/secrets/scryptHasher.ts';
import { FAST_HASHING } from './support.ts';

test('a secret matches its own hash only; with no stored hash nothing matches', async () => {
  const hasher = scryptHasher(FAST_HASHING);
  const stored = await hasher.hash('correct horse');
  assert.equal(await hasher.matches('correct horse', stored), true);
  assert.equal(await hasher.matches('correct horse ', stored), false);
  assert.equal(await hasher.matches('correct horse', undefined), false);
  assert.notEqual(await hasher.hash('correct horse'), stored, 'salted');
});

test('a malformed or absurdly costly stored hash matches nothing and costs nothing', async () => {
  const hasher = scryptHasher(FAST_HASHING);
  const [, , , , salt, key] = (await hasher.hash('x')).split('$');
  for (const stored of [
    '',
    'plain-text-password',
    `bcrypt$1024$8$1$${salt}$${key}`,
    `scrypt$1000$8$1$${salt}$${key}`,
    `scrypt$${2 ** 24}$8$1$${salt}$${key}`,
    `scrypt$1024$4096$1$${salt}$${key}`,
    `scrypt$1024$8$1$$`,
  ]) {
    assert.equal(await hasher.matches('x', stored), false, stored);
  }
});
