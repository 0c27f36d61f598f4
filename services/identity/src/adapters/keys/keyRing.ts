import { createPrivateKey, createPublicKey, type JsonWebKey, type KeyObject } from 'node:crypto';
import { calculateJwkThumbprint } from 'jose';

export type SigningAlgorithm = 'ES256' | 'RS256';
export type SigningKey = { kid: string; alg: SigningAlgorithm; privateKey: KeyObject };
export type PublishedKey = JsonWebKey & { kid: string; alg: SigningAlgorithm; use: 'sig' };

/**
 * The keys tokens are signed and checked with. The newest signs; it and the one before it are both
 * published, so tokens signed before a rotation stay valid until they expire.
 */
export type KeyRing = { signing: SigningKey; published: PublishedKey[] };

type ParsedKey = { key: KeyObject; kid?: string | undefined };

/** A key from PEM (PKCS#8, SEC1, PKCS#1 or SPKI) or from a JWK; `label` names it in errors. */
export function parseKey(text: string, label: string): ParsedKey {
  const trimmed = text.trim();
  try {
    if (trimmed.startsWith('{')) {
      const jwk = JSON.parse(trimmed) as JsonWebKey & { kid?: string };
      const key = jwk.d ? createPrivateKey({ key: jwk, format: 'jwk' }) : createPublicKey({ key: jwk, format: 'jwk' });
      return { key, kid: jwk.kid };
    }
    return { key: trimmed.includes('PRIVATE KEY') ? createPrivateKey(trimmed) : createPublicKey(trimmed) };
  } catch (error) {
    throw new Error(`${label} is neither a PEM nor a JWK key: ${(error as Error).message}`, { cause: error });
  }
}

/** ES256 for P-256 keys, RS256 for RSA keys of 2048 bits or more; anything else is refused. */
export function algorithmOf(key: KeyObject, label: string): SigningAlgorithm {
  const details = key.asymmetricKeyDetails;
  if (key.asymmetricKeyType === 'ec' && details?.namedCurve === 'prime256v1') return 'ES256';
  if (key.asymmetricKeyType === 'rsa' && (details?.modulusLength ?? 0) >= 2048) return 'RS256';
  throw new Error(`${label} must be an EC P-256 key (ES256) or an RSA key of at least 2048 bits (RS256)`);
}

async function published(parsed: ParsedKey, label: string): Promise<PublishedKey> {
  const alg = algorithmOf(parsed.key, label);
  const publicKey = parsed.key.type === 'private' ? createPublicKey(parsed.key) : parsed.key;
  const jwk = publicKey.export({ format: 'jwk' });
  const kid = parsed.kid ?? (await calculateJwkThumbprint(jwk as Parameters<typeof calculateJwkThumbprint>[0]));
  return { ...jwk, kid, alg, use: 'sig' };
}

/** The signing key must be private; the previous one may be given by its public half alone. */
export async function keyRingOf(current: ParsedKey, previous: ParsedKey | undefined): Promise<KeyRing> {
  if (current.key.type !== 'private') throw new Error('the signing key must be a private key');
  const signing = await published(current, 'the signing key');
  const keys = [signing];
  if (previous) {
    const older = await published(previous, 'the previous signing key');
    if (older.kid !== signing.kid) keys.push(older);
  }
  return { signing: { kid: signing.kid, alg: signing.alg, privateKey: current.key }, published: keys };
}
