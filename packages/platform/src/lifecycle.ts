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
