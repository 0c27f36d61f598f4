import { answersReady } from './upstreamReadiness.ts';

type Log = { info(details: object, message: string): void };

export type InstancePoolOptions = {
  service: string;
  /** The instances' base URLs; only their origins count, as the proxy keeps the request's path. */
  urls: readonly string[];
  /** How often each instance's /health/ready is asked. */
  pollMs: number;
  /** How long one answer may take before the instance counts as not ready. */
  probeTimeoutMs: number;
  log: Log;
};

/**
 * The instances of one service and which of them are ready, as a Kubernetes Service's endpoints
 * are: each one's /health/ready is polled, and requests go round robin to the ready ones. When
 * none says it is ready, every instance is a candidate rather than none: the view may be stale,
 * and a refused connection is rerouted anyway.
 */
export function instancePool(options: InstancePoolOptions) {
  const { service, pollMs, probeTimeoutMs, log } = options;
  const origins = [...new Set(options.urls.map((url) => new URL(url).origin))];
  // Until the first poll answers, every instance is taken at its word, as with a single URL.
  const ready = new Map(origins.map((origin) => [origin, true]));
  let turn = 0;
  let timer: NodeJS.Timeout | undefined;
  let polling = false;

  const mark = (origin: string, isReady: boolean) => {
    if (ready.get(origin) === isReady) return;
    ready.set(origin, isReady);
    log.info(
      { upstream: service, instance: origin, ready: isReady },
      isReady ? 'instance ready' : 'instance not ready',
    );
  };
  const poll = async () => {
    const answers = await Promise.all(origins.map((origin) => answersReady(origin, probeTimeoutMs)));
    if (!polling) return;
    for (const [i, origin] of origins.entries()) mark(origin, answers[i] === true);
    timer = setTimeout(poll, pollMs);
    timer.unref();
  };

  const inTurn = (candidates: readonly string[]) => candidates[turn++ % candidates.length];

  return {
    service,
    origins,
    /** The instance the next request goes to. */
    next(): string {
      const open = origins.filter((origin) => ready.get(origin));
      return inTurn(open.length > 0 ? open : origins) as string;
    },
    /** Another instance for a request the ones tried could not take, if any is left. */
    nextUntried(tried: ReadonlySet<string>): string | undefined {
      const untried = origins.filter((origin) => !tried.has(origin));
      const open = untried.filter((origin) => ready.get(origin));
      return untried.length === 0 ? undefined : inTurn(open.length > 0 ? open : untried);
    },
    /** It refused a connection: no more requests until a poll finds it ready again. */
    unreachable(origin: string) {
      mark(origin, false);
    },
    isReady: (origin: string) => ready.get(origin) === true,
    start() {
      if (polling) return;
      polling = true;
      void poll();
    },
    stop() {
      polling = false;
      clearTimeout(timer);
    },
  };
}

export type InstancePool = ReturnType<typeof instancePool>;
