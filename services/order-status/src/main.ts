import { DEFAULT_PORTS } from '@12street/contracts';
import { runProcess } from '@12street/runtime';
import { Redis } from 'ioredis';
import Type from 'typebox';
import { createOrderStatusServiceOnRedis, DEFAULT_ORDER_STATUS_KEY_PREFIX } from './compose.ts';

const OrderStatusConfig = Type.Object({
  REDIS_URL: Type.String({ default: 'redis://127.0.0.1:6379/0' }),
  REDIS_KEY_PREFIX: Type.String({ default: DEFAULT_ORDER_STATUS_KEY_PREFIX }),
});

// Distributed mode: the read model as its own process, on Redis and Kafka.
await runProcess({
  name: 'order-status',
  defaultPort: DEFAULT_PORTS.orderStatus,
  config: OrderStatusConfig,
  build(deps, config) {
    const redis = new Redis(config.REDIS_URL, { maxRetriesPerRequest: 3 });
    redis.on('error', (error) => deps.logger.warn({ err: error }, 'redis connection problem'));
    const service = createOrderStatusServiceOnRedis({ redis, keyPrefix: config.REDIS_KEY_PREFIX, ...deps });
    return { service, close: async () => void (await redis.quit()) };
  },
});
