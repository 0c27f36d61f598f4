import type { Redis } from 'ioredis';

/**
 * How long a service may keep using the generation pointers it read. A rebuild waits longer than
 * this after moving a pointer, so by then every reader and writer has seen the move.
 */
export const POINTER_CACHE_MS = 250;

/**
 * The keys that say which generation of the view is live. A generation is a key prefix: the base
 * prefix itself until the first rebuild, then `<base>v<n>:`.
 */
export function generationKeys(base: string) {
  return {
    /** String: the prefix readers and writers use. Absent: the base prefix. */
    current: `${base}current`,
    /** String, expiring unless the rebuild keeps it alive: the prefix being built, which writers feed too. */
    rebuilding: `${base}rebuilding`,
    /** Counter for new generations' names. */
    version: `${base}version`,
    /** String, expiring: held by the one rebuild allowed at a time. */
    lock: `${base}rebuild-lock`,
  };
}

export type ViewGenerations = {
  /** Where reads are answered from. */
  readPrefix(): Promise<string>;
  /** Where a projection writes: the live generation, and the one being rebuilt if any. */
  writePrefixes(): Promise<string[]>;
};

/** Resolves the pointers, cached for cacheMs so a busy service asks Redis a few times a second, not per event. */
export function viewGenerations(redis: Redis, base: string, cacheMs = POINTER_CACHE_MS): ViewGenerations {
  const keys = generationKeys(base);
  let cached: { until: number; current: string; rebuilding: string | null } | undefined;
  let loading: Promise<NonNullable<typeof cached>> | undefined;
  const load = async () => {
    if (cached && Date.now() < cached.until) return cached;
    // Valid from when it was asked, not answered: the pointer may have moved in between.
    const askedAt = Date.now();
    loading ??= redis
      .mget(keys.current, keys.rebuilding)
      .then(([current, rebuilding]) => {
        cached = { until: askedAt + cacheMs, current: current ?? base, rebuilding: rebuilding ?? null };
        return cached;
      })
      .finally(() => {
        loading = undefined;
      });
    return loading;
  };
  return {
    readPrefix: async () => (await load()).current,
    async writePrefixes() {
      const { current, rebuilding } = await load();
      return rebuilding && rebuilding !== current ? [current, rebuilding] : [current];
    },
  };
}
