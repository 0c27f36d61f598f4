import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import { sendProblem } from './http/problem.ts';
import type { HttpApp } from './http/server.ts';
import type { Breaker, BreakerState } from './resilience/breaker.ts';

/**
 * One registry per service (the embedded mode runs them all in one process), every series labelled
 * with the service. The names are the ones the dashboards and alert rules in deploy/ refer to.
 */
export function serviceMetrics(
  service: string,
  outbox?: () => Promise<{ unsent: number; oldestAt: string | null }>,
  parkedDeadLetters?: () => Promise<number>,
) {
  const registry = new Registry();
  registry.setDefaultLabels({ service });
  const registers = [registry];
  return {
    registry,
    httpDuration: new Histogram({
      name: 'street_http_request_duration_seconds',
      help: 'HTTP request latency by route and status',
      labelNames: ['method', 'route', 'status_code'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers,
    }),
    eventsPublished: new Counter({
      name: 'street_events_published_total',
      help: 'Events handed to the transport by the outbox relay',
      labelNames: ['event_type'],
      registers,
    }),
    publishFailures: new Counter({
      name: 'street_events_publish_failures_total',
      help: 'Outbox relay attempts that failed and will be retried',
      registers,
    }),
    eventsConsumed: new Counter({
      name: 'street_events_consumed_total',
      help: 'Events handled by a policy, by outcome (processed, duplicate, failed)',
      labelNames: ['event_type', 'policy', 'outcome'],
      registers,
    }),
    deadLetters: new Counter({
      name: 'street_dead_letters_total',
      help: 'Events a consumer gave up on after its attempts and parked as dead letters, by consumer (policy)',
      labelNames: ['consumer'],
      registers,
    }),
    deadLettersParked: new Gauge({
      name: 'street_dead_letters_parked',
      help: 'Dead letters parked and not redriven yet',
      registers: parkedDeadLetters ? registers : [],
      async collect() {
        if (parkedDeadLetters) this.set(await parkedDeadLetters());
      },
    }),
    outboxBacklog: new Gauge({
      name: 'street_outbox_backlog',
      help: 'Events committed but not yet published',
      registers: outbox ? registers : [],
      async collect() {
        if (outbox) this.set((await outbox()).unsent);
      },
    }),
    outboxOldestAge: new Gauge({
      name: 'street_outbox_oldest_age_seconds',
      help: 'Age of the oldest unpublished event (0 when none)',
      registers: outbox ? registers : [],
      async collect() {
        const oldest = outbox && (await outbox()).oldestAt;
        this.set(oldest ? Math.max(0, (Date.now() - Date.parse(oldest)) / 1000) : 0);
      },
    }),
    breakerState: new Gauge({
      name: 'street_circuit_breaker_state',
      help: 'Circuit breaker state: 0 closed, 1 half-open, 2 open',
      labelNames: ['dependency'],
      registers,
    }),
    consumerLag: new Gauge({
      name: 'street_consumer_lag',
      help: 'Messages not yet consumed, by consumer group and topic',
      labelNames: ['group', 'topic'],
      registers,
    }),
    sagaStep: new Histogram({
      name: 'street_saga_step_duration_seconds',
      help: 'Time between the events that begin and end a saga step',
      labelNames: ['step'],
      buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300],
      registers,
    }),
  };
}

export type ServiceMetrics = ReturnType<typeof serviceMetrics>;

export const BREAKER_STATE_VALUE = { closed: 0, 'half-open': 1, open: 2 } as const;

/**
 * GET /metrics and a latency histogram over every route, labelled by the route's template. At the
 * edge (`hideFromProxies`) a request that came through a proxy (the Ingress sets X-Forwarded-For)
 * gets 404: Prometheus scrapes the pod directly, the public does not see the figures.
 */
export function installMetrics(app: HttpApp, metrics: ServiceMetrics, options: { hideFromProxies?: boolean } = {}) {
  app.addHook('onResponse', async (request, reply) => {
    const route = request.routeOptions.url ?? 'unmatched';
    if (route === '/metrics') return;
    metrics.httpDuration.observe(
      { method: request.method, route, status_code: String(reply.statusCode) },
      reply.elapsedTime / 1000,
    );
  });
  app.get('/metrics', async (request, reply) => {
    if (options.hideFromProxies && request.headers['x-forwarded-for'] !== undefined) {
      return sendProblem(reply, { status: 404, title: 'Not Found', detail: 'no such resource' });
    }
    return reply.type(metrics.registry.contentType).send(await metrics.registry.metrics());
  });
}

/** Keeps a breaker's state gauge current. */
export function observeBreaker(metrics: ServiceMetrics, breaker: Breaker) {
  const set = (state: BreakerState) =>
    metrics.breakerState.set({ dependency: breaker.name }, BREAKER_STATE_VALUE[state]);
  set(breaker.state);
  breaker.onStateChange(set);
}
