import {
  BrokenCircuitError,
  CircuitState,
  ConsecutiveBreaker,
  CountBreaker,
  circuitBreaker,
  handleWhen,
  TaskCancelledError,
  TimeoutStrategy,
  timeout,
  wrap,
} from 'cockatiel';

export type BreakerSettings = {
  /** Per-call timeout; a call still running then is aborted and counts as a failure. */
  timeoutMs: number;
  /** Opens when at least this share of the last `windowSize` calls failed... */
  failureRatio: number;
  windowSize: number;
  /** ...and at least this many calls were made. */
  minimumCalls: number;
  /** How long it stays open before letting one trial call through (half-open). */
  halfOpenAfterMs: number;
};

/** The original's Hystrix settings: 1 s timeout, ≥50% failures over ≥20 calls, 5 s sleep window. */
export const ORIGINAL_BREAKER: BreakerSettings = {
  timeoutMs: 1000,
  failureRatio: 0.5,
  windowSize: 20,
  minimumCalls: 20,
  halfOpenAfterMs: 5000,
};

export type BreakerState = 'closed' | 'open' | 'half-open';

/** Thrown instead of calling at all while the circuit is open, or when the call timed out. */
export class DependencyUnavailable extends Error {
  override readonly name = 'DependencyUnavailable';
  readonly dependency: string;
  readonly reason: 'circuit-open' | 'timeout' | 'failed';
  constructor(dependency: string, reason: 'circuit-open' | 'timeout' | 'failed', cause?: unknown) {
    super(`${dependency} is unavailable (${reason})`, { cause });
    this.dependency = dependency;
    this.reason = reason;
  }
}

export type Breaker = {
  readonly name: string;
  readonly state: BreakerState;
  onStateChange(listener: (state: BreakerState) => void): void;
  /** Runs the call behind the breaker; `countsAsFailure` tells which errors are the dependency's fault. */
  call<T>(action: (signal: AbortSignal) => Promise<T>): Promise<T>;
};

const STATE_NAMES: Record<CircuitState, BreakerState> = {
  [CircuitState.Closed]: 'closed',
  [CircuitState.Open]: 'open',
  [CircuitState.HalfOpen]: 'half-open',
  [CircuitState.Isolated]: 'open',
};

export function createBreaker(
  name: string,
  settings: BreakerSettings,
  countsAsFailure: (error: unknown) => boolean = () => true,
): Breaker {
  const breaker = circuitBreaker(
    handleWhen((e) => e instanceof TaskCancelledError || countsAsFailure(e)),
    {
      halfOpenAfter: settings.halfOpenAfterMs,
      breaker:
        settings.minimumCalls <= 1
          ? new ConsecutiveBreaker(1)
          : new CountBreaker({
              threshold: settings.failureRatio,
              size: settings.windowSize,
              minimumNumberOfCalls: settings.minimumCalls,
            }),
    },
  );
  const policy = wrap(breaker, timeout(settings.timeoutMs, TimeoutStrategy.Aggressive));
  return {
    name,
    get state() {
      return STATE_NAMES[breaker.state];
    },
    onStateChange(listener) {
      breaker.onStateChange((s) => listener(STATE_NAMES[s]));
    },
    async call(action) {
      try {
        // An aborted call may reject with its own error before the timeout policy reports itself,
        // so a rejection seen while the signal is already aborted is the timeout.
        return await policy.execute(({ signal }) =>
          action(signal).catch((error: unknown) => {
            throw signal.aborted ? new TaskCancelledError(`timed out after ${settings.timeoutMs} ms`) : error;
          }),
        );
      } catch (error) {
        if (error instanceof BrokenCircuitError) throw new DependencyUnavailable(name, 'circuit-open', error);
        if (error instanceof TaskCancelledError) throw new DependencyUnavailable(name, 'timeout', error);
        if (countsAsFailure(error)) throw new DependencyUnavailable(name, 'failed', error);
        throw error;
      }
    },
  };
}
