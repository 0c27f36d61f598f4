// Rebuilds the order-status read model in Redis from the Kafka topics' whole history, with the
// same environment as the service: `node scripts/rebuild-order-status.ts`.
import { replayEvents, streetTopics } from '@12street/kafka';
import { createLogger, type LogLevel, readConfig } from '@12street/platform';
import { Redis } from 'ioredis';
import Type from 'typebox';
import { DEFAULT_ORDER_STATUS_KEY_PREFIX } from '../services/order-status/src/adapters/redis/orderStatusKeys.ts';
import { rebuildOrderStatusView } from '../services/order-status/src/rebuild/rebuildOrderStatusView.ts';

const config = readConfig(
  Type.Object({
    KAFKA_BROKERS: Type.String({ default: '127.0.0.1:9092' }),
    KAFKA_TOPIC_PREFIX: Type.String({ default: '' }),
    REDIS_URL: Type.String({ default: 'redis://127.0.0.1:6379/0' }),
    REDIS_KEY_PREFIX: Type.String({ default: DEFAULT_ORDER_STATUS_KEY_PREFIX }),
    LOG_LEVEL: Type.String({ default: 'info' }),
  }),
  process.env,
);
const logger = createLogger('order-status-rebuild', config.LOG_LEVEL as LogLevel);
const redis = new Redis(config.REDIS_URL, { maxRetriesPerRequest: 3 });
redis.on('error', (error) => logger.warn({ err: error }, 'redis connection problem'));

try {
  const result = await rebuildOrderStatusView({
    redis,
    keyPrefix: config.REDIS_KEY_PREFIX,
    logger,
    replay: (project) =>
      replayEvents({
        bootstrapBrokers: config.KAFKA_BROKERS.split(','),
        topics: streetTopics(config.KAFKA_TOPIC_PREFIX),
        groupId: `order-status-rebuild-${Date.now()}`,
        logger,
        handle: project,
      }),
  });
  logger.info(result, 'order-status view rebuilt');
} catch (error) {
  logger.error({ err: error }, 'order-status rebuild failed; the previous view is still live');
  process.exitCode = 1;
} finally {
  await redis.quit();
}
