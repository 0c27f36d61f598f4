import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { clusterOf, type Replicated, SERVICES } from './cluster.ts';
import { localIdentitySecrets } from './identitySecrets.ts';

// `npm run start:cluster`: the real infrastructure, then one process per service.
const root = resolve(import.meta.dirname, '../../..');
const up = spawnSync('bash', [resolve(root, 'infra/up.sh')], { stdio: 'inherit' });
if (up.status !== 0) process.exit(up.status ?? 1);

const env = process.env;
/** REPLICAS=order=2,payment=3: that many instances of those services, the gateway balancing between them. */
function replicasOf(text: string): Partial<Record<Replicated, number>> {
  const pairs = text
    .split(',')
    .map((pair) => pair.trim())
    .filter(Boolean)
    .map((pair) => pair.split('=').map((part) => part.trim()));
  for (const [name, count] of pairs) {
    const replicable = SERVICES.filter((s) => s !== 'gateway') as string[];
    if (!replicable.includes(name ?? '') || !Number.isInteger(Number(count)) || Number(count) < 1) {
      console.error(`REPLICAS: "${name}=${count}" is not <service>=<count> with one of ${replicable.join(', ')}`);
      process.exit(1);
    }
  }
  return Object.fromEntries(pairs.map(([name, count]) => [name, Number(count)]));
}
const secrets = localIdentitySecrets(resolve(root, env.SECRETS_DIR ?? 'data/cluster-secrets'));
const cluster = clusterOf({
  identity: secrets,
  kafkaBrokers: env.KAFKA_BROKERS ?? '127.0.0.1:9092',
  logDir: resolve(root, env.LOG_DIR ?? 'data/cluster-logs'),
  logLevel: env.LOG_LEVEL ?? 'info',
  replicas: replicasOf(env.REPLICAS ?? ''),
  databases: {
    order: env.ORDER_DATABASE_URL ?? 'postgres://street_order:street_order@127.0.0.1:5432/street_order',
    delivery: env.DELIVERY_DATABASE_URL ?? 'postgres://street_delivery:street_delivery@127.0.0.1:5432/street_delivery',
    payment: env.PAYMENT_DATABASE_URL ?? 'mysql://street_payment:street_payment@127.0.0.1:3306/street_payment',
    marketing:
      env.MARKETING_DATABASE_URL ?? 'mysql://street_marketing:street_marketing@127.0.0.1:3306/street_marketing',
    'order-status': env.ORDER_STATUS_DATABASE_URL ?? 'redis://127.0.0.1:6379/0',
    identity: env.IDENTITY_DATABASE_URL ?? 'postgres://street_identity:street_identity@127.0.0.1:5432/street_identity',
  },
});

let stopping = false;
const stopAll = async (code: number) => {
  if (stopping) return;
  stopping = true;
  await cluster.stopAll();
  process.exit(code);
};
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => void stopAll(0));

try {
  await cluster.startAll();
} catch (error) {
  console.error(String(error));
  await stopAll(1);
}
process.stdout.write(`
12street is running (distributed mode: one process per service, Kafka, PostgreSQL, MariaDB, Redis)
${[...cluster.running.values()].map((p) => `  ${p.name.padEnd(14)} ${p.url}  (pid ${p.child.pid})`).join('\n')}
  logs           ${resolve(root, env.LOG_DIR ?? 'data/cluster-logs')}

Get an ops token:
  curl -s -X POST ${cluster.url('gateway')}/oauth/token -d grant_type=client_credentials \\
    -d client_id=${secrets.opsClientId} -d client_secret=$(cat ${resolve(root, env.SECRETS_DIR ?? 'data/cluster-secrets')}/ops-client-secret)
Stop: Ctrl-C (the broker keeps running; npm run infra:down stops it)
`);
