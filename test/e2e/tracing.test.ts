import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { DELIVERY_STATUS } from '@12street/contracts';
import { startTelemetry } from '@12street/platform';
import { eventually, sampleOrder } from '@12street/testkit';
import { SpanKind } from '@opentelemetry/api';
import { InMemorySpanExporter, type ReadableSpan } from '@opentelemetry/sdk-trace';
import { FAST_BREAKER, opsClient, signIn, startSystem } from './support.ts';

const TRACE_ID = '0af7651916cd43dd8448eb211c80319c';
const CALLER_SPAN_ID = 'b7ad6b7169203331';

const exporter = new InMemorySpanExporter();
const telemetry = startTelemetry({ env: {}, exporter });
after(() => telemetry.shutdown());

const serviceOf = (span: ReadableSpan) => span.resource.attributes['service.name'];
const idOf = (span: ReadableSpan) => span.spanContext().spanId;
const describe = (spans: readonly ReadableSpan[]) =>
  spans.map((s) => `${serviceOf(s)} ${SpanKind[s.kind]} "${s.name}" ${idOf(s)}<-${s.parentSpanContext?.spanId}`);

/**
 * The span of `service` named `name` whose parent is `parent`. A retried step (a slow answer under
 * load) has several; the last one is the one that went on.
 */
function childOf(spans: readonly ReadableSpan[], parent: ReadableSpan, service: string, kind: SpanKind, name: string) {
  const children = spans.filter(
    (s) =>
      serviceOf(s) === service && s.kind === kind && s.name === name && s.parentSpanContext?.spanId === idOf(parent),
  );
  assert.ok(
    children.length > 0,
    `no ${SpanKind[kind]} span "${name}" of ${service} under "${parent.name}" of ${serviceOf(parent)}:\n${describe(spans).join('\n')}`,
  );
  return children.at(-1) as ReadableSpan;
}

test('an order is one trace from the gateway to its last event, with the spans of every service on its way', async (t) => {
  // Generous timeouts: a retried call would still be in the trace, but the order must not fail.
  const patient = { ...FAST_BREAKER, timeoutMs: 5000 };
  const system = await startSystem(t, { paymentBreaker: patient, marketingBreaker: patient });
  const token = await signIn(system.urls.gateway, 'ops');
  const placed = await fetch(`${system.urls.gateway}/orders`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${token}`,
      'content-type': 'application/json',
      traceparent: `00-${TRACE_ID}-${CALLER_SPAN_ID}-01`,
    },
    body: JSON.stringify(sampleOrder()),
  });
  assert.equal(placed.status, 201);
  const orderId = ((await placed.json()) as { id: number }).id;

  const api = await opsClient(system);
  await eventually(
    async () => (await api.get(`/orderStatus/${orderId}`)).body?.deliveryStatus === DELIVERY_STATUS.started,
    { what: 'the order delivered in the order-status view', timeoutMs: 30_000 },
  );
  const inTrace = () => exporter.getFinishedSpans().filter((s) => s.spanContext().traceId === TRACE_ID);
  await eventually(
    () => inTrace().some((s) => serviceOf(s) === 'order-status' && s.name === 'process DeliveryStarted'),
    { what: "order-status's span for DeliveryStarted", timeoutMs: 30_000 },
  );
  const spans = inTrace();

  assert.deepEqual(
    new Set(spans.map(serviceOf)),
    new Set(['gateway', 'order', 'payment', 'delivery', 'marketing', 'order-status']),
  );
  const ids = new Set(spans.map(idOf));
  const roots = spans.filter((s) => !ids.has(s.parentSpanContext?.spanId ?? ''));
  assert.deepEqual(describe(roots), describe(spans.filter((s) => s.parentSpanContext?.spanId === CALLER_SPAN_ID)));
  assert.equal(roots.length, 1, 'one span continues the caller; every other one has its parent in the trace');
  const gateway = roots[0] as ReadableSpan;
  assert.equal(serviceOf(gateway), 'gateway');
  assert.equal(gateway.kind, SpanKind.SERVER);

  // The request: gateway → order → payment.
  const orderServer = childOf(spans, gateway, 'order', SpanKind.SERVER, 'POST /orders');
  const paymentCall = childOf(spans, orderServer, 'order', SpanKind.CLIENT, 'POST /payments');
  const paymentServer = childOf(spans, paymentCall, 'payment', SpanKind.SERVER, 'POST /payments');
  // The events each step recorded continue its span: through the relay to their consumers.
  const orderPlaced = childOf(spans, orderServer, 'order', SpanKind.PRODUCER, 'send OrderPlaced');
  childOf(spans, orderPlaced, 'order-status', SpanKind.CONSUMER, 'process OrderPlaced');
  const paymentApproved = childOf(spans, paymentServer, 'payment', SpanKind.PRODUCER, 'send PaymentApproved');
  const accepted = childOf(spans, paymentApproved, 'delivery', SpanKind.CONSUMER, 'process PaymentApproved');
  childOf(spans, paymentApproved, 'order-status', SpanKind.CONSUMER, 'process PaymentApproved');
  // The coupon worker picks the order's trace up again, calls marketing and starts the delivery.
  const coupon = childOf(spans, accepted, 'delivery', SpanKind.INTERNAL, 'issue-coupon');
  const marketingCall = childOf(spans, coupon, 'delivery', SpanKind.CLIENT, 'POST /promotes');
  const marketingServer = childOf(spans, marketingCall, 'marketing', SpanKind.SERVER, 'POST /promotes');
  const couponPublished = childOf(spans, marketingServer, 'marketing', SpanKind.PRODUCER, 'send CouponPublished');
  childOf(spans, couponPublished, 'order-status', SpanKind.CONSUMER, 'process CouponPublished');
  const deliveryStarted = childOf(spans, coupon, 'delivery', SpanKind.PRODUCER, 'send DeliveryStarted');
  childOf(spans, deliveryStarted, 'order-status', SpanKind.CONSUMER, 'process DeliveryStarted');
});
