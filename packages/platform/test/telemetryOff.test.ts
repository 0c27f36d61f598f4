import assert from 'node:assert/strict';
import { test } from 'node:test';
import { trace } from '@opentelemetry/api';
import {
  createHttpApp,
  createLogger,
  otlpTracesTarget,
  requestJson,
  startTelemetry,
  TelemetryConfigurationError,
  traceHeadersOfRequest,
  traceparentOfRequest,
  tracingEnabled,
} from '../src/index.ts';
import { logSink, TRACEPARENT } from './telemetrySupport.ts';

test('tracing is off without an OTLP endpoint or exporter: nothing is registered and spans are no-ops', async () => {
  for (const env of [
    {},
    { OTEL_SERVICE_NAME: 'order' },
    { OTEL_TRACES_EXPORTER: 'none', OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4318' },
    { OTEL_SDK_DISABLED: 'true', OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4318' },
  ]) {
    const telemetry = startTelemetry({ env, service: 'order' });
    assert.equal(telemetry.tracing, false, JSON.stringify(env));
    await telemetry.shutdown();
  }
  assert.equal(tracingEnabled(), false);
  assert.equal(trace.getTracer('probe').startSpan('probe').isRecording(), false, 'the API is still its no-op');
});

test('the OTLP target follows the standard variables', () => {
  assert.deepEqual(otlpTracesTarget({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318/' }), {
    url: 'http://collector:4318/v1/traces',
    headers: {},
  });
  assert.equal(
    otlpTracesTarget({
      OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318',
      OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://traces:9999/custom',
    })?.url,
    'http://traces:9999/custom',
    'the signal-specific endpoint is used as it is',
  );
  assert.equal(otlpTracesTarget({ OTEL_TRACES_EXPORTER: 'otlp' })?.url, 'http://localhost:4318/v1/traces');
  assert.deepEqual(
    otlpTracesTarget({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318', OTEL_EXPORTER_OTLP_HEADERS: 'api-key=s3cret,x=y' })
      ?.headers,
    { 'api-key': 's3cret', x: 'y' },
  );
  assert.throws(() => otlpTracesTarget({ OTEL_TRACES_EXPORTER: 'zipkin' }), TelemetryConfigurationError);
});

test("with tracing off a request's traceparent is still passed on as it came, and nothing else is added", async (t) => {
  const seenByCallee: (string | undefined)[] = [];
  const callee = createHttpApp({ logger: createLogger('callee', 'silent') });
  callee.get('/answer', async (request) => {
    seenByCallee.push(request.headers.traceparent as string | undefined);
    return { answer: 42 };
  });
  const calleeUrl = await callee.listen({ port: 0, host: '127.0.0.1' });
  t.after(() => callee.close());

  const logs = logSink();
  const caller = createHttpApp({ logger: createLogger('caller', 'info', logs) });
  caller.post('/work', async (request) => {
    await requestJson('GET', `${calleeUrl}/answer`);
    request.log.info('work done');
    return { traceparent: traceparentOfRequest(request) ?? null, forwarded: traceHeadersOfRequest(request) };
  });
  t.after(() => caller.close());

  const traced = await caller.inject({ method: 'POST', url: '/work', headers: { traceparent: TRACEPARENT } });
  assert.deepEqual(traced.json(), { traceparent: TRACEPARENT, forwarded: { traceparent: TRACEPARENT } });
  const garbled = await caller.inject({ method: 'POST', url: '/work', headers: { traceparent: 'not-a-trace' } });
  assert.deepEqual(garbled.json(), { traceparent: null, forwarded: {} });
  const untraced = await caller.inject({ method: 'POST', url: '/work' });
  assert.deepEqual(untraced.json(), { traceparent: null, forwarded: {} });

  assert.deepEqual(seenByCallee, [undefined, undefined, undefined], 'outgoing calls carry no trace of their own');
  assert.equal(logs.lines.length, 3);
  assert.ok(logs.lines.every((l) => l.trace_id === undefined && typeof l.reqId === 'string'));
});
