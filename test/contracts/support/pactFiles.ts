import { existsSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, type TestContext, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { PactV4 } from '@pact-foundation/pact';

/** The pact files live in the repository: consumers write them, providers verify them. */
export const PACTS_DIR = fileURLToPath(new URL('../../../pacts/', import.meta.url));
export const pactFileOf = (consumer: string, provider: string) => join(PACTS_DIR, `${consumer}-${provider}.json`);

/**
 * One consumer's contract tests. Each `contract` is a node:test test recording interactions with
 * `pactWith(provider)`. Pact writes (and merges) the files in a temporary directory; only when
 * every contract of the file passed are they moved into pacts/, each in one rename, so a provider
 * verified in parallel never reads half a file, a filtered or failed run publishes nothing, and an
 * interaction the consumer dropped does not linger.
 */
export function consumerContracts(consumer: string) {
  const dir = mkdtempSync(join(tmpdir(), `12street-pact-${consumer}-`));
  const providers = new Set<string>();
  let declared = 0;
  let passed = 0;

  after(() => {
    try {
      if (passed !== declared) return;
      for (const provider of providers)
        publish(join(dir, `${consumer}-${provider}.json`), pactFileOf(consumer, provider));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  return {
    pactWith(provider: string) {
      providers.add(provider);
      return new PactV4({ consumer, provider, dir, logLevel: 'error' });
    },
    contract(name: string, run: (t: TestContext) => Promise<unknown>) {
      declared += 1;
      test(name, async (t) => {
        await run(t);
        passed += 1;
      });
    },
  };
}

function publish(written: string, published: string) {
  if (!existsSync(written)) return;
  const staged = `${published}.${process.pid}.tmp`;
  writeFileSync(staged, `${asFormatted(JSON.parse(readFileSync(written, 'utf8')))}\n`);
  renameSync(staged, published);
}

/**
 * The repository's formatter (Biome, 120 columns) keeps objects open and puts an array of plain
 * values on one line when it fits; pact files are written that way so `biome check` leaves them be
 * and a regenerated file only differs where the contract did.
 */
function asFormatted(value: unknown, indent = 0, lead = 0): string {
  const inner = ' '.repeat(indent + 2);
  const close = ' '.repeat(indent);
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    const flat = `[${value.map((v) => JSON.stringify(v)).join(', ')}]`;
    const plain = value.every((v) => v === null || typeof v !== 'object');
    if (plain && indent + lead + flat.length + 1 <= 120) return flat;
    return `[\n${value.map((v) => inner + asFormatted(v, indent + 2)).join(',\n')}\n${close}]`;
  }
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value);
    if (entries.length === 0) return '{}';
    const lines = entries.map(([k, v]) => {
      const key = `${JSON.stringify(k)}: `;
      return inner + key + asFormatted(v, indent + 2, key.length);
    });
    return `{\n${lines.join(',\n')}\n${close}}`;
  }
  return JSON.stringify(value);
}
