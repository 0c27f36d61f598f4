import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SERVICES, type ServiceName } from '@12street/cluster';
import { ORIGINAL_BREAKER } from '@12street/platform';
import { INFRA } from '@12street/testkit';
import { ownBroker, startCluster } from '../../../test/infra/support.ts';
import { pidsNamed } from '../support/procStats.ts';
import { deleteRedisKeys } from '../support/redisKeys.ts';
import type { CleanupScope } from '../support/scope.ts';
import { tokenSource } from '../support/tokens.ts';
import { type SystemUnderTest, UNLIMITED } from './system.ts';

/** The test set-up shortens the breakers for its failure cases; a benchmark runs the production ones. */
const PRODUCTION_BREAKER = {
  BREAKER_TIMEOUT_MS: String(ORIGINAL_BREAKER.timeoutMs),
  BREAKER_FAILURE_RATIO: String(ORIGINAL_BREAKER.failureRatio),
  BREAKER_WINDOW: String(ORIGINAL_BREAKER.windowSize),
  BREAKER_MINIMUM_CALLS: String(ORIGINAL_BREAKER.minimumCalls),
  BREAKER_HALF_OPEN_AFTER_MS: String(ORIGINAL_BREAKER.halfOpenAfterMs),
};

/** The broker JVM listening on this port: its command line names a server.properties that says so. */
function brokerPid(port: string): () => number[] {
  return () =>
    readdirSync('/proc')
      .filter((entry) => /^\d+$/.test(entry))
      .filter((pid) => {
        try {
          const args = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean);
          const properties = args.at(-1) ?? '';
          return (
            args.includes('kafka.Kafka') &&
            existsSync(properties) &&
            readFileSync(properties, 'utf8').includes(`127.0.0.1:${port}`)
          );
        } catch {
          return false;
        }
      })
      .map(Number);
}

/**
 * One process per service on PostgreSQL, MariaDB, Redis and a Kafka broker of the bench's own,
 * started by the same code as the infrastructure tests (fresh databases, topics and ports).
 */
export async function startClusterSystem(scope: CleanupScope): Promise<SystemUnderTest> {
  const broker = await ownBroker(scope);
  const started = await startCluster(scope, {
    brokers: broker.brokers,
    env: { order: PRODUCTION_BREAKER, delivery: PRODUCTION_BREAKER, gateway: UNLIMITED },
  });
  const { cluster, run } = started;
  scope.after(async () => void (await deleteRedisKeys(INFRA.redis, `12street-test-${run}:`)));
  const backends: ServiceName[] = SERVICES.filter((name) => name !== 'gateway');
  const pidOf = (name: string) => () => {
    const pid = cluster.running.get(name)?.child.pid;
    return pid ? [pid] : [];
  };
  const logDir = process.env.KEEP_CLUSTER_LOGS ?? '(temporary)';
  return {
    mode: 'cluster',
    gatewayUrl: cluster.url('gateway'),
    identityUrl: cluster.url('identity'),
    logDir: `${logDir} (run ${run})`,
    tokens: tokenSource(started.opsToken),
    watched: () => [
      ...SERVICES.map((name) => ({ name, pids: pidOf(name) })),
      { name: 'kafka broker (JVM)', pids: brokerPid(broker.brokers.split(':')[1] ?? ''), infra: true },
      { name: 'postgresql (machine-wide)', pids: pidsNamed('postgres'), infra: true },
      { name: 'mariadb (machine-wide)', pids: pidsNamed('mariadbd'), infra: true },
      { name: 'redis (machine-wide)', pids: pidsNamed('redis-server'), infra: true },
    ],
    async timeStartups() {
      const times: Record<string, number> = {};
      for (const name of SERVICES) {
        await cluster.stop(name);
        const startedAt = performance.now();
        await cluster.start(name);
        times[name] = performance.now() - startedAt;
      }
      return times;
    },
    async profile(dir) {
      const profiled = [...backends.filter((name) => name !== 'identity'), 'gateway' as const];
      for (const name of profiled) {
        await cluster.stop(name);
        await cluster.start(name, { env: { NODE_OPTIONS: `--cpu-prof --cpu-prof-dir=${join(dir, name)}` } });
      }
      return {
        async finish() {
          for (const name of profiled) await cluster.stop(name);
          return profiled.flatMap((name) =>
            existsSync(join(dir, name)) ? readdirSync(join(dir, name)).map((file) => join(dir, name, file)) : [],
          );
        },
      };
    },
  };
}
