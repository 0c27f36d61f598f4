import { DEFAULT_GROUP_TIMINGS, kafkaTransport } from '@12street/kafka';
import {
  createLogger,
  type EventTransport,
  type KernelOptions,
  type LogLevel,
  openDatabase,
  type RunnableService,
  readConfig,
  type SqlDialect,
  stopOnSignals,
} from '@12street/platform';
import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import Type, { type Static, type TObject } from 'typebox';

const ProcessConfig = Type.Object({
  PORT: Type.Integer({ minimum: 0, maximum: 65535 }),
  HOST: Type.String({ default: '0.0.0.0' }),
  KAFKA_BROKERS: Type.String({ default: '127.0.0.1:9092' }),
  KAFKA_TOPIC_PREFIX: Type.String({ default: '' }),
  LOG_LEVEL: Type.String({ default: 'info' }),
  SHUTDOWN_GRACE_MS: Type.Integer({ minimum: 1000, default: 20_000 }),
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
 * environment, Kafka as the transport, and a shutdown on SIGTERM that turns not-ready, finishes
 * in-flight requests, flushes the outbox relay, stops consuming after the last commit, and closes
 * the stores.
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
  const logger = createLogger(options.name, config.LOG_LEVEL as LogLevel);
  const transport = kafkaTransport({
    bootstrapBrokers: config.KAFKA_BROKERS.split(','),
    clientId: options.name,
    topicPrefix: config.KAFKA_TOPIC_PREFIX,
    logger,
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

  await service.start();
  await transport.start();
  const address = await service.app.listen({ port: config.PORT, host: config.HOST });
  logger.info({ address }, `${options.name} ready`);

  stopOnSignals(
    async () => {
      await service.stop();
      await transport.stop();
      await close?.();
    },
    logger,
    config.SHUTDOWN_GRACE_MS,
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
