import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { envelope } from '@12street/contracts';
import { eventually } from '@12street/testkit';
import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import { InMemorySpanExporter } from '@opentelemetry/sdk-trace';
import {
  createLogger,
  type EventTransport,
  type HttpApp,
  inProcessTransport,
  type MessagingTables,
  type openSqlite,
  requestJson,
  type ServiceKernel,
  startTelemetry,
} from '../src/index.ts';
import { canceled, serviceOn } from './deadLetterSupport.ts';
import {
  CALLER_SPAN_ID,
  idOf,
  logSink,
  onlySpan,
  parentIdOf,
  serviceOfSpan,
  TRACE_ID,
  TRACEPARENT,
  traceparentOf,
} from './telemetrySupport.ts';

const exporter = new InMemorySpanExporter();
const telemetry = startTelemetry({ env: {}, exporter });
after(() => telemetry.shutdown());

type TestContext = { after(fn: () => unknown): void };

/** A started service on its own SQLite file whose logs land in `logs`. */
async function tracedService(
  t: TestContext,
  service: string,
  transport: EventTransport,
  wire: { routes?(app: HttpApp, kernel: ServiceKernel): void; policies?(kernel: ServiceKernel): void } = {},
) {
  const logs = logSink();
  const logger = createLogger(service, 'info', logs);
  const started = await serviceOn(
    t,
    service,
    transport,
    { logger, relay: { pollIntervalMs: 10 }, ...(wire.routes ? { routes: wire.routes } : {}) },
    wire.policies,
  );
  return { ...started, logs: logs.lines };
}

const traceOfOutboxRow = async (db: ReturnType<typeof openSqlite<MessagingTables>>, eventId: string) =>
  (await db.selectFrom('outbox').select('trace_context').where('event_id', '=', eventId).executeTakeFirst())
    ?.trace_context;

test("a request is a server span continuing the caller's trace; what it calls, records and logs carries that span", async (t) => {
  exporter.reset();
  const transport = inProcessTransport();
  const back = await tracedService(t, 'back', transport, {
    routes: (app) => app.get('/answers/:id', async () => ({ answer: 42 })),
  });
  const backUrl = await back.app.listen({ port: 0, host: '127.0.0.1' });
  const front = await tracedService(t, 'front', transport, {
    routes: (app, kernel) =>
      app.post('/work', async (request) => {
        const answer = await requestJson<{ answer: number }>('GET', `${backUrl}/answers/7`);
        await kernel.inTransaction((tx) => kernel.recordEvents(tx, [canceled(7, 'front-work')]));
        request.log.info({ answer }, 'work done');
        return answer;
      }),
  });

  const reply = await front.app.inject({ method: 'POST', url: '/work', headers: { traceparent: TRACEPARENT } });
  assert.equal(reply.statusCode, 200);

  const spans = await eventually(() => exporter.getFinishedSpans().length >= 4 && exporter.getFinishedSpans(), {
    what: 'the spans of both services',
  });
  const server = onlySpan(spans, 'POST /work', SpanKind.SERVER, 'front');
  const client = onlySpan(spans, 'GET /answers/{id}', SpanKind.CLIENT, 'front');
  const backServer = onlySpan(spans, 'GET /answers/:id', SpanKind.SERVER, 'back');
  assert.ok(
    spans.every((s) => s.spanContext().traceId === TRACE_ID),
    'all in the caller trace',
  );
  assert.equal(parentIdOf(server), CALLER_SPAN_ID);
  assert.equal(parentIdOf(client), idOf(server));
  assert.equal(parentIdOf(backServer), idOf(client), 'the traceparent header reached the other service');
  assert.equal(server.attributes['http.route'], '/work');
  assert.equal(server.attributes['http.response.status_code'], 200);
  assert.equal(server.attributes['12street.service'], 'front');
  assert.equal(client.attributes['http.response.status_code'], 200);
  assert.equal(backServer.attributes['url.path'], '/answers/7');

  assert.equal(
    await traceOfOutboxRow(front.db, 'front-work'),
    traceparentOf(server),
    'the event continues the request',
  );
  const send = await eventually(() => exporter.getFinishedSpans().find((s) => s.name === 'send OrderCanceled'), {
    what: 'the relay to publish the event',
  });
  assert.equal(send.kind, SpanKind.PRODUCER);
  assert.equal(parentIdOf(send), idOf(server));

  const done = front.logs.find((l) => l.msg === 'work done');
  assert.equal(done?.trace_id, TRACE_ID);
  assert.equal(done?.span_id, idOf(server));
  assert.equal(done?.reqId, reply.headers['x-request-id'], 'request logs carry the request id');
});

test('a failing request is an error span, and health probes make no spans', async (t) => {
  exporter.reset();
  const service = await tracedService(t, 'fragile', inProcessTransport(), {
    routes: (app) =>
      app.get('/boom', async () => {
        throw new Error('kaput');
      }),
  });
  assert.equal((await service.app.inject({ method: 'GET', url: '/boom' })).statusCode, 500);
  assert.equal((await service.app.inject({ method: 'GET', url: '/health/ready' })).statusCode, 200);
  assert.equal((await service.app.inject({ method: 'GET', url: '/nowhere' })).statusCode, 404);

  const spans = exporter.getFinishedSpans();
  const boom = onlySpan(spans, 'GET /boom', SpanKind.SERVER, 'fragile');
  assert.equal(boom.status.code, SpanStatusCode.ERROR);
  assert.equal(boom.attributes['http.response.status_code'], 500);
  assert.ok(boom.events.some((e) => e.name === 'exception'));
  assert.equal(boom.parentSpanContext, undefined, 'no caller trace: a new one');
  assert.equal(onlySpan(spans, 'GET', SpanKind.SERVER).status.code, SpanStatusCode.UNSET, 'a 404 is the caller’s');
  assert.ok(!spans.some((s) => s.name.includes('/health')));
});

test('a handled event is a consumer span under its producer span; what the policy records, and later work on the order, continue it', async (t) => {
  exporter.reset();
  const transport = inProcessTransport();
  let failOnce = true;
  const payment = await tracedService(t, 'payment', transport, {
    policies: (kernel) =>
      kernel.when(['OrderCanceled'], 'whenOrderCanceledRefund', async (tx, event) => {
        if (failOnce) {
          failOnce = false;
          throw new Error('the ledger is busy');
        }
        await kernel.recordEvents(tx, [refunded(event.orderId, `refund-of-${event.eventId}`)]);
      }),
  });
  const order = await tracedService(t, 'order', transport);

  await order.kernel.inTransaction((tx) =>
    order.kernel.recordEvents(tx, [canceled(5, 'cancel-5')], { traceparent: TRACEPARENT }),
  );
  const refund = await eventually(async () => traceOfOutboxRow(payment.db, 'refund-of-cancel-5'), {
    what: 'the refund recorded after one failed attempt',
  });

  const spans = exporter.getFinishedSpans();
  const sends = spans.filter((s) => s.name === 'send OrderCanceled' && serviceOfSpan(s) === 'order');
  const consumers = spans.filter((s) => s.name === 'process OrderCanceled' && serviceOfSpan(s) === 'payment');
  assert.equal(consumers.length, 2, 'one consumer span per attempt');
  const [failed, succeeded] = consumers;
  assert.equal(failed?.status.code, SpanStatusCode.ERROR);
  assert.equal(succeeded?.status.code, SpanStatusCode.UNSET);
  assert.equal(succeeded?.attributes['12street.inbox_outcome'], 'processed');
  assert.equal(succeeded?.attributes['12street.order_id'], 5);
  for (const consumer of consumers) {
    assert.equal(consumer.kind, SpanKind.CONSUMER);
    assert.ok(sends.some((send) => idOf(send) === parentIdOf(consumer) && parentIdOf(send) === CALLER_SPAN_ID));
  }
  assert.equal(refund, traceparentOf(succeeded as never), 'the refund continues the consumer span');

  const failure = payment.logs.find((l) => l.msg === 'policy failed on an event');
  assert.equal(failure?.orderId, 5);
  assert.equal(failure?.policy, 'whenOrderCanceledRefund');
  assert.equal(failure?.trace_id, TRACE_ID);

  // A worker acting for the order later joins the trace of the event the service handled for it.
  await payment.kernel.inOrderTrace(5, 'settle refund', () =>
    payment.kernel.inTransaction((tx) => payment.kernel.recordEvents(tx, [refunded(5, 'late-refund')])),
  );
  const worker = onlySpan(exporter.getFinishedSpans(), 'settle refund', SpanKind.INTERNAL, 'payment');
  assert.equal(parentIdOf(worker), idOf(succeeded as never));
  assert.equal(await traceOfOutboxRow(payment.db, 'late-refund'), traceparentOf(worker));
});

const refunded = (orderId: number, eventId: string) =>
  envelope(
    'PaymentCanceled',
    orderId,
    { paymentId: orderId, userId: 'u', payStatus: 'Canceled', reason: 'r' },
    { eventId, occurredAt: new Date() },
  );
