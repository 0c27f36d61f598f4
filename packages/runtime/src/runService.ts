import { DEFAULT_GROUP_TIMINGS, kafkaTransport } from '@12street/kafka';
import {
  addLivenessCheck,
  checkDrainFitsGrace,
  createLogger,
  DEFAULT_EVENT_LOOP_WATCH,
  drainer,
  type EventTransport,
  type KernelOptions,
  type LogLevel,
  openDatabase,
  processEventLoop,
  type RunnableService,
  readConfig,
  type SqlDialect,
  startTelemetry,
  stopOnSignals,
} from '@12street/platform';
import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import Type, { type Static, type TObject } from 'typebox';
import { feedConsumerLag } from './consumerLagGauge.ts';

const ProcessConfig = Type.Object({
  PORT: Type.Integer({ minimum: 0, maximum: 65535 }),
  HOST: Type.String({ default: '0.0.0.0' }),
  KAFKA_BROKERS: Type.String({ default: '127.0.0.1:9092' }),
  KAFKA_TOPIC_PREFIX: Type.String({ default: '' }),
  LOG_LEVEL: Type.String({ default: 'info' }),
  SHUTDOWN_GRACE_MS: Type.Integer({ minimum: 1000, default: 20_000 }),
  /** How long a stopping service keeps serving while not ready, so load balancers stop sending it requests. */
  SHUTDOWN_DRAIN_MS: Type.Integer({ minimum: 0, default: 5000 }),
  /** A tick of the event loop this late means it was blocked: /health/live turns 503 for LIVENESS_WINDOW_MS. */
  LIVENESS_EVENT_LOOP_MAX_DELAY_MS: Type.Integer({ minimum: 100, default: DEFAULT_EVENT_LOOP_WATCH.maxDelayMs }),
  LIVENESS_WINDOW_MS: Type.Integer({ minimum: 0, default: DEFAULT_EVENT_LOOP_WATCH.windowMs }),
  /** A partition with work waiting and no progress for this long is stuck: /health/live turns 503. */
  KAFKA_STALL_TIMEOUT_MS: Type.Integer({ minimum: 1000, default: 60_000 }),
  RELAY_POLL_MS: Type.Integer({ minimum: 10, default: 250 }),
  RELAY_WAKE_ON_COMMIT: Type.Boolean({ default: true }),
  KAFKA_SESSION_TIMEOUT_MS: Type.Integer({ minimum: 6000, default: DEFAULT_GROUP_TIMINGS.sessionTimeoutMs }),
  KAFKA_HEARTBEAT_INTERVAL_MS: Type.Integer({ minimum: 100, default: DEFAULT_GROUP_TIMINGS.heartbeatIntervalMs }),
});
export type ProcessConfig = Static<typeof ProcessConfig>;

export type ProcessDeps = {
  transport: EventTransport;
  logger: Logger;
  relay: KernelOptions['relay'];
};

export type ServiceDeps = ProcessDeps & {
  // biome-ignore lint/suspicious/noExplicitAny: each service narrows the database to its own tables.
  db: Kysely<any>;
  dialect: SqlDialect;
};

type Built = { service: RunnableService; close?(): Promise<void> };

/**
 * The distributed mode's composition root, shared by every service process: configuration from the
 * environment, Kafka as the transport, and a shutdown on SIGTERM that turns not-ready but keeps
 * serving for SHUTDOWN_DRAIN_MS, then closes the listener and finishes in-flight requests, flushes
 * the outbox relay, stops consuming after the last commit, and closes the stores.
 */
export async function runProcess<Extra extends TObject>(options: {
  name: string;
  defaultPort: number;
  config: Extra;
  build(deps: ProcessDeps, config: Static<Extra> & ProcessConfig): Built | Promise<Built>;
  env?: Record<string, string | undefined>;
}) {
  const env = options.env ?? process.env;
  const config = {
    ...readConfig(ProcessConfig, { PORT: String(options.defaultPort), ...env }),
    ...readConfig(options.config, env),
  } as Static<Extra> & ProcessConfig;
  checkDrainFitsGrace(config.SHUTDOWN_DRAIN_MS, config.SHUTDOWN_GRACE_MS);
  const logger = createLogger(options.name, config.LOG_LEVEL as LogLevel);
  processEventLoop({ maxDelayMs: config.LIVENESS_EVENT_LOOP_MAX_DELAY_MS, windowMs: config.LIVENESS_WINDOW_MS });
  const telemetry = startTelemetry({ env, service: options.name, logger });
  const transport = kafkaTransport({
    bootstrapBrokers: config.KAFKA_BROKERS.split(','),
    clientId: options.name,
    topicPrefix: config.KAFKA_TOPIC_PREFIX,
    logger,
    stallTimeoutMs: config.KAFKA_STALL_TIMEOUT_MS,
    group: {
      sessionTimeoutMs: config.KAFKA_SESSION_TIMEOUT_MS,
      heartbeatIntervalMs: config.KAFKA_HEARTBEAT_INTERVAL_MS,
      rebalanceTimeoutMs: Math.max(config.KAFKA_SESSION_TIMEOUT_MS, DEFAULT_GROUP_TIMINGS.rebalanceTimeoutMs),
    },
  });
  const relay = { pollIntervalMs: config.RELAY_POLL_MS, wakeOnCommit: config.RELAY_WAKE_ON_COMMIT, batched: true };
  const { service, close } = await options.build({ transport, logger, relay }, config);
  service.addReadinessCheck('kafka', () => transport.status().ready);
  service.app.get('/health/kafka', async () => transport.status());
  addLivenessCheck(service.app, 'kafka', () => transport.status().live);
  const lag = service.metrics && feedConsumerLag(transport, service.metrics, logger);
  const drain = drainer(service.app.server);
  service.addReadinessCheck('notDraining', drain.notDraining);
  // Fastify runs this after its own server.close(): no request is in flight any more.
  service.app.addHook('onClose', async () => logger.info('listener closed, in-flight requests finished'));

  await service.start();
  await transport.start();
  const address = await service.app.listen({ port: config.PORT, host: config.HOST });
  logger.info({ address }, `${options.name} ready`);

  stopOnSignals(
    async () => {
      lag?.stop();
      await service.stop();
      logger.info('background work stopped, outbox relay flushed');
      await transport.stop();
      logger.info('consumers stopped after their last commit');
      await close?.();
      await telemetry.shutdown();
      logger.info('stores closed');
    },
    logger,
    config.SHUTDOWN_GRACE_MS,
    { ms: config.SHUTDOWN_DRAIN_MS, drain: drain.drain },
  );
  return { service, address };
}

const DatabaseConfig = Type.Object({ DATABASE_URL: Type.String({ minLength: 1 }) });

/** A service process on its own SQL database (DATABASE_URL: postgres://, mysql://, sqlite:). */
export function runService<Extra extends TObject>(options: {
  name: string;
  defaultPort: number;
  config: Extra;
  build(deps: ServiceDeps, config: Static<Extra> & ProcessConfig): RunnableService;
}) {
  return runProcess({
    name: options.name,
    defaultPort: options.defaultPort,
    config: Type.Object({ ...DatabaseConfig.properties, ...options.config.properties }),
    build(deps, config) {
      const { db, dialect } = openDatabase((config as { DATABASE_URL: string }).DATABASE_URL);
      const service = options.build({ ...deps, db, dialect }, config as unknown as Static<Extra> & ProcessConfig);
      return { service, close: () => db.destroy() };
    },
  });
}
