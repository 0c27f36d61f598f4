import type { Manifest } from './kustomize.ts';

/**
 * The structure the Strimzi operator (kafka.strimzi.io/v1beta2, KRaft with node pools) requires of
 * the resources deploy/k8s uses, and the cross-resource rules it would otherwise only report at
 * run time: pools and topics bound to an existing cluster, replicas no more than the brokers.
 * Returns the problems found; none means valid.
 */
export function validateStrimzi(object: Manifest, all: Manifest[]): string[] {
  const problems: string[] = [];
  const check = (ok: unknown, problem: string) => {
    if (!ok) problems.push(problem);
  };
  check(object.apiVersion === 'kafka.strimzi.io/v1beta2', `apiVersion ${object.apiVersion}`);
  check(/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/.test(object.metadata?.name ?? ''), 'metadata.name is a DNS name');
  const spec = object.spec ?? {};
  if (object.kind === 'Kafka') kafka(spec, object, all, check);
  else if (object.kind === 'KafkaNodePool') nodePool(spec, clusterOf(object, all, check), check);
  else if (object.kind === 'KafkaTopic') topic(spec, clusterOf(object, all, check), all, check);
  else check(false, `unexpected kind ${object.kind}`);
  return problems;
}

type Check = (ok: unknown, problem: string) => void;
const LISTENER_TYPES = ['internal', 'route', 'loadbalancer', 'nodeport', 'ingress', 'cluster-ip'];
// Broker settings the operator manages itself and refuses in spec.kafka.config.
const FORBIDDEN_CONFIG = [
  'listeners',
  'advertised.',
  'broker.',
  'listener.',
  'host.name',
  'port',
  'inter.broker.listener.name',
  'sasl.',
  'ssl.',
  'security.',
  'password.',
  'log.dir',
  'zookeeper.',
  'authorizer.',
  'super.user',
  'node.id',
  'process.roles',
  'controller.',
  'metadata.log.dir',
];
const isCount = (n: unknown) => Number.isInteger(n) && (n as number) >= 1;

function kafka(spec: Manifest, object: Manifest, all: Manifest[], check: Check) {
  check(spec.zookeeper === undefined, 'KRaft: no spec.zookeeper');
  check(spec.kafka?.replicas === undefined && spec.kafka?.storage === undefined, 'node pools own replicas and storage');
  check(/^\d+\.\d+\.\d+$/.test(spec.kafka?.version ?? ''), 'spec.kafka.version is a Kafka release');
  const listeners: Manifest[] = spec.kafka?.listeners ?? [];
  check(listeners.length > 0, 'spec.kafka.listeners is required');
  for (const l of listeners) {
    check(/^[a-z0-9]{1,11}$/.test(l.name), `listener name ${l.name}`);
    check(Number.isInteger(l.port) && l.port >= 9092 && ![9404, 9999].includes(l.port), `listener port ${l.port}`);
    check(LISTENER_TYPES.includes(l.type), `listener type ${l.type}`);
    check(typeof l.tls === 'boolean', `listener ${l.name} tls`);
  }
  check(new Set(listeners.map((l) => l.port)).size === listeners.length, 'listener ports are unique');
  for (const key of Object.keys(spec.kafka?.config ?? {})) {
    check(
      !FORBIDDEN_CONFIG.some((prefix) => key === prefix || key.startsWith(prefix)),
      `config ${key} is operator-managed`,
    );
  }
  check(spec.entityOperator?.topicOperator !== undefined, 'the topic operator runs (KafkaTopic resources)');
  check(object.metadata?.annotations?.['strimzi.io/kraft'] === 'enabled', 'strimzi.io/kraft: enabled');
  const pools = all.filter(
    (o) => o.kind === 'KafkaNodePool' && o.metadata.labels?.['strimzi.io/cluster'] === object.metadata.name,
  );
  for (const role of ['controller', 'broker']) {
    check(
      pools.some((pool) => pool.spec.roles?.includes(role) && pool.spec.replicas > 0),
      `a node pool has ${role}s`,
    );
  }
}

function nodePool(spec: Manifest, cluster: Manifest | undefined, check: Check) {
  check(Number.isInteger(spec.replicas) && spec.replicas >= 0, 'spec.replicas');
  const roles: string[] = spec.roles ?? [];
  check(roles.length > 0 && roles.every((r) => r === 'controller' || r === 'broker'), `roles ${roles}`);
  const storage = spec.storage ?? {};
  const volumes: Manifest[] = storage.type === 'jbod' ? (storage.volumes ?? []) : [storage];
  check(['jbod', 'ephemeral', 'persistent-claim'].includes(storage.type), `storage type ${storage.type}`);
  check(volumes.length > 0, 'storage has a volume');
  check(new Set(volumes.map((v) => v.id)).size === volumes.length, 'volume ids are unique');
  for (const v of volumes) {
    check(['ephemeral', 'persistent-claim'].includes(v.type), `volume type ${v.type}`);
    if (v.type === 'persistent-claim') check(/^\d+[KMGT]i$/.test(v.size ?? ''), 'a persistent claim has a size');
  }
  check(volumes.filter((v) => v.kraftMetadata === 'shared').length <= 1, 'one volume holds the KRaft metadata');
  if (cluster && roles.includes('broker')) {
    const config = cluster.spec.kafka.config ?? {};
    for (const key of ['default.replication.factor', 'offsets.topic.replication.factor']) {
      if (key in config) check(config[key] <= spec.replicas, `${key} ${config[key]} > ${spec.replicas} brokers`);
    }
    if ('min.insync.replicas' in config) {
      check(config['min.insync.replicas'] <= (config['default.replication.factor'] ?? 1), 'min.insync.replicas <= RF');
    }
  }
}

function topic(spec: Manifest, cluster: Manifest | undefined, all: Manifest[], check: Check) {
  check(isCount(spec.partitions), 'spec.partitions');
  check(isCount(spec.replicas), 'spec.replicas');
  check(typeof spec.topicName === 'string' && /^[a-zA-Z0-9._-]{1,249}$/.test(spec.topicName), 'spec.topicName');
  const minIsr = spec.config?.['min.insync.replicas'];
  if (minIsr !== undefined) check(minIsr <= spec.replicas, `min.insync.replicas ${minIsr} > replicas ${spec.replicas}`);
  if (cluster) check(spec.replicas <= brokersOf(cluster, all), `replicas ${spec.replicas} > brokers`);
}

function clusterOf(object: Manifest, all: Manifest[], check: Check): Manifest | undefined {
  const name = object.metadata?.labels?.['strimzi.io/cluster'];
  const cluster = all.find((o) => o.kind === 'Kafka' && o.metadata.name === name);
  check(cluster, `label strimzi.io/cluster names no Kafka (${name})`);
  return cluster;
}

const brokersOf = (cluster: Manifest, all: Manifest[]) =>
  all
    .filter((o) => o.kind === 'KafkaNodePool' && o.metadata.labels?.['strimzi.io/cluster'] === cluster.metadata.name)
    .filter((pool) => pool.spec.roles.includes('broker'))
    .reduce((sum, pool) => sum + pool.spec.replicas, 0);
