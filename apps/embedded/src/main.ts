import { resolve } from 'node:path';
import { DEFAULT_PORTS } from '@12street/contracts';
import { createLogger, readConfig, stopOnSignals } from '@12street/platform';
import Type from 'typebox';
import { startEmbeddedSystem } from './system.ts';

const Port = (fallback: number) => Type.Integer({ minimum: 0, maximum: 65535, default: fallback });
const EmbeddedConfig = Type.Object({
  DATA_DIR: Type.String({ default: './data' }),
  HOST: Type.String({ default: '127.0.0.1' }),
  LOG_LEVEL: Type.Union(
    ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].map((l) => Type.Literal(l)),
    { default: 'info' },
  ),
  GATEWAY_PORT: Port(DEFAULT_PORTS.gateway),
  ORDER_PORT: Port(DEFAULT_PORTS.order),
  PAYMENT_PORT: Port(DEFAULT_PORTS.payment),
  DELIVERY_PORT: Port(DEFAULT_PORTS.delivery),
  MARKETING_PORT: Port(DEFAULT_PORTS.marketing),
  ORDER_STATUS_PORT: Port(DEFAULT_PORTS.orderStatus),
});

const config = readConfig(EmbeddedConfig, process.env);
// No service name here: each service's logger adds its own.
const logger = createLogger(undefined, config.LOG_LEVEL as 'info');
const dataDir = resolve(config.DATA_DIR);
const system = await startEmbeddedSystem({
  dataDir,
  logger,
  host: config.HOST,
  ports: {
    gateway: config.GATEWAY_PORT,
    order: config.ORDER_PORT,
    payment: config.PAYMENT_PORT,
    delivery: config.DELIVERY_PORT,
    marketing: config.MARKETING_PORT,
    orderStatus: config.ORDER_STATUS_PORT,
  },
});

const u = system.urls;
process.stdout.write(`
12street is running (embedded mode: one process, SQLite files in ${dataDir}, in-process events)

  gateway        ${u.gateway}   ← use this: /orders /payments /stockDeliveries /promotes /orderStatus
  order          ${u.order}
  payment        ${u.payment}
  delivery       ${u.delivery}
  marketing      ${u.marketing}
  order-status   ${u.orderStatus}
  OpenAPI        ${u.gateway}/openapi.json

Try:  curl -s -X POST ${u.gateway}/orders -H 'content-type: application/json' \\
        -d '{"productId":1,"productName":"TV","productPrice":10000,"qty":1,"userId":"u1","username":"kim","address":"Seoul","phoneNo":"010-1234-5678"}'
      curl -s ${u.gateway}/orderStatus
Stop: Ctrl-C
`);
stopOnSignals(system.stop, logger);
