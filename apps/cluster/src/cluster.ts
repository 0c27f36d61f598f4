import { type ChildProcess, spawn } from 'node:child_process';
import { createWriteStream, mkdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { DEFAULT_GRPC_PORTS, DEFAULT_PORTS } from '@12street/contracts';

export type ServiceName = 'order' | 'payment' | 'delivery' | 'marketing' | 'order-status' | 'identity' | 'gateway';
export const SERVICES: readonly ServiceName[] = [
  'payment',
  'marketing',
  'order-status',
  'order',
  'delivery',
  'identity',
  'gateway',
];

const ROOT = resolve(import.meta.dirname, '../../..');
const PORT_OF: Record<ServiceName, number> = {
  order: DEFAULT_PORTS.order,
  payment: DEFAULT_PORTS.payment,
  delivery: DEFAULT_PORTS.delivery,
  marketing: DEFAULT_PORTS.marketing,
  'order-status': DEFAULT_PORTS.orderStatus,
  identity: DEFAULT_PORTS.identity,
  gateway: DEFAULT_PORTS.gateway,
};
/** The services that also serve gRPC, and the variable that sets its port. */
const GRPC_OF: Partial<Record<ServiceName, { variable: string; port: number }>> = {
  order: { variable: 'ORDER_GRPC_PORT', port: DEFAULT_GRPC_PORTS.order },
};
/** A replica's ports, unless given, are this far above the previous instance's. */
const REPLICA_PORT_STEP = 100;

export type Replicated = Exclude<ServiceName, 'gateway'>;

/** The instances of a service: the first is named after it, the n-th replica `<service>-<n>`. */
export const instanceNames = (service: ServiceName, replicas = 1): string[] =>
  Array.from({ length: Math.max(1, replicas) }, (_, i) => (i === 0 ? service : `${service}-${i + 1}`));

export type ClusterOptions = {
  /** Each service's database URL (the gateway has none). */
  databases: Record<Exclude<ServiceName, 'gateway'>, string>;
  kafkaBrokers: string;
  topicPrefix?: string;
  /**
   * Port per instance (a service's name, or a replica's: 'order-2'); defaults are the original's,
   * and each replica's 100 above the instance before it.
   */
  ports?: Partial<Record<string, number>>;
  /** gRPC port per instance of a service that serves gRPC (order); a replica's defaults as its port does. */
  grpcPorts?: Partial<Record<string, number>>;
  /** How many instances of a service run (default 1); the gateway balances between the ready ones. */
  replicas?: Partial<Record<Replicated, number>>;
  logDir: string;
  logLevel?: string;
  /** The token issuer's signing key (a PEM file) and the ops machine client it creates. */
  identity: { signingKeyFile: string; opsClientId: string; opsClientSecret: string };
  /** Extra environment per service (breaker settings, intervals, ...). */
  env?: Partial<Record<ServiceName, Record<string, string>>>;
};

export type ServiceProcess = {
  name: string;
  service: ServiceName;
  url: string;
  child: ChildProcess;
  exited: Promise<number | null>;
};

/** One OS process per service, configured only through the environment, as in production. */
export function clusterOf(options: ClusterOptions) {
  const instancesOf = (service: ServiceName) =>
    instanceNames(service, service === 'gateway' ? 1 : options.replicas?.[service]);
  const instancePorts = new Map<string, number>();
  // Per replica: its gRPC port, which must differ from its siblings' as its HTTP port does.
  const instanceEnv = new Map<string, Record<string, string>>();
  for (const service of SERVICES) {
    const grpc = GRPC_OF[service];
    let port = options.ports?.[service] ?? PORT_OF[service];
    let grpcPort = Number(options.grpcPorts?.[service] ?? options.env?.[service]?.[grpc?.variable ?? ''] ?? grpc?.port);
    for (const [i, name] of instancesOf(service).entries()) {
      if (i > 0) {
        port = options.ports?.[name] ?? port + REPLICA_PORT_STEP;
        grpcPort = options.grpcPorts?.[name] ?? grpcPort + REPLICA_PORT_STEP;
      }
      instancePorts.set(name, port);
      if (grpc && (i > 0 || options.grpcPorts?.[name] !== undefined)) {
        instanceEnv.set(name, { [grpc.variable]: String(grpcPort) });
      }
    }
  }
  for (const [name, port] of Object.entries(options.ports ?? {})) {
    if (port !== undefined && !instancePorts.has(name)) instancePorts.set(name, port);
  }
  const url = (instance: string) => `http://127.0.0.1:${instancePorts.get(instance)}`;
  /** Every instance's URL, comma-separated: how the gateway is told about replicas. */
  const urls = (service: ServiceName) => instancesOf(service).map(url).join(',');
  const running = new Map<string, ServiceProcess>();
  mkdirSync(options.logDir, { recursive: true });
  // Children must not outlive the process that started them, however it ends.
  process.once('exit', () => {
    for (const proc of running.values()) proc.child.kill('SIGKILL');
  });

  const envFor = (name: ServiceName, port: number): Record<string, string> => {
    const common = {
      PORT: String(port),
      HOST: '127.0.0.1',
      KAFKA_BROKERS: options.kafkaBrokers,
      KAFKA_TOPIC_PREFIX: options.topicPrefix ?? '',
      LOG_LEVEL: options.logLevel ?? 'info',
    };
    const database: Record<string, string> =
      name === 'gateway'
        ? {}
        : name === 'order-status'
          ? { REDIS_URL: options.databases[name] }
          : { DATABASE_URL: options.databases[name] };
    const upstreams = {
      order: { PAYMENT_URL: url('payment') },
      delivery: { MARKETING_URL: url('marketing') },
      identity: {
        SIGNING_KEY_FILE: options.identity.signingKeyFile,
        OPS_CLIENT_ID: options.identity.opsClientId,
        OPS_CLIENT_SECRET: options.identity.opsClientSecret,
      },
      gateway: {
        IDENTITY_URL: urls('identity'),
        ORDER_URL: urls('order'),
        PAYMENT_URL: urls('payment'),
        DELIVERY_URL: urls('delivery'),
        MARKETING_URL: urls('marketing'),
        ORDER_STATUS_URL: urls('order-status'),
      },
    } as Partial<Record<ServiceName, Record<string, string>>>;
    return { ...common, ...database, ...upstreams[name], ...options.env?.[name] };
  };

  /** Starts a service process; another instance (a replica) takes its own name and port. */
  const start = async (
    service: ServiceName,
    instance: { name?: string; port?: number; env?: Record<string, string> } = {},
  ): Promise<ServiceProcess> => {
    const name = instance.name ?? service;
    if (instance.port !== undefined) instancePorts.set(name, instance.port);
    const port = instancePorts.get(name);
    if (port === undefined) throw new Error(`no port for ${name}`);
    const log = createWriteStream(join(options.logDir, `${name}.log`), { flags: 'a' });
    const child = spawn(process.execPath, [join(ROOT, 'services', service, 'src', 'main.ts')], {
      cwd: ROOT,
      env: { ...process.env, ...envFor(service, port), ...instanceEnv.get(name), ...instance.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    // Both streams feed one file, which is closed once the process and its output are done: 'close'
    // comes after the last output (unlike 'exit'), so whoever awaits the exit can read every line.
    child.stdout?.pipe(log, { end: false });
    child.stderr?.pipe(log, { end: false });
    const exited = new Promise<number | null>((done) =>
      child.once('close', (code) => {
        log.end(() => done(code));
      }),
    );
    const proc = { name, service, url: url(name), child, exited };
    running.set(name, proc);
    await waitReady(proc);
    return proc;
  };

  const waitReady = async (proc: ServiceProcess, timeoutMs = 60_000) => {
    const deadline = Date.now() + timeoutMs;
    let exitCode: number | null | undefined;
    proc.exited.then((code) => {
      exitCode = code;
    });
    while (Date.now() < deadline) {
      if (exitCode !== undefined)
        throw new Error(`${proc.name} exited with ${exitCode}; see ${options.logDir}/${proc.name}.log`);
      try {
        const response = await fetch(`${proc.url}/health/ready`, { signal: AbortSignal.timeout(1000) });
        if (response.ok) return;
      } catch {}
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`${proc.name} not ready after ${timeoutMs} ms; see ${options.logDir}/${proc.name}.log`);
  };

  /** Graceful stop: SIGTERM and wait for the exit code. */
  const stop = async (name: string): Promise<number | null> => {
    const proc = running.get(name);
    if (!proc) return null;
    running.delete(name);
    proc.child.kill('SIGTERM');
    return proc.exited;
  };

  /** The crash: SIGKILL, no chance to clean up. */
  const kill = async (name: string) => {
    const proc = running.get(name);
    if (!proc) return;
    running.delete(name);
    proc.child.kill('SIGKILL');
    await proc.exited;
  };

  return {
    url,
    running,
    start,
    stop,
    kill,
    /** Every instance of the named services (all by default), in order: the gateway last. */
    async startAll(names: readonly ServiceName[] = SERVICES) {
      for (const service of names) {
        for (const name of instancesOf(service)) await start(service, { name });
      }
    },
    /** The names of a service's instances, the first named after the service. */
    instancesOf,
    /** The last lines a process logged, for failure messages. */
    logTail(name: string, lines = 30) {
      try {
        return readFileSync(join(options.logDir, `${name}.log`), 'utf8')
          .split('\n')
          .slice(-lines)
          .join('\n');
      } catch {
        return '(no log)';
      }
    },
    async stopAll() {
      await Promise.all([...running.keys()].map((name) => stop(name)));
    },
  };
}

export type Cluster = ReturnType<typeof clusterOf>;
