import { DEFAULT_PORTS } from '@12street/contracts';
import { BreakerConfig, breakerSettings, runService } from '@12street/runtime';
import Type from 'typebox';
import { createDeliveryService } from './compose.ts';

const DeliveryConfig = Type.Object({
  ...BreakerConfig.properties,
  MARKETING_URL: Type.String({ default: `http://127.0.0.1:${DEFAULT_PORTS.marketing}` }),
  COUPON_INTERVAL_MS: Type.Integer({ minimum: 10, default: 1000 }),
});

// Distributed mode: delivery as its own process, on PostgreSQL (DATABASE_URL) and Kafka.
await runService({
  name: 'delivery',
  defaultPort: DEFAULT_PORTS.delivery,
  config: DeliveryConfig,
  build: (deps, config) =>
    createDeliveryService({
      ...deps,
      marketingUrl: config.MARKETING_URL,
      breaker: breakerSettings(config),
      couponIntervalMs: config.COUPON_INTERVAL_MS,
    }),
});
