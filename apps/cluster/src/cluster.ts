import { type ChildProcess, spawn } from 'node:child_process';
import { createWriteStream, mkdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { DEFAULT_PORTS } from '@12street/contracts';

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

export type ClusterOptions = {
  /** Each service's database URL (the gateway has none). */
  databases: Record<Exclude<ServiceName, 'gateway'>, string>;
  kafkaBrokers: string;
  topicPrefix?: string;
  /** Port per service; defaults are the original's. */
  ports?: Partial<Record<ServiceName, number>>;
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
  const ports = { ...PORT_OF, ...options.ports };
  const instancePorts = new Map<string, number>(Object.entries(ports));
  const url = (instance: string) => `http://127.0.0.1:${instancePorts.get(instance)}`;
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
        IDENTITY_URL: url('identity'),
        ORDER_URL: url('order'),
        PAYMENT_URL: url('payment'),
        DELIVERY_URL: url('delivery'),
        MARKETING_URL: url('marketing'),
        ORDER_STATUS_URL: url('order-status'),
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
      env: { ...process.env, ...envFor(service, port), ...instance.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout?.pipe(log);
    child.stderr?.pipe(log);
    const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
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
    async startAll(names: readonly ServiceName[] = SERVICES) {
      for (const name of names) await start(name);
    },
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
