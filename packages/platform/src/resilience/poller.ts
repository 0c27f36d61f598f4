import type { Logger } from 'pino';

export type Poller = { wake(): void; stop(): Promise<void>; readonly running: boolean };

/**
 * Runs work again and again, one run at a time: every intervalMs, or at once when woken. A failed
 * run is logged and retried on the next tick; stop() waits for the run in progress to finish.
 */
export function startPoller(options: {
  name: string;
  intervalMs: number;
  logger: Logger;
  run(): Promise<void>;
}): Poller {
  let stopping = false;
  let wokenDuringRun = false;
  let wakeUp: () => void = () => {};
  const sleep = () =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, options.intervalMs);
      wakeUp = () => {
        clearTimeout(timer);
        resolve();
      };
    });

  const loop = (async () => {
    while (!stopping) {
      wokenDuringRun = false;
      try {
        await options.run();
      } catch (error) {
        options.logger.error({ err: error, poller: options.name }, 'poller run failed');
      }
      if (!stopping && !wokenDuringRun) await sleep();
    }
  })();

  return {
    get running() {
      return !stopping;
    },
    wake() {
      wokenDuringRun = true;
      wakeUp();
    },
    async stop() {
      stopping = true;
      wakeUp();
      await loop;
    },
  };
}
