import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const BOOTSTRAP = process.env.KAFKA_BOOTSTRAP ?? '127.0.0.1:9092';

const answers = (address: string, timeoutMs = 1_000) =>
  new Promise<boolean>((resolve) => {
    const [host, port] = address.split(':');
    const socket = connect({ host, port: Number(port) });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });

/**
 * Why the Kafka tests cannot run here, or undefined when they can. With REQUIRE_INFRA=1 (CI) an
 * unreachable broker is a failure, not a skip.
 */
export async function brokerSkipReason(): Promise<string | undefined> {
  if (await answers(BOOTSTRAP)) return undefined;
  const reason = `Kafka is not reachable at ${BOOTSTRAP} (start it with infra/up.sh)`;
  if (process.env.REQUIRE_INFRA === '1') throw new Error(`REQUIRE_INFRA=1: ${reason}`);
  return reason;
}

const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });

/**
 * A broker of the test's own (own ports and data dir, from infra/up.sh), so stopping it disturbs
 * no one. Stopped and started without blocking: the consumers under test must keep running meanwhile.
 */
export async function ownBroker(t: { after(fn: () => Promise<void>): void }) {
  const env = {
    ...process.env,
    KAFKA_PORT: String(await freePort()),
    KAFKA_CONTROLLER_PORT: String(await freePort()),
    KAFKA_RUN_DIR: mkdtempSync(join(tmpdir(), 'kafka-')),
  };
  const run = (script: string, ...args: string[]) =>
    new Promise<void>((resolve, reject) => {
      const infra = join(import.meta.dirname, '../../../infra');
      const child = spawn('bash', [join(infra, script), ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
      let output = '';
      child.stdout.on('data', (chunk) => {
        output += chunk;
      });
      child.stderr.on('data', (chunk) => {
        output += chunk;
      });
      child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`${script} failed: ${output}`))));
    });
  await run('up.sh');
  t.after(async () => {
    await run('down.sh', '--wipe');
    rmSync(env.KAFKA_RUN_DIR, { recursive: true, force: true });
  });
  return { brokers: `127.0.0.1:${env.KAFKA_PORT}`, stop: () => run('down.sh'), start: () => run('up.sh') };
}
