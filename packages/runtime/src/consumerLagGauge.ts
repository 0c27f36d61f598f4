import type { KafkaTransport } from '@12street/kafka';
import type { ServiceMetrics } from '@12street/platform';
import type { Logger } from 'pino';

/**
 * Keeps street_consumer_lag current from the broker's offsets (the transport caches them, so this
 * costs the broker one query per period); a group or topic this member no longer holds drops out.
 */
export function feedConsumerLag(transport: KafkaTransport, metrics: ServiceMetrics, logger: Logger, periodMs = 5_000) {
  const update = async () => {
    try {
      const lags = await transport.consumerLag();
      metrics.consumerLag.reset();
      for (const { group, topic, lag } of lags) metrics.consumerLag.set({ group, topic }, lag);
    } catch (error) {
      logger.debug({ err: error }, 'consumer lag not read this time');
    }
  };
  const timer = setInterval(() => void update(), periodMs);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
