import { join } from 'node:path';
import { type Cluster, clusterOf, instanceNames, localIdentitySecrets, type Replicated } from '@12street/cluster';
import { openDatabase } from '@12street/platform';
import { freePort, INFRA, tempDir } from '@12street/testkit';
import { sql } from 'kysely';

export const ROOT = join(import.meta.dirname, '../..');

export { freePort, ownKafkaBroker as ownBroker } from '@12street/testkit';

const withDatabase = (adminUrl: string, name: string) => {
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
};

/** Fresh databases for one test run, dropped at the end: nothing is shared with other runs. */
export async function freshDatabases(t: { after(fn: () => Promise<void>): void }, run: string) {
  const pg = openDatabase(INFRA.postgres, 1);
  const my = openDatabase(INFRA.mysql, 1);
  const names = {
    order: `street_order_${run}`,
    delivery: `street_delivery_${run}`,
    payment: `street_payment_${run}`,
    marketing: `street_marketing_${run}`,
    identity: `street_identity_${run}`,
  };
  const pgNames = [names.order, names.delivery, names.identity];
  for (const name of pgNames) await sql.raw(`create database ${name}`).execute(pg.db);
  for (const name of [names.payment, names.marketing]) await sql.raw(`create database ${name}`).execute(my.db);
  t.after(async () => {
    for (const name of pgNames) {
      await sql.raw(`drop database if exists ${name} with (force)`).execute(pg.db);
    }
    for (const name of [names.payment, names.marketing])
      await sql.raw(`drop database if exists ${name}`).execute(my.db);
    await pg.db.destroy();
    await my.db.destroy();
  });
  return {
    order: withDatabase(INFRA.postgres, names.order),
    delivery: withDatabase(INFRA.postgres, names.delivery),
    payment: withDatabase(INFRA.mysql, names.payment),
    marketing: withDatabase(INFRA.mysql, names.marketing),
    'order-status': `${INFRA.redis}/0`,
    identity: withDatabase(INFRA.postgres, names.identity),
  };
}

/** The six services as separate OS processes on fresh databases, isolated topics and free ports. */
export async function startCluster(
  t: { after(fn: () => Promise<void> | void): void },
  options: {
    brokers: string;
    env?: Parameters<typeof clusterOf>[0]['env'];
    /** More instances of a service, each on free ports of its own. */
    replicas?: Partial<Record<Replicated, number>>;
  },
): Promise<{
  cluster: Cluster;
  run: string;
  databases: Awaited<ReturnType<typeof freshDatabases>>;
  /** An ops token from the cluster's own identity service. */
  opsToken(): Promise<string>;
}> {
  const run = `${process.pid}_${Date.now().toString(36)}`;
  const databases = await freshDatabases(t, run);
  const ports = {
    order: await freePort(),
    payment: await freePort(),
    delivery: await freePort(),
    marketing: await freePort(),
    'order-status': await freePort(),
    identity: await freePort(),
    gateway: await freePort(),
  };
  const replicaPorts: Record<string, number> = {};
  const grpcPorts: Record<string, number> = {};
  for (const [service, count] of Object.entries(options.replicas ?? {}) as [Replicated, number][]) {
    for (const name of instanceNames(service, count).slice(1)) {
      replicaPorts[name] = await freePort();
      grpcPorts[name] = await freePort(); // used by the services that serve gRPC too
    }
  }
  const identity = localIdentitySecrets(tempDir(t, 'identity-'));
  const fast = {
    BREAKER_TIMEOUT_MS: '1000',
    BREAKER_MINIMUM_CALLS: '4',
    BREAKER_WINDOW: '4',
    BREAKER_HALF_OPEN_AFTER_MS: '500',
    COUPON_INTERVAL_MS: '200',
    RELAY_POLL_MS: '100',
    // The broker's minimum: a member that vanished without leaving is noticed within seconds.
    KAFKA_SESSION_TIMEOUT_MS: '6000',
    KAFKA_HEARTBEAT_INTERVAL_MS: '500',
    // Nothing balances these processes but a test's gateway, which notices a drain within 300 ms.
    SHUTDOWN_DRAIN_MS: '500',
  };
  const cluster = clusterOf({
    identity,
    databases,
    kafkaBrokers: options.brokers,
    topicPrefix: `t${run}`,
    ports: { ...ports, ...replicaPorts },
    grpcPorts,
    ...(options.replicas ? { replicas: options.replicas } : {}),
    logDir: process.env.KEEP_CLUSTER_LOGS ?? join(tempDir(t, 'cluster-'), 'logs'),
    logLevel: process.env.LOG_LEVEL ?? 'info',
    env: {
      order: { ...fast, ORDER_GRPC_PORT: String(await freePort()), ...options.env?.order },
      delivery: { ...fast, ...options.env?.delivery },
      payment: { ...fast, ...options.env?.payment },
      marketing: { ...fast, ...options.env?.marketing },
      'order-status': { REDIS_KEY_PREFIX: `12street-test-${run}:`, ...fast, ...options.env?.['order-status'] },
      gateway: { SHUTDOWN_DRAIN_MS: fast.SHUTDOWN_DRAIN_MS, ...options.env?.gateway },
      identity: { ...options.env?.identity },
    },
  });
  t.after(() => cluster.stopAll());
  await cluster.startAll();
  const opsToken = async () => {
    const response = await fetch(`${cluster.url('gateway')}/oauth/token`, {
      method: 'POST',
      body: new URLSearchParams({
        grant_type: 'client_credentials',
        client_id: identity.opsClientId,
        client_secret: identity.opsClientSecret,
      }),
    });
    if (response.status !== 200) throw new Error(`token endpoint answered ${response.status}`);
    return ((await response.json()) as { access_token: string }).access_token;
  };
  return { cluster, run, databases, opsToken };
}
