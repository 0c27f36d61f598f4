import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { test } from 'node:test';
import { DELIVERY_STATUS } from '@12street/contracts';
import { eventually, INFRA, infraMissing, sampleOrder } from '@12street/testkit';
import { client } from '../e2e/support.ts';
import { startCluster } from './support.ts';

// Distributed mode traced as in production: each process configured by OTEL_EXPORTER_OTLP_ENDPOINT
// alone, the trace crossing Kafka in record headers, and the spans flushed when SIGTERM stops it.
const skip = await infraMissing('kafka', 'postgres', 'mysql', 'redis');

type OtlpSpan = { name: string; traceId: string; spanId: string; parentSpanId?: string };
type OtlpExport = {
  resourceSpans: {
    resource: { attributes: { key: string; value: { stringValue?: string } }[] };
    scopeSpans: { spans: OtlpSpan[] }[];
  }[];
};

/** A stand-in OTLP/HTTP collector keeping the spans of every export it receives. */
async function otlpCollector(t: { after(fn: () => unknown): void }) {
  const spans: (OtlpSpan & { service?: string })[] = [];
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      if (request.url === '/v1/traces') {
        for (const resource of (JSON.parse(Buffer.concat(chunks).toString('utf8')) as OtlpExport).resourceSpans) {
          const service = resource.resource.attributes.find((a) => a.key === 'service.name')?.value.stringValue;
          for (const scope of resource.scopeSpans) for (const span of scope.spans) spans.push({ ...span, service });
        }
      }
      response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return { endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, spans };
}

test('in distributed mode an order is one trace across the processes and Kafka, exported over OTLP', {
  skip,
}, async (t) => {
  const collector = await otlpCollector(t);
  const otlp = { OTEL_EXPORTER_OTLP_ENDPOINT: collector.endpoint };
  const { cluster, opsToken } = await startCluster(t, {
    brokers: INFRA.kafka,
    env: {
      gateway: otlp,
      identity: otlp,
      order: otlp,
      payment: otlp,
      delivery: otlp,
      marketing: otlp,
      'order-status': otlp,
    },
  });
  const token = await opsToken();
  const traceId = '5a1e5a1e5a1e5a1e5a1e5a1e5a1e5a1e';
  const placed = await fetch(`${cluster.url('gateway')}/orders`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${token}`,
      'content-type': 'application/json',
      traceparent: `00-${traceId}-5a1e5a1e5a1e5a1e-01`,
    },
    body: JSON.stringify(sampleOrder()),
  });
  assert.equal(placed.status, 201);
  const orderId = ((await placed.json()) as { id: number }).id;
  const api = client(cluster.url('gateway'), token);
  await eventually(
    async () => (await api.get(`/orderStatus/${orderId}`)).body?.deliveryStatus === DELIVERY_STATUS.started,
    { what: 'the order delivered', timeoutMs: 30_000 },
  );

  await cluster.stopAll();
  const inTrace = collector.spans.filter((s) => s.traceId === traceId);
  const named = (service: string, name: string) => inTrace.filter((s) => s.service === service && s.name === name);
  assert.deepEqual(
    new Set(inTrace.map((s) => s.service)),
    new Set(['gateway', 'order', 'payment', 'delivery', 'marketing', 'order-status']),
  );
  const ids = new Set(inTrace.map((s) => s.spanId));
  assert.deepEqual(
    inTrace.filter((s) => !ids.has(s.parentSpanId ?? '')).map((s) => `${s.service} ${s.name}`),
    ['gateway POST /orders'],
    'every span but the gateway’s has its parent in the trace',
  );
  const [sent] = named('delivery', 'send DeliveryStarted');
  const [projected] = named('order-status', 'process DeliveryStarted');
  assert.ok(sent && projected, 'the last event was published and projected within the trace');
  assert.equal(projected.parentSpanId, sent.spanId, 'the Kafka record carried the producer span on');
  assert.ok(
    collector.spans.some((s) => s.service === 'identity' && s.name === 'POST /oauth/token'),
    `identity traces the token request (a trace of its own: the client sent no traceparent): ${JSON.stringify([...new Set(collector.spans.map((s) => `${s.service} ${s.name}`))])}`,
  );
});
