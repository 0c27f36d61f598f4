import {
  type Attributes,
  type Context,
  context,
  createContextKey,
  defaultTextMapGetter,
  defaultTextMapSetter,
  isSpanContextValid,
  ROOT_CONTEXT,
  type Span,
  type SpanKind,
  SpanStatusCode,
  trace,
} from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { traceparentOf } from '../messaging/traceContext.ts';

/** Which of the system's services made a span; in embedded mode they share one process. */
export const SERVICE_ATTRIBUTE = '12street.service';
export const ORDER_ID_ATTRIBUTE = '12street.order_id';

const SERVICE = createContextKey('12street.service');
const TRACER_NAME = '@12street/platform';

// Used directly rather than through the global propagation API: a traceparent must be carried on
// as it came even when tracing is off and no propagator is registered.
const w3c = new W3CTraceContextPropagator();

/** The service whose work the context belongs to, as the span that started that work said. */
export const serviceOf = (ctx: Context = context.active()) => ctx.getValue(SERVICE) as string | undefined;

/** The context a W3C trace continues: root when there is none or it is malformed. */
export function continuing(traceparent: string | undefined, tracestate?: string): Context {
  const valid = traceparentOf(traceparent);
  if (!valid) return ROOT_CONTEXT;
  return w3c.extract(ROOT_CONTEXT, { traceparent: valid, ...(tracestate ? { tracestate } : {}) }, defaultTextMapGetter);
}

/** The W3C headers that continue a context's trace elsewhere; none when it has no valid span. */
export function traceHeaders(ctx: Context = context.active()): { traceparent?: string; tracestate?: string } {
  const carrier: Record<string, string> = {};
  w3c.inject(ctx, carrier, defaultTextMapSetter);
  return carrier;
}

/**
 * A span's traceparent. With tracing off a span is a no-op that only carries the context it
 * continued, so this is the traceparent that came in: passing it on works as without tracing.
 */
export function traceparentOfSpan(span: Span): string | undefined {
  if (!isSpanContextValid(span.spanContext())) return undefined;
  return traceHeaders(trace.setSpan(ROOT_CONTEXT, span)).traceparent;
}

/** The traceparent of the span active here, if any. */
export const activeTraceparent = () => traceHeaders().traceparent;

export type ServiceSpan = { span: Span; context: Context };

/** Starts a span for a service's work under parent; its context tells the spans below which service they belong to. */
export function startServiceSpan(
  service: string | undefined,
  name: string,
  options: { kind: SpanKind; attributes?: Attributes },
  parent: Context,
): ServiceSpan {
  const labelled = service ? parent.setValue(SERVICE, service) : parent;
  const span = trace.getTracer(TRACER_NAME).startSpan(
    name,
    {
      kind: options.kind,
      attributes: { ...options.attributes, ...(service ? { [SERVICE_ATTRIBUTE]: service } : {}) },
    },
    labelled,
  );
  return { span, context: trace.setSpan(labelled, span) };
}

/** Marks a span failed by error. */
export function recordFailure(span: Span, error: unknown): void {
  if (error instanceof Error) span.recordException(error);
  span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.message : String(error) });
}

/** Runs work as the span's active context; the span ends with it, failed if it threw. */
export async function inSpan<T>(started: ServiceSpan, work: (span: Span) => Promise<T>): Promise<T> {
  const { span } = started;
  try {
    return await context.with(started.context, () => work(span));
  } catch (error) {
    recordFailure(span, error);
    throw error;
  } finally {
    span.end();
  }
}
