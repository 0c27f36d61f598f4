import { randomBytes, type ScryptOptions, scrypt, timingSafeEqual } from 'node:crypto';
import type { SecretHasher } from '../../application/ports.ts';

/** scrypt's work factors: N (CPU and memory, a power of two), r (block size), p (parallelism). */
export type ScryptCost = { N: number; r: number; p: number };

/** 32 MiB and about 100 ms per hash: dear for a guesser, affordable for a sign-in. */
export const DEFAULT_SCRYPT_COST: ScryptCost = { N: 2 ** 15, r: 8, p: 1 };

const KEY_BYTES = 32;
const SALT_BYTES = 16;
/** Stored hashes costing more are refused rather than computed (a tampered row is no DoS). */
const MAX_COST: ScryptCost = { N: 2 ** 17, r: 16, p: 4 };

const derive = (secret: string, salt: Buffer, cost: ScryptCost) =>
  new Promise<Buffer>((resolve, reject) => {
    const options: ScryptOptions = { ...cost, maxmem: 256 * cost.N * cost.r + 1024 * 1024 };
    scrypt(secret.normalize('NFC'), salt, KEY_BYTES, options, (error, key) => (error ? reject(error) : resolve(key)));
  });

/** `scrypt$N$r$p$salt$hash`, salt and hash in base64: the cost travels with the hash. */
const format = (cost: ScryptCost, salt: Buffer, key: Buffer) =>
  `scrypt$${cost.N}$${cost.r}$${cost.p}$${salt.toString('base64')}$${key.toString('base64')}`;

function parse(stored: string): { cost: ScryptCost; salt: Buffer; key: Buffer } | undefined {
  const [scheme, n, r, p, salt, key] = stored.split('$');
  const cost = { N: Number(n), r: Number(r), p: Number(p) };
  const sane = (['N', 'r', 'p'] as const).every(
    (k) => Number.isInteger(cost[k]) && cost[k] > 0 && cost[k] <= MAX_COST[k],
  );
  const powerOfTwo = cost.N > 1 && (cost.N & (cost.N - 1)) === 0;
  if (scheme !== 'scrypt' || !sane || !powerOfTwo || !salt || !key) return undefined;
  return { cost, salt: Buffer.from(salt, 'base64'), key: Buffer.from(key, 'base64') };
}

/** Passwords and client secrets hashed with scrypt, a fresh random salt each, compared in constant time. */
export function scryptHasher(cost: ScryptCost = DEFAULT_SCRYPT_COST): SecretHasher {
  let standIn: Promise<string> | undefined;
  const hash = async (secret: string) => {
    const salt = randomBytes(SALT_BYTES);
    return format(cost, salt, await derive(secret, salt, cost));
  };
  return {
    hash,
    async matches(secret, stored) {
      standIn ??= hash(randomBytes(SALT_BYTES).toString('base64'));
      const parsed = parse(stored ?? (await standIn));
      if (!parsed) return false;
      const key = await derive(secret, parsed.salt, parsed.cost);
      return stored !== undefined && key.length === parsed.key.length && timingSafeEqual(key, parsed.key);
    },
  };
}
