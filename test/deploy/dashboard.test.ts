import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { DELIVERY_STATUS, ORDER_STATUS } from '@12street/contracts';
import { eventually, sampleOrder } from '@12street/testkit';
import { parse } from 'yaml';
import { opsClient, startSystem } from '../e2e/support.ts';
import { declaredLabels, labelsIn, mergeScrapes, metricsIn, parseExposition } from './servedMetrics.ts';

const ROOT = join(import.meta.dirname, '../..');

type Panel = { id: number; type: string; title: string; targets?: { expr: string }[]; panels?: Panel[] };
const dashboard = JSON.parse(readFileSync(join(ROOT, 'deploy/grafana/12street-overview.json'), 'utf8')) as {
  uid: string;
  panels: Panel[];
  templating: { list: { name: string }[] };
};
const panels = dashboard.panels.flatMap((p) => [p, ...(p.panels ?? [])]);
const alerts = (
  parse(readFileSync(join(ROOT, 'deploy/prometheus/alerts.yaml'), 'utf8')) as {
    groups: { rules: { alert: string; expr: string }[] }[];
  }
).groups.flatMap((g) => g.rules);

test('the dashboard is one Grafana document whose panels each query something', () => {
  assert.equal(dashboard.uid, '12street-overview');
  assert.deepEqual(
    dashboard.templating.list.map((v) => v.name),
    ['datasource', 'service'],
  );
  const ids = panels.map((p) => p.id);
  assert.equal(new Set(ids).size, ids.length, 'panel ids are unique');
  for (const panel of panels.filter((p) => p.type !== 'row')) {
    assert.ok((panel.targets ?? []).length > 0, `${panel.title} has queries`);
    for (const { expr } of panel.targets ?? []) assert.ok(metricsIn(expr).length > 0, `${panel.title}: ${expr}`);
  }
  assert.ok(
    alerts.some((a) => a.expr.includes('street_consumer_lag')),
    'an alert watches consumer lag',
  );
});

test('every metric and label the dashboard and the alerts use is served by the running services', async (t) => {
  const system = await startSystem(t);
  const api = await opsClient(system);
  const delivered = await api.post('/orders', sampleOrder({ userId: 'u1' }));
  const canceled = await api.post('/orders', sampleOrder({ userId: 'u2', productName: 'Radio' }));
  assert.equal(delivered.status, 201);
  assert.equal(canceled.status, 201);
  await eventually(async () => (await api.get(`/orderStatus/${canceled.body.id}`)).body?.deliveryStatus, {
    what: 'the second order to reach delivery',
  });
  assert.equal((await api.patch(`/orders/${canceled.body.id}`, { orderStatus: ORDER_STATUS.canceled })).status, 200);
  await eventually(
    async () => {
      const [one, two] = await Promise.all([
        api.get(`/orderStatus/${delivered.body.id}`),
        api.get(`/orderStatus/${canceled.body.id}`),
      ]);
      return (
        one.body?.deliveryStatus === DELIVERY_STATUS.started && two.body?.deliveryStatus === DELIVERY_STATUS.canceled
      );
    },
    { what: 'one order delivered and one fully compensated' },
  );

  const { gateway, identity, order, payment, delivery, marketing, orderStatus } = system.urls;
  const texts = await Promise.all(
    [gateway, identity, order, payment, delivery, marketing, orderStatus].map(async (url) => {
      const scrape = await fetch(`${url}/metrics`);
      assert.equal(scrape.status, 200, url);
      return scrape.text();
    }),
  );
  assert.match(texts[0] ?? '', /^street_http_request_duration_seconds_count\{[^}]*service="gateway"/m);
  const throughAProxy = await fetch(`${gateway}/metrics`, { headers: { 'x-forwarded-for': '203.0.113.7' } });
  assert.equal(throughAProxy.status, 404, "the edge's figures are not published through the Ingress");
  const served = mergeScrapes(texts.map(parseExposition));
  const stepSamples = texts.join('\n').match(/^street_saga_step_duration_seconds_count\{[^}]*step="([a-z-]+)"/gm) ?? [];
  for (const step of ['coupon', 'delivery', 'order-to-delivery', 'payment-cancellation', 'compensation']) {
    assert.ok(
      stepSamples.some((s) => s.includes(`step="${step}"`)),
      `saga step ${step} measured`,
    );
  }

  const queries = [
    ...panels.flatMap((p) => (p.targets ?? []).map((q) => ({ where: `panel "${p.title}"`, expr: q.expr }))),
    ...alerts.map((a) => ({ where: `alert ${a.alert}`, expr: a.expr })),
  ];
  for (const { where, expr } of queries) {
    for (const name of metricsIn(expr)) {
      const labels = served.get(name);
      assert.ok(labels, `${where}: ${name} is served`);
      const known = new Set([...labels, ...declaredLabels(name)]);
      for (const label of labelsIn(expr)) assert.ok(known.has(label), `${where}: ${name} has the label ${label}`);
    }
  }
});
