import { join } from 'node:path';
import { DEFAULT_GRPC_PORTS, DEFAULT_PORTS } from '@12street/contracts';
import { createDeliveryService } from '@12street/delivery';
import { createGateway, InsecureConfiguration, type RateLimits } from '@12street/gateway';
import { createIdentityService, keysInDirectory, type ScryptCost } from '@12street/identity';
import { createMarketingService } from '@12street/marketing';
import { createOrderService, startOrderGrpcServer } from '@12street/order';
import { createOrderStatusService } from '@12street/order-status';
import { createPaymentService } from '@12street/payment';
import {
  type BreakerSettings,
  type FaultSwitch,
  inProcessTransport,
  installFaultSwitch,
  openSqlite,
  type RunnableService,
} from '@12street/platform';
import type { Logger } from 'pino';
import { opsApi } from './opsApi.ts';
import { opsOverview } from './opsOverview.ts';

/** The original's ports, and identity's beside them (until the contracts name it). */
export const EMBEDDED_PORTS = DEFAULT_PORTS;
export type ServiceName = keyof typeof EMBEDDED_PORTS;
export type Ports = Record<ServiceName, number>;

/** Tokens in embedded mode: issued by the built-in identity service, checked by the gateway. */
export const TOKEN_ISSUER = 'urn:12street:identity';
export const TOKEN_AUDIENCE = 'urn:12street:api';

export type EmbeddedSecurity = {
  /** AUTH_DISABLED: the gateway checks no tokens. Refused in production. */
  authDisabled?: boolean;
  /** NODE_ENV=production: no demo accounts, and auth cannot be disabled. */
  production?: boolean;
  corsOrigins?: string[];
  hsts?: boolean;
  rateLimits?: Partial<RateLimits>;
  tokenTtlSeconds?: number;
  /** Cheaper password hashing, for tests that sign in often. */
  passwordCost?: ScryptCost;
};

export type EmbeddedOptions = {
  dataDir: string;
  logger: Logger;
  host?: string;
  /** Port 0 lets the OS choose (tests); defaults are the original system's ports. */
  ports?: Partial<Ports>;
  paymentBreaker?: BreakerSettings;
  marketingBreaker?: BreakerSettings;
  /** How often background workers look for due work when nothing woke them. */
  workerIntervalMs?: number;
  couponBackoff?: { baseMs: number; maxMs: number };
  security?: EmbeddedSecurity;
  /** The built web app the gateway serves at `/` (default apps/web/dist); false serves none. */
  webApp?: string | false;
  /** The order service's gRPC port (0: any free port); defaults to 9082. */
  orderGrpcPort?: number;
};

type Backend = Exclude<ServiceName, 'gateway'>;
export type EmbeddedSystem = Awaited<ReturnType<typeof startEmbeddedSystem>>;

/**
 * The whole system in one process: every service with its own SQLite file, the in-process
 * transport between them, and the gateway in front. Services start in dependency order so each
 * one knows the address of the services it calls. Only the gateway listens on `host`: the services
 * behind it trust the identity it vouches for, so they listen on the loopback interface alone.
 */
export async function startEmbeddedSystem(options: EmbeddedOptions) {
  const { dataDir, logger } = options;
  const security = options.security ?? {};
  if (security.authDisabled && security.production) {
    throw new InsecureConfiguration('AUTH_DISABLED is refused in production: the gateway must verify access tokens');
  }
  const host = options.host ?? '127.0.0.1';
  const ports: Ports = { ...EMBEDDED_PORTS, ...options.ports };
  const transport = inProcessTransport();
  const databases: { destroy(): Promise<void> }[] = [];
  const started: RunnableService[] = [];
  /** Inbound adapters beside the services' HTTP apps, stopped before the services. */
  const stopFirst: (() => Promise<void>)[] = [];
  const database = <DB>(name: string) => {
    const db = openSqlite<DB>(join(dataDir, `${name}.db`));
    databases.push(db);
    return db;
  };
  const common = (name: string) => ({ dialect: 'sqlite' as const, transport, logger: logger.child({ service: name }) });
  const faults = {} as Record<Backend, FaultSwitch>;

  const launch = async <S extends RunnableService>(name: Backend, service: S) => {
    faults[name] = installFaultSwitch(service.app);
    await service.start();
    started.push(service);
    const address = await service.app.listen({ port: ports[name], host: '127.0.0.1' });
    return { service, url: address };
  };

  try {
    const identity = await launch(
      'identity',
      createIdentityService({
        db: database('identity'),
        dialect: 'sqlite',
        logger: logger.child({ service: 'identity' }),
        keys: keysInDirectory(dataDir),
        issuer: TOKEN_ISSUER,
        audience: TOKEN_AUDIENCE,
        demoAccounts: !security.production,
        ...(security.tokenTtlSeconds ? { tokenTtlSeconds: security.tokenTtlSeconds } : {}),
        ...(security.passwordCost ? { passwordCost: security.passwordCost } : {}),
      }),
    );
    const payment = await launch('payment', createPaymentService({ db: database('payment'), ...common('payment') }));
    const marketing = await launch(
      'marketing',
      createMarketingService({ db: database('marketing'), ...common('marketing') }),
    );
    const orderStatus = await launch(
      'orderStatus',
      createOrderStatusService({ db: database('order-status'), ...common('order-status') }),
    );
    const order = await launch(
      'order',
      createOrderService({
        db: database('order'),
        ...common('order'),
        paymentUrl: payment.url,
        ...(options.paymentBreaker ? { breaker: options.paymentBreaker } : {}),
        ...(options.workerIntervalMs ? { settleIntervalMs: options.workerIntervalMs } : {}),
      }),
    );
    // The gRPC adapter calls the same use cases as order's REST resource.
    const orderGrpc = await startOrderGrpcServer({
      useCases: order.service.useCases,
      logger: logger.child({ service: 'order' }),
      port: options.orderGrpcPort ?? DEFAULT_GRPC_PORTS.order,
      // Like the services' HTTP, gRPC stays on the loopback interface; it has no caller checks.
      host: '127.0.0.1',
    });
    stopFirst.push(() => orderGrpc.stop());
    const delivery = await launch(
      'delivery',
      createDeliveryService({
        db: database('delivery'),
        ...common('delivery'),
        marketingUrl: marketing.url,
        ...(options.marketingBreaker ? { breaker: options.marketingBreaker } : {}),
        ...(options.workerIntervalMs ? { couponIntervalMs: options.workerIntervalMs } : {}),
        ...(options.couponBackoff ? { couponBackoff: options.couponBackoff } : {}),
      }),
    );
    const upstreams = {
      order: order.url,
      payment: payment.url,
      delivery: delivery.url,
      marketing: marketing.url,
      orderStatus: orderStatus.url,
      identity: identity.url,
    };
    const opsParts = {
      urls: upstreams,
      apps: {
        order: order.service.app,
        payment: payment.service.app,
        delivery: delivery.service.app,
        marketing: marketing.service.app,
        orderStatus: orderStatus.service.app,
        identity: identity.service.app,
      },
      services: {
        order: order.service,
        payment: payment.service,
        delivery: delivery.service,
        marketing: marketing.service,
        orderStatus: orderStatus.service,
      },
      breakers: { payment: order.service.paymentBreaker, marketing: delivery.service.marketingBreaker },
      faults,
    };
    const overview = opsOverview(opsParts);
    const gateway = createGateway({
      logger: logger.child({ service: 'gateway' }),
      upstreams,
      edgeRoutes: (edge) => opsApi(edge, opsParts, overview),
      ...(options.webApp !== undefined ? { webApp: options.webApp } : {}),
      auth: security.authDisabled
        ? 'disabled'
        : { jwksUrl: `${identity.url}/.well-known/jwks.json`, issuer: TOKEN_ISSUER, audience: TOKEN_AUDIENCE },
      production: security.production ?? false,
      corsOrigins: security.corsOrigins ?? [],
      hsts: security.hsts ?? false,
      ...(security.rateLimits ? { rateLimits: security.rateLimits } : {}),
    });
    await gateway.start();
    const gatewayUrl = await gateway.app.listen({ port: ports.gateway, host });

    const stop = async () => {
      await gateway.stop();
      for (const stopOne of stopFirst) await stopOne();
      for (const service of started.reverse()) await service.stop();
      await Promise.all(databases.map((db) => db.destroy()));
    };
    return {
      urls: { gateway: gatewayUrl, ...upstreams, orderGrpc: `127.0.0.1:${orderGrpc.port}` },
      /** The services with an outbox; identity has none and stands apart. */
      services: opsParts.services,
      identity: identity.service,
      gateway,
      breakers: opsParts.breakers,
      faults,
      transport,
      stop,
    };
  } catch (error) {
    for (const stopOne of stopFirst) await stopOne().catch(() => {});
    for (const service of started.reverse()) await service.stop().catch(() => {});
    await Promise.all(databases.map((db) => db.destroy().catch(() => {})));
    throw error;
  }
}
