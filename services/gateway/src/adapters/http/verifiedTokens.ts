import type { Identity } from './tokenVerifier.ts';

/** What a full check of a token's signature and claims proved. */
export type Verification = {
  identity: Identity;
  /** The token's `exp`, in ms since the epoch. */
  expiresAt: number;
  /** Whether the key that verified the token is still in the key set the gateway trusts now. */
  keyStillTrusted(): Promise<boolean>;
};

export type VerifiedTokensOptions = {
  /** How many tokens are remembered; the least recently used one goes first. */
  maxEntries: number;
  /** How long a token is trusted without checking its signature again, however late its `exp`. */
  maxAgeMs: number;
  now?: () => number;
};

export const DEFAULT_VERIFIED_TOKENS: VerifiedTokensOptions = { maxEntries: 10_000, maxAgeMs: 60_000 };

type Remembered = { identity: Identity; until: number; keyStillTrusted(): Promise<boolean> };

/**
 * Checking an ES256 signature is the gateway's largest cost (docs/performance.md), and a client
 * sends the same token with every request until it expires. A token that verified is remembered,
 * by its exact text, until its `exp` (no clock tolerance) and at most maxAgeMs; a refused one
 * never is. A remembered token is checked again once the key that verified it is no longer in the
 * fetched key set, so a retired key is honoured as soon as it would be without the cache.
 */
export function rememberVerifiedTokens(
  check: (token: string) => Promise<Verification>,
  options: VerifiedTokensOptions = DEFAULT_VERIFIED_TOKENS,
): (token: string) => Promise<Identity> {
  const now = options.now ?? Date.now;
  // A Map keeps insertion order: re-inserting on each use makes its first key the least recently used.
  const remembered = new Map<string, Remembered>();
  const recall = async (token: string) => {
    const entry = remembered.get(token);
    if (!entry) return undefined;
    remembered.delete(token);
    if (now() >= entry.until || !(await entry.keyStillTrusted().catch(() => false))) return undefined;
    remembered.set(token, entry);
    return entry.identity;
  };
  return async (token) => {
    const known = await recall(token);
    if (known) return known;
    const verified = await check(token);
    const until = Math.min(verified.expiresAt, now() + options.maxAgeMs);
    if (until > now() && options.maxEntries > 0) {
      remembered.set(token, { identity: verified.identity, until, keyStillTrusted: verified.keyStillTrusted });
      if (remembered.size > options.maxEntries) remembered.delete(remembered.keys().next().value as string);
    }
    return verified.identity;
  };
}
