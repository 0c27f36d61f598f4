import { generateKeyPairSync, type JsonWebKey, randomUUID } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Clock } from '@12street/platform';
import { type KeyRing, keyRingOf, parseKey } from './keyRing.ts';

type StoredKey = { createdAt: string; jwk: JsonWebKey & { kid: string } };
type KeyFile = { keys: StoredKey[] };

const FILE = 'identity-keys.json';
const DAY_MS = 24 * 60 * 60 * 1000;

function newKey(now: Date): StoredKey {
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  return { createdAt: now.toISOString(), jwk: { ...privateKey.export({ format: 'jwk' }), kid: randomUUID() } };
}

function write(path: string, content: KeyFile) {
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, JSON.stringify(content, null, 2), { mode: 0o600 });
  chmodSync(temporary, 0o600);
  renameSync(temporary, path);
}

/**
 * Embedded mode's keys: made on the first start and kept in the data directory (readable by its
 * owner only). A key older than `rotateAfterDays` is replaced at start by a new one; the old one
 * stays published beside it until the next rotation, so its tokens run out their short lives.
 */
export function keysInDirectory(dir: string, options: { clock?: Clock; rotateAfterDays?: number } = {}) {
  const clock = options.clock ?? (() => new Date());
  const rotateAfterMs = (options.rotateAfterDays ?? 30) * DAY_MS;
  return async (): Promise<KeyRing> => {
    mkdirSync(dir, { recursive: true });
    const path = join(dir, FILE);
    const stored: KeyFile = existsSync(path) ? JSON.parse(readFileSync(path, 'utf8')) : { keys: [] };
    const now = clock();
    const newest = stored.keys[0];
    if (!newest || now.getTime() - Date.parse(newest.createdAt) >= rotateAfterMs) {
      const keys = [newKey(now), ...stored.keys.slice(0, 1)];
      write(path, { keys });
      stored.keys = keys;
    }
    const [current, previous] = stored.keys.map((k, i) => parseKey(JSON.stringify(k.jwk), `${FILE} key ${i}`));
    if (!current) throw new Error(`${path} holds no key`);
    return keyRingOf(current, previous);
  };
}
