/** The value below which `p` percent of the sorted values fall (nearest rank). */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))] as number;
}

export type Percentiles = { count: number; p50: number; p90: number; p99: number; max: number };

export function percentilesOf(values: readonly number[]): Percentiles {
  const sorted = [...values].sort((a, b) => a - b);
  return {
    count: sorted.length,
    p50: percentile(sorted, 50),
    p90: percentile(sorted, 90),
    p99: percentile(sorted, 99),
    max: sorted.length ? (sorted[sorted.length - 1] as number) : Number.NaN,
  };
}

export function median(values: readonly number[]): number {
  const finite = values.filter(Number.isFinite).sort((a, b) => a - b);
  if (finite.length === 0) return Number.NaN;
  const middle = Math.floor(finite.length / 2);
  return finite.length % 2
    ? (finite[middle] as number)
    : ((finite[middle - 1] as number) + (finite[middle] as number)) / 2;
}

/**
 * The median of each numeric leaf across runs of the same shape (arrays matched by position,
 * non-numbers taken from the first run): the report of repeated runs.
 */
export function medianOf<T>(runs: readonly T[]): T {
  const [first] = runs;
  if (first === undefined) throw new Error('no runs');
  if (typeof first === 'number') return median(runs as readonly number[]) as T;
  if (Array.isArray(first)) {
    return first.map((_, i) => medianOf(runs.map((r) => (r as unknown[])[i]))) as T;
  }
  if (first !== null && typeof first === 'object') {
    return Object.fromEntries(
      Object.keys(first).map((key) => [key, medianOf(runs.map((r) => (r as Record<string, unknown>)[key]))]),
    ) as T;
  }
  return first;
}

export const round = (value: number, digits = 1) => Math.round(value * 10 ** digits) / 10 ** digits;
