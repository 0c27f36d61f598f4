import type { FastifyInstance } from 'fastify';

export type LivenessCheck = () => Promise<boolean> | boolean;

export type EventLoopWatchOptions = {
  /** A tick later than this means the event loop was blocked. */
  maxDelayMs: number;
  /** How long a block keeps the process reported not-live after it ended. */
  windowMs: number;
};

export const DEFAULT_EVENT_LOOP_WATCH: EventLoopWatchOptions = { maxDelayMs: 5_000, windowMs: 15_000 };

const TICK_MS = 100;

/**
 * Notices a blocked event loop by how late a periodic tick fires. While the loop is blocked nothing
 * in the process can answer, so a probe times out; once it runs again, the block is remembered for
 * windowMs, so a loop that keeps blocking stays not-live between blocks and the orchestrator
 * restarts it, while a single hiccup costs at most a probe or two.
 */
export function eventLoopWatch(options: EventLoopWatchOptions) {
  let expected = Date.now() + TICK_MS;
  let lastBlock: { endedAt: number; delayMs: number } | undefined;
  const timer = setInterval(() => {
    const now = Date.now();
    const delayMs = now - expected;
    if (delayMs > options.maxDelayMs) lastBlock = { endedAt: now, delayMs };
    expected = now + TICK_MS;
  }, TICK_MS);
  timer.unref();
  return {
    options,
    live(): boolean {
      const now = Date.now();
      if (now - expected > options.maxDelayMs) return false;
      return lastBlock === undefined || now - lastBlock.endedAt > options.windowMs;
    },
    lastBlock: () => lastBlock,
    stop: () => clearInterval(timer),
  };
}

export type EventLoopWatch = ReturnType<typeof eventLoopWatch>;

let processWatch: EventLoopWatch | undefined;

/**
 * The one watch of this process (the embedded mode runs every service in it). The composition root
 * may set its thresholds before the first HTTP app is created; later calls return the same watch.
 */
export function processEventLoop(options: Partial<EventLoopWatchOptions> = {}): EventLoopWatch {
  processWatch ??= eventLoopWatch({ ...DEFAULT_EVENT_LOOP_WATCH, ...options });
  return processWatch;
}

const checksOfApp = new WeakMap<FastifyInstance, Map<string, LivenessCheck>>();

/** The conditions /health/live asks, by name; every HTTP app starts with the event loop's. */
export function livenessChecks(app: FastifyInstance): Map<string, LivenessCheck> {
  let checks = checksOfApp.get(app);
  if (!checks) {
    const watch = processEventLoop();
    checks = new Map<string, LivenessCheck>([['eventLoop', () => watch.live()]]);
    checksOfApp.set(app, checks);
  }
  return checks;
}

/** Another condition for /health/live: one that, when false, only a restart can put right. */
export function addLivenessCheck(app: FastifyInstance, name: string, check: LivenessCheck): void {
  livenessChecks(app).set(name, check);
}

/** Every check's answer; a check that throws counts as not live. */
export async function liveness(app: FastifyInstance): Promise<Record<string, boolean>> {
  const results: Record<string, boolean> = {};
  for (const [name, check] of livenessChecks(app)) {
    results[name] = await Promise.resolve()
      .then(check)
      .catch(() => false);
  }
  return results;
}
