import { serviceMetrics } from '@12street/platform';

/** What a scrape of /metrics says: each metric's name and the label names seen on its samples. */
export function parseExposition(text: string): Map<string, Set<string>> {
  const metrics = new Map<string, Set<string>>();
  for (const line of text.split('\n')) {
    const declared = /^# TYPE (\S+) /.exec(line);
    if (declared?.[1]) {
      if (!metrics.has(declared[1])) metrics.set(declared[1], new Set());
      continue;
    }
    const sample = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? /.exec(line);
    if (!sample?.[1]) continue;
    const base = sample[1].replace(/_(bucket|sum|count)$/, '');
    const labels = metrics.get(base) ?? metrics.get(sample[1]);
    for (const [, name] of (sample[2] ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="/g)) labels?.add(name as string);
  }
  return metrics;
}

/** Merges the scrapes of several services. */
export function mergeScrapes(scrapes: Map<string, Set<string>>[]): Map<string, Set<string>> {
  const merged = new Map<string, Set<string>>();
  for (const scrape of scrapes) {
    for (const [name, labels] of scrape) merged.set(name, new Set([...(merged.get(name) ?? []), ...labels]));
  }
  return merged;
}

/** The label names a metric is declared with, for metrics no sample showed yet (consumer lag without Kafka). */
export function declaredLabels(name: string): string[] {
  const metric = serviceMetrics(
    'any',
    async () => ({ unsent: 0, oldestAt: null }),
    async () => 0,
  ).registry.getSingleMetric(name) as { labelNames?: string[] } | undefined;
  return [...(metric?.labelNames ?? []), 'service', 'le'];
}

/** The street_* metrics a PromQL expression uses, without histogram suffixes. */
export const metricsIn = (expr: string) => [
  ...new Set(
    [...expr.matchAll(/\b(street_[a-z_]+)\b/g)].map((m) => (m[1] as string).replace(/_(bucket|sum|count)$/, '')),
  ),
];

/** The label names a PromQL expression groups by or matches on. */
export function labelsIn(expr: string): string[] {
  const grouped = [...expr.matchAll(/\bby \(([^)]*)\)/g)].flatMap((m) =>
    (m[1] as string).split(',').map((l) => l.trim()),
  );
  const matched = [...expr.matchAll(/\{([^}]*)\}/g)].flatMap((m) =>
    [...(m[1] as string).matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)\s*(?:=~|!~|!=|=)/g)].map((l) => l[1] as string),
  );
  return [...new Set([...grouped, ...matched])].filter(Boolean);
}
