import type {
  Breaker,
  BreakerState,
  FaultMode,
  FaultSwitch,
  RunnableService,
  StartableService,
} from '@12street/platform';

/** The services with an outbox, as the embedded system starts them. */
export type OutboxServices = Record<'order' | 'payment' | 'delivery' | 'marketing' | 'orderStatus', StartableService>;

export type OpsSystemParts = {
  /** Every service behind the gateway (identity too) with its base URL. */
  urls: Record<string, string>;
  /** The same services' apps, asked for their readiness in process. */
  apps: Record<string, RunnableService['app']>;
  services: OutboxServices;
  breakers: { payment: Breaker; marketing: Breaker };
  faults: Record<string, FaultSwitch>;
};

export type ServiceOverview = {
  name: string;
  url: string;
  ready: boolean;
  checks: Record<string, boolean>;
  fault: FaultMode;
  /** Events committed but not handed to the transport yet; identity has no outbox. */
  outbox: { unsent: number; oldestAt: string | null } | null;
  deadLettersParked: number | null;
};

export type BreakerOverview = { dependency: string; caller: string; state: BreakerState; since: string | null };

export type OpsOverview = {
  mode: 'embedded';
  services: ServiceOverview[];
  breakers: BreakerOverview[];
  consumerLag: { available: false; note: string };
};

const CALLER_OF = { payment: 'order', marketing: 'delivery' } as const;

const NO_CONSUMER_LAG =
  'Embedded mode has no broker: the relay hands each event to the subscribers in process, so there is ' +
  'no consumer lag to show. What waits is the outbox backlog. (Distributed mode: street_consumer_lag in /metrics.)';

/**
 * Asked in process (no socket): a connection of the console's own would be one more for the
 * service to wait for when it closes.
 */
async function readiness(app: RunnableService['app'] | undefined, timeoutMs: number) {
  if (!app) return { ready: false, checks: {} };
  try {
    const reply = await Promise.race([
      app.inject({ method: 'GET', url: '/health/ready' }),
      new Promise<never>((_, reject) => setTimeout(() => reject(new Error('no answer')), timeoutMs).unref()),
    ]);
    return {
      ready: reply.statusCode === 200,
      checks: (reply.json() as { checks?: Record<string, boolean> }).checks ?? {},
    };
  } catch {
    return { ready: false, checks: {} };
  }
}

/**
 * What the saga console shows about the running system: each service's readiness (as its health
 * endpoint answers it), fault switch, outbox backlog and parked dead letters, and both breakers
 * with the time they last changed state.
 */
export function opsOverview(parts: OpsSystemParts, options: { readinessTimeoutMs?: number } = {}) {
  const timeoutMs = options.readinessTimeoutMs ?? 1000;
  const since: Record<string, string | null> = { payment: null, marketing: null };
  const listeners = new Set<() => void>();
  const changed = () => {
    for (const listener of listeners) listener();
  };
  for (const [name, breaker] of Object.entries(parts.breakers)) {
    breaker.onStateChange(() => {
      since[name] = new Date().toISOString();
      changed();
    });
  }

  const serviceOverview = async (name: string, url: string): Promise<ServiceOverview> => {
    const service = parts.services[name as keyof OutboxServices] as StartableService | undefined;
    const [health, outbox, parked] = await Promise.all([
      readiness(parts.apps[name], timeoutMs),
      service ? service.kernel.outboxBacklog().catch(() => null) : null,
      service ? service.kernel.deadLetters.countParked().catch(() => null) : null,
    ]);
    const fault = parts.faults[name]?.mode ?? { kind: 'none' };
    return { name, url, ...health, fault, outbox, deadLettersParked: parked };
  };

  return {
    async read(): Promise<OpsOverview> {
      return {
        mode: 'embedded',
        services: await Promise.all(Object.entries(parts.urls).map(([name, url]) => serviceOverview(name, url))),
        breakers: Object.entries(parts.breakers).map(([dependency, breaker]) => ({
          dependency,
          caller: CALLER_OF[dependency as keyof typeof CALLER_OF],
          state: breaker.state,
          since: since[dependency] ?? null,
        })),
        consumerLag: { available: false, note: NO_CONSUMER_LAG },
      };
    },
    /** Called at once when a breaker changes state or a fault is switched; returns the unsubscribe. */
    onChange(listener: () => void) {
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },
    changed,
  };
}

export type OpsOverviewReader = ReturnType<typeof opsOverview>;
