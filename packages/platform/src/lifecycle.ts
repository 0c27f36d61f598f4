import type { Server } from 'node:http';
import { setTimeout as delay } from 'node:timers/promises';
import type { Logger } from 'pino';

/**
 * Stops cleanly on SIGTERM/SIGINT: runs stop() once, exits 0 when it finished, and exits 1 if it
 * did not finish within the grace period (so an orchestrator never waits forever).
 */
export function stopOnSignals(stop: () => Promise<void>, logger: Logger, graceMs = 20_000): void {
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
    stop().then(
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
