import { type Context, context, type Span, type SpanOptions, type Tracer, trace } from '@opentelemetry/api';
import type { Resource } from '@opentelemetry/resources';
import { type SpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import { serviceOf } from './spans.ts';

/**
 * One tracer provider per service, so each service's spans carry its own resource (service.name)
 * even when several run in one process (embedded mode). They share one span processor, so one
 * exporter sends them all; a span goes to the provider of the service its context names.
 */
export function perServiceTracerProvider(options: {
  processor: SpanProcessor;
  resourceOf(service: string | undefined): Resource;
  /** The name a service's spans are reported under (one fixed name in a one-service process). */
  nameOf(service: string | undefined): string;
}) {
  const providers = new Map<string, TracerProvider>();
  const providerFor = (ctx: Context) => {
    const service = serviceOf(ctx);
    const name = options.nameOf(service);
    let provider = providers.get(name);
    if (!provider) {
      provider = new TracerProvider({ resource: options.resourceOf(service), spanProcessors: [options.processor] });
      providers.set(name, provider);
    }
    return provider;
  };

  return {
    getTracer(name: string, version?: string, tracerOptions?: { schemaUrl?: string }): Tracer {
      const tracerIn = (ctx: Context) => providerFor(ctx).getTracer(name, version, tracerOptions);
      const startSpan = (spanName: string, spanOptions?: SpanOptions, ctx: Context = context.active()) =>
        tracerIn(ctx).startSpan(spanName, spanOptions, ctx);
      return {
        startSpan,
        startActiveSpan<F extends (span: Span) => unknown>(spanName: string, ...rest: unknown[]): ReturnType<F> {
          const fn = rest.at(-1) as (span: Span) => ReturnType<F>;
          const spanOptions = rest.length > 1 ? (rest[0] as SpanOptions) : undefined;
          const parent = rest.length > 2 ? (rest[1] as Context) : context.active();
          const span = startSpan(spanName, spanOptions, parent);
          return context.with(trace.setSpan(parent, span), fn, undefined, span) as ReturnType<F>;
        },
      };
    },
    forceFlush: () => options.processor.forceFlush(),
    shutdown: () => options.processor.shutdown(),
  };
}
