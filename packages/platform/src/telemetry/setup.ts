import { context, DiagLogLevel, diag, propagation, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { parseKeyPairsIntoRecord, W3CTraceContextPropagator } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { defaultResource, resourceFromAttributes } from '@opentelemetry/resources';
import { BatchSpanProcessor, SimpleSpanProcessor, type SpanExporter } from '@opentelemetry/sdk-trace';
import { ATTR_SERVICE_NAME } from '@opentelemetry/semantic-conventions';
import type { Logger } from 'pino';
import { perServiceTracerProvider } from './perServiceTracerProvider.ts';

export type TelemetryEnv = Readonly<Record<string, string | undefined>>;

export type TelemetryOptions = {
  /** The OTEL_* variables (the process environment, read by the composition root). */
  env: TelemetryEnv;
  /**
   * The one service this process runs (distributed mode): its spans are reported under
   * OTEL_SERVICE_NAME or this name. Without it (embedded mode) each service's spans are reported
   * under that service's own name.
   */
  service?: string;
  /** Where spans go instead of OTLP, whatever the environment says (tests: an in-memory exporter). */
  exporter?: SpanExporter;
  /** Told when exporting fails. */
  logger?: Logger;
  /** How long shutdown waits for the last export (default 5 s), so a dead collector cannot hold a stop up. */
  shutdownTimeoutMs?: number;
};

export type Telemetry = {
  readonly tracing: boolean;
  /** Exports what is left (a failed or late export is logged, never thrown), then turns tracing off again. */
  shutdown(): Promise<void>;
};

export class TelemetryConfigurationError extends Error {
  override readonly name = 'TelemetryConfigurationError';
}

const NAMESPACE = '12street';
const DEFAULT_OTLP_TRACES_URL = 'http://localhost:4318/v1/traces';

let tracing = false;

/** Whether this process traces: startTelemetry found an exporter and registered a tracer provider. */
export const tracingEnabled = () => tracing;

/**
 * Where traces go, by the standard OTEL_* variables; undefined when tracing is off: neither an OTLP
 * endpoint nor OTEL_TRACES_EXPORTER=otlp is set, OTEL_TRACES_EXPORTER=none, or OTEL_SDK_DISABLED.
 */
export function otlpTracesTarget(env: TelemetryEnv): { url: string; headers: Record<string, string> } | undefined {
  if (env.OTEL_SDK_DISABLED?.trim().toLowerCase() === 'true') return undefined;
  const exporters = (env.OTEL_TRACES_EXPORTER ?? '')
    .split(',')
    .map((e) => e.trim().toLowerCase())
    .filter(Boolean);
  const unsupported = exporters.filter((e) => e !== 'otlp' && e !== 'none');
  if (unsupported.length > 0) {
    throw new TelemetryConfigurationError(
      `OTEL_TRACES_EXPORTER=${env.OTEL_TRACES_EXPORTER}: only "otlp" and "none" are supported`,
    );
  }
  const tracesUrl = env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT?.trim();
  const baseUrl = env.OTEL_EXPORTER_OTLP_ENDPOINT?.trim();
  const wanted = exporters.length > 0 ? exporters.includes('otlp') : Boolean(tracesUrl || baseUrl);
  if (!wanted) return undefined;
  const url = tracesUrl || (baseUrl ? `${baseUrl.replace(/\/+$/, '')}/v1/traces` : DEFAULT_OTLP_TRACES_URL);
  const headers = parseKeyPairsIntoRecord(env.OTEL_EXPORTER_OTLP_TRACES_HEADERS ?? env.OTEL_EXPORTER_OTLP_HEADERS);
  return { url, headers };
}

const OFF: Telemetry = { tracing: false, shutdown: async () => {} };

/**
 * Turns tracing on when the environment (or a given exporter) asks for it: registers a tracer
 * provider, the async-local context and the W3C propagator with the OpenTelemetry API. Otherwise
 * registers nothing, the API stays a no-op, and traceparents are only passed on.
 */
export function startTelemetry(options: TelemetryOptions): Telemetry {
  const { env } = options;
  const target = options.exporter ? undefined : otlpTracesTarget(env);
  if (!options.exporter && !target) return OFF;
  if (tracing) throw new TelemetryConfigurationError('tracing is already started in this process');

  const exporter = options.exporter ?? new OTLPTraceExporter(target);
  const processor = options.exporter ? new SimpleSpanProcessor({ exporter }) : new BatchSpanProcessor({ exporter });
  const fixedName = options.service ? env.OTEL_SERVICE_NAME?.trim() || options.service : undefined;
  const nameOf = (service: string | undefined) => fixedName ?? service ?? (env.OTEL_SERVICE_NAME?.trim() || NAMESPACE);
  const provider = perServiceTracerProvider({
    processor,
    nameOf,
    resourceOf: (service) =>
      defaultResource().merge(
        resourceFromAttributes({ [ATTR_SERVICE_NAME]: nameOf(service), 'service.namespace': NAMESPACE }),
      ),
  });

  if (options.logger) {
    const log = options.logger.child({ component: 'opentelemetry' });
    const warn = (message: string, ...args: unknown[]) => log.warn({ details: args }, message);
    const quiet = () => {};
    diag.setLogger({ error: warn, warn, info: quiet, debug: quiet, verbose: quiet }, DiagLogLevel.WARN);
  }
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  trace.setGlobalTracerProvider(provider);
  tracing = true;

  return {
    tracing: true,
    async shutdown() {
      if (!tracing) return;
      const timeoutMs = options.shutdownTimeoutMs ?? 5000;
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(new Error(`the last spans were not exported within ${timeoutMs} ms`)),
          timeoutMs,
        );
      });
      try {
        await Promise.race([provider.shutdown(), late]);
      } catch (error) {
        options.logger?.warn({ err: error }, 'spans may be lost: the last export failed');
      } finally {
        clearTimeout(timer);
        trace.disable();
        propagation.disable();
        context.disable();
        diag.disable();
        tracing = false;
      }
    },
  };
}
