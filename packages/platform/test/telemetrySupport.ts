import { SpanKind } from '@opentelemetry/api';
import type { ReadableSpan } from '@opentelemetry/sdk-trace';

export const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
export const CALLER_SPAN_ID = '00f067aa0ba902b7';
export const TRACEPARENT = `00-${TRACE_ID}-${CALLER_SPAN_ID}-01`;

export type LogLine = Record<string, unknown>;

/** A pino destination that keeps every line, parsed. */
export function logSink() {
  const lines: LogLine[] = [];
  return { lines, write: (line: string) => void lines.push(JSON.parse(line) as LogLine) };
}

export const serviceOfSpan = (span: ReadableSpan) => span.resource.attributes['service.name'];

/** The one finished span with this name and kind (of the service, when given); fails if there is not exactly one. */
export function onlySpan(spans: readonly ReadableSpan[], name: string, kind: SpanKind, service?: string): ReadableSpan {
  const found = spans.filter(
    (s) => s.name === name && s.kind === kind && (service === undefined || serviceOfSpan(s) === service),
  );
  if (found.length !== 1) {
    const seen = spans.map((s) => `${serviceOfSpan(s)}:${SpanKind[s.kind]}:${s.name}`).join(', ');
    throw new Error(
      `expected one ${SpanKind[kind]} span "${name}" of ${service ?? 'any service'}, found ${found.length} in ${seen}`,
    );
  }
  return found[0] as ReadableSpan;
}

export const idOf = (span: ReadableSpan) => span.spanContext().spanId;
export const parentIdOf = (span: ReadableSpan) => span.parentSpanContext?.spanId;
export const traceparentOf = (span: ReadableSpan) => `00-${span.spanContext().traceId}-${idOf(span)}-01`;
