import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const INFRA_DIR = join(import.meta.dirname, '../../../infra');

/** A port nobody listens on right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

/**
 * A Kafka broker of the caller's own (infra/up.sh on free ports and a fresh data dir), so stopping
 * it disturbs no one else; wiped when the caller ends. It is stopped and started without blocking:
 * the clients under test (consumers, customers, proxies) keep running in this process meanwhile.
 */
export async function ownKafkaBroker(t: { after(fn: () => Promise<void> | void): void }) {
  const port = await freePort();
  const runDir = mkdtempSync(join(tmpdir(), 'kafka-'));
  const env = {
    ...process.env,
    KAFKA_PORT: String(port),
    KAFKA_CONTROLLER_PORT: String(await freePort()),
    KAFKA_RUN_DIR: runDir,
  };
  const run = (script: string, ...args: string[]) =>
    new Promise<void>((resolve, reject) => {
      const child = spawn('bash', [join(INFRA_DIR, script), ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
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
    rmSync(runDir, { recursive: true, force: true });
  });
  return { brokers: `127.0.0.1:${port}`, stop: () => run('down.sh'), start: () => run('up.sh') };
}
