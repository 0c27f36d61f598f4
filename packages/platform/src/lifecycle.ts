import type { Server } from 'node:http';
import { setTimeout as delay } from 'node:timers/promises';
import type { Logger } from 'pino';

/** A drain before the stop: for `ms` the server says it is not ready but goes on serving. */
export type DrainBeforeStop = { ms: number; drain(ms: number): Promise<void> };

/** The drain is part of the grace period, so it must leave time for the stop itself. */
export function checkDrainFitsGrace(drainMs: number, graceMs: number): void {
  if (drainMs >= graceMs) {
    throw new Error('SHUTDOWN_DRAIN_MS must be shorter than SHUTDOWN_GRACE_MS, which bounds the whole shutdown');
  }
}

/**
 * Stops cleanly on SIGTERM/SIGINT: drains first when asked to, runs stop() once, exits 0 when it
 * finished, and exits 1 if it did not finish within the grace period, counted from the signal (so
 * an orchestrator never waits forever).
 */
export function stopOnSignals(
  stop: () => Promise<void>,
  logger: Logger,
  graceMs = 20_000,
  drain?: DrainBeforeStop,
): void {
  let stopping = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'stopping');
    const force = setTimeout(() => {
      logger.error({ graceMs }, 'did not stop in time; exiting');
      process.exit(1);
    }, graceMs);
    force.unref();
    const drained = async () => {
      if (!drain) return;
      logger.info({ drainMs: drain.ms }, 'draining: not ready, still serving');
      await drain.drain(drain.ms);
      logger.info('drained: closing the listener');
    };
    drained()
      .then(stop)
      .then(
        () => {
          logger.info('stopped');
          process.exit(0);
        },
        (error: unknown) => {
          logger.error({ err: error }, 'failed to stop cleanly');
          process.exit(1);
        },
      );
  };
  process.once('SIGTERM', onSignal);
  process.once('SIGINT', onSignal);
}

/**
 * Draining the Kubernetes way, for an HTTP server about to stop: from drain() on the service says
 * it is not ready (so load balancers stop sending it requests) yet keeps serving for a while, and
 * every response carries `Connection: close`, so no idle keep-alive connection is left behind for
 * a client to send a request on just as the listener closes.
 */
export function drainer(server: Server) {
  let draining = false;
  // Node's own server sees every request before Fastify does, whichever plugin serves it.
  server.prependListener('request', (_request, response) => {
    if (draining) response.setHeader('connection', 'close');
  });
  return {
    /** A readiness check: false from the moment draining starts. */
    notDraining: () => !draining,
    async drain(ms: number) {
      draining = true;
      await delay(ms);
    },
  };
}
