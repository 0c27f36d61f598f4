import { kafkaTransport } from '@12street/kafka';
import {
  createLogger,
  type EventTransport,
  type LogLevel,
  openDatabase,
  readConfig,
  type SqlDialect,
  type StartableService,
  stopOnSignals,
} from '@12street/platform';
import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import Type, { type Static, type TObject } from 'typebox';

const CommonConfig = Type.Object({
  PORT: Type.Integer({ minimum: 0, maximum: 65535 }),
  HOST: Type.String({ default: '0.0.0.0' }),
  DATABASE_URL: Type.String({ minLength: 1 }),
  KAFKA_BROKERS: Type.String({ default: '127.0.0.1:9092' }),
  KAFKA_TOPIC_PREFIX: Type.String({ default: '' }),
  LOG_LEVEL: Type.String({ default: 'info' }),
  SHUTDOWN_GRACE_MS: Type.Integer({ minimum: 1000, default: 20_000 }),
});
export type CommonConfig = Static<typeof CommonConfig>;

export type ServiceDeps = {
  // biome-ignore lint/suspicious/noExplicitAny: each service narrows the database to its own tables.
  db: Kysely<any>;
  dialect: SqlDialect;
  transport: EventTransport;
  logger: Logger;
};

/**
 * The distributed mode's composition root, shared by every service process: configuration from the
 * environment, its own database, Kafka as the transport, and a shutdown that turns not-ready,
 * finishes in-flight requests, stops consuming after the last commit, flushes the outbox relay and
 * closes the pools.
 */
export async function runService<Extra extends TObject>(options: {
  name: string;
  defaultPort: number;
  config: Extra;
  build(deps: ServiceDeps, config: Static<Extra> & CommonConfig): StartableService;
  env?: Record<string, string | undefined>;
}) {
  const env = options.env ?? process.env;
  const common = readConfig(CommonConfig, { PORT: String(options.defaultPort), ...env });
  const extra = readConfig(options.config, env);
  const config = { ...common, ...extra } as Static<Extra> & CommonConfig;
  const logger = createLogger(options.name, config.LOG_LEVEL as LogLevel);
  const { db, dialect } = openDatabase(config.DATABASE_URL);
  const transport = kafkaTransport({
    bootstrapBrokers: config.KAFKA_BROKERS.split(','),
    clientId: options.name,
    topicPrefix: config.KAFKA_TOPIC_PREFIX,
    logger,
  });
  const service = options.build({ db, dialect, transport, logger }, config);

  await service.start();
  await transport.start();
  const address = await service.app.listen({ port: config.PORT, host: config.HOST });
  logger.info({ address }, `${options.name} ready`);

  stopOnSignals(
    async () => {
      await service.stop();
      await transport.stop();
      await db.destroy();
    },
    logger,
    config.SHUTDOWN_GRACE_MS,
  );
  return { service, address };
}
