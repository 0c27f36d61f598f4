import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { serviceMetrics } from '@12street/platform';
import { parse } from 'yaml';

const ROOT = join(import.meta.dirname, '../..');

test('every metric the alert rules use is one the services serve', async () => {
  const rules = parse(readFileSync(join(ROOT, 'deploy/prometheus/alerts.yaml'), 'utf8')) as {
    groups: { rules: { alert: string; expr: string }[] }[];
  };
  const metrics = serviceMetrics(
    'any',
    async () => ({ unsent: 0, oldestAt: null }),
    async () => 0,
  );
  const served = new Set((await metrics.registry.getMetricsAsJSON()).map((m) => m.name));
  const names = (expr: string) => [...expr.matchAll(/\b(street_[a-z_]+?)(?:_count|_sum|_bucket)?\b/g)].map((m) => m[1]);
  const alerts = rules.groups.flatMap((g) => g.rules);
  assert.ok(alerts.length >= 5);
  for (const rule of alerts) {
    const used = names(rule.expr);
    assert.ok(used.length > 0, `${rule.alert} uses a metric`);
    for (const name of used) assert.ok(served.has(name as string), `${rule.alert}: ${name} is served`);
  }
});
