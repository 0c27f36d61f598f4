import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { test } from 'node:test';
import { pactsInRepository } from './support/verify.ts';

test('every pact in pacts/ is named after its parties and has a provider test verifying it', () => {
  const pacts = pactsInRepository();
  assert.ok(pacts.length > 0);
  for (const { file, pact } of pacts) {
    assert.equal(file, `${pact.consumer.name}-${pact.provider.name}.json`);
    const providerTest = new URL(`./${pact.provider.name}.provider.test.ts`, import.meta.url);
    assert.ok(existsSync(providerTest), `${file}: no ${pact.provider.name}.provider.test.ts verifies it`);
  }
});
