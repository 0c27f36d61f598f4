import assert from 'node:assert/strict';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { test } from 'node:test';
import { trace } from '@opentelemetry/api';
import { createHttpApp, createLogger, startTelemetry, tracingEnabled } from '../src/index.ts';
import { logSink, TRACE_ID, TRACEPARENT } from './telemetrySupport.ts';

type Received = { method: string; url: string; headers: IncomingHttpHeaders; body: string };

/** A stand-in OTLP/HTTP collector: keeps every request and accepts it. */
async function otlpReceiver(t: { after(fn: () => unknown): void }) {
  const received: Received[] = [];
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      received.push({
        method: request.method ?? '',
        url: request.url ?? '',
        headers: request.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      });
      response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const close = () => new Promise<void>((resolve) => server.close(() => resolve()));
  t.after(() => server.listening && close());
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, received, close };
}

type OtlpAttribute = { key: string; value: { stringValue?: string } };
type OtlpSpan = { name: string; traceId: string; parentSpanId?: string };
type OtlpExport = {
  resourceSpans: { resource: { attributes: OtlpAttribute[] }; scopeSpans: { spans: OtlpSpan[] }[] }[];
};

test('with OTEL_EXPORTER_OTLP_ENDPOINT set, spans are sent to its /v1/traces under OTEL_SERVICE_NAME, at the latest on shutdown', async (t) => {
  const collector = await otlpReceiver(t);
  const telemetry = startTelemetry({
    env: {
      OTEL_EXPORTER_OTLP_ENDPOINT: collector.url,
      OTEL_EXPORTER_OTLP_HEADERS: 'x-collector-key=k1',
      OTEL_SERVICE_NAME: 'order-eu',
    },
    service: 'order',
  });
  t.after(() => telemetry.shutdown());
  assert.equal(telemetry.tracing, true);

  const app = createHttpApp({ logger: createLogger('order', 'silent') });
  app.get('/orders/:id', async () => ({ id: 1 }));
  t.after(() => app.close());
  const reply = await app.inject({ method: 'GET', url: '/orders/1', headers: { traceparent: TRACEPARENT } });
  assert.equal(reply.statusCode, 200);

  await telemetry.shutdown();
  const posts = collector.received.filter((r) => r.method === 'POST' && r.url === '/v1/traces');
  assert.ok(posts.length >= 1, `the collector got ${collector.received.map((r) => `${r.method} ${r.url}`).join(', ')}`);
  assert.equal(posts[0]?.headers['x-collector-key'], 'k1');
  const exported = posts.flatMap((p) => (JSON.parse(p.body) as OtlpExport).resourceSpans);
  const spans = exported.flatMap((r) =>
    r.scopeSpans.flatMap((s) =>
      s.spans.map((span) => ({
        ...span,
        service: r.resource.attributes.find((a) => a.key === 'service.name')?.value.stringValue,
      })),
    ),
  );
  const served = spans.find((s) => s.name === 'GET /orders/:id');
  assert.ok(served, `spans exported: ${spans.map((s) => s.name).join(', ')}`);
  assert.equal(served.service, 'order-eu');
  assert.equal(served.traceId.toLowerCase(), TRACE_ID);
});

test('a collector that is gone neither fails nor holds up a stop: the loss is logged', async (t) => {
  const collector = await otlpReceiver(t);
  const gone = collector.url;
  await collector.close();
  const logs = logSink();
  const telemetry = startTelemetry({
    env: { OTEL_EXPORTER_OTLP_ENDPOINT: gone },
    service: 'order',
    logger: createLogger('order', 'info', logs),
    shutdownTimeoutMs: 500,
  });
  trace.getTracer('probe').startSpan('lost').end();

  await telemetry.shutdown();
  assert.equal(tracingEnabled(), false);
  assert.ok(
    logs.lines.some((l) => l.level === 40 && String(l.msg).startsWith('spans may be lost')),
    JSON.stringify(logs.lines),
  );
});
