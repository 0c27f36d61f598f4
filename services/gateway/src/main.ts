import { DEFAULT_PORTS } from '@12street/contracts';
import { createLogger, type LogLevel, readConfig, stopOnSignals } from '@12street/platform';
import Type from 'typebox';
import { createGateway } from './compose.ts';

const url = (port: number) => Type.String({ default: `http://127.0.0.1:${port}` });
const GatewayConfig = Type.Object({
  PORT: Type.Integer({ minimum: 0, maximum: 65535, default: DEFAULT_PORTS.gateway }),
  HOST: Type.String({ default: '0.0.0.0' }),
  LOG_LEVEL: Type.String({ default: 'info' }),
  ORDER_URL: url(DEFAULT_PORTS.order),
  PAYMENT_URL: url(DEFAULT_PORTS.payment),
  DELIVERY_URL: url(DEFAULT_PORTS.delivery),
  MARKETING_URL: url(DEFAULT_PORTS.marketing),
  ORDER_STATUS_URL: url(DEFAULT_PORTS.orderStatus),
  UPSTREAM_TIMEOUT_MS: Type.Integer({ minimum: 100, default: 10_000 }),
});

// Distributed mode: the gateway as its own process; it has no database and consumes no events.
const config = readConfig(GatewayConfig, process.env);
const logger = createLogger('gateway', config.LOG_LEVEL as LogLevel);
const gateway = createGateway({
  logger,
  upstreamTimeoutMs: config.UPSTREAM_TIMEOUT_MS,
  upstreams: {
    order: config.ORDER_URL,
    payment: config.PAYMENT_URL,
    delivery: config.DELIVERY_URL,
    marketing: config.MARKETING_URL,
    orderStatus: config.ORDER_STATUS_URL,
  },
});
await gateway.start();
const address = await gateway.app.listen({ port: config.PORT, host: config.HOST });
logger.info({ address }, 'gateway ready');
stopOnSignals(gateway.stop, logger);
