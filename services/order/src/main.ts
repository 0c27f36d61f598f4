import { DEFAULT_GRPC_PORTS, DEFAULT_PORTS } from '@12street/contracts';
import { BreakerConfig, breakerSettings, runService } from '@12street/runtime';
import Type from 'typebox';
import { createOrderService, type OrderGrpcServer, startOrderGrpcServer } from './compose.ts';

const OrderConfig = Type.Object({
  ...BreakerConfig.properties,
  PAYMENT_URL: Type.String({ default: `http://127.0.0.1:${DEFAULT_PORTS.payment}` }),
  SETTLE_INTERVAL_MS: Type.Integer({ minimum: 10, default: 2000 }),
  STALE_PENDING_MS: Type.Integer({ minimum: 1000, default: 30_000 }),
  ORDER_GRPC_PORT: Type.Integer({ minimum: 0, maximum: 65535, default: DEFAULT_GRPC_PORTS.order }),
});

// Distributed mode: order as its own process, on PostgreSQL (DATABASE_URL) and Kafka.
await runService({
  name: 'order',
  defaultPort: DEFAULT_PORTS.order,
  config: OrderConfig,
  build(deps, config) {
    const order = createOrderService({
      ...deps,
      paymentUrl: config.PAYMENT_URL,
      breaker: breakerSettings(config),
      settleIntervalMs: config.SETTLE_INTERVAL_MS,
      stalePendingMs: config.STALE_PENDING_MS,
    });
    // The gRPC adapter calls the same use cases as REST; it starts after the migrations and stops first.
    let grpc: OrderGrpcServer | undefined;
    return {
      ...order,
      async start() {
        await order.start();
        grpc = await startOrderGrpcServer({
          useCases: order.useCases,
          logger: deps.logger,
          port: config.ORDER_GRPC_PORT,
          host: config.HOST,
        });
      },
      async stop() {
        await grpc?.stop();
        await order.stop();
      },
    };
  },
});
