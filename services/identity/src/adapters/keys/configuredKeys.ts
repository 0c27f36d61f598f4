import { readFileSync } from 'node:fs';
import { type KeyRing, keyRingOf, parseKey } from './keyRing.ts';

/** A key given in the environment itself, or as the path of a file holding it. */
export type KeySource = { text?: string | undefined; file?: string | undefined };

const read = (source: KeySource, name: string): string | undefined => {
  if (source.text && source.file) throw new Error(`${name}: give the key or its file, not both`);
  return source.file ? readFileSync(source.file, 'utf8') : source.text;
};

/**
 * Distributed mode's keys, from the environment or files (PEM or JWK). To rotate: make the new
 * key current, give the old one as previous, and drop it once the longest token life has passed.
 */
export function configuredKeys(current: KeySource, previous: KeySource = {}) {
  return async (): Promise<KeyRing> => {
    const signing = read(current, 'the signing key');
    if (!signing) throw new Error('no signing key: set SIGNING_KEY or SIGNING_KEY_FILE');
    const older = read(previous, 'the previous signing key');
    return keyRingOf(
      parseKey(signing, 'the signing key'),
      older ? parseKey(older, 'the previous signing key') : undefined,
    );
  };
}
