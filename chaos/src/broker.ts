import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { tempDir } from '@12street/testkit';
import type { CleanupScope } from '../../bench/src/support/scope.ts';
import { freePort, ROOT } from '../../test/infra/support.ts';

/**
 * A Kafka broker of the run's own, as test/infra's ownBroker makes it (own ports and data dir),
 * but stopped and started without blocking: the customers and the payment proxy live in this
 * process and must keep going while the broker restarts.
 */
export async function restartableBroker(scope: CleanupScope) {
  const port = await freePort();
  const env = {
    ...process.env,
    KAFKA_PORT: String(port),
    KAFKA_CONTROLLER_PORT: String(await freePort()),
    KAFKA_RUN_DIR: join(tempDir(scope, 'chaos-kafka-'), 'run'),
  };
  const run = (script: string, ...args: string[]) =>
    new Promise<void>((resolve, reject) => {
      const child = spawn('bash', [join(ROOT, 'infra', script), ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
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
  scope.after(() => run('down.sh', '--wipe'));
  return { brokers: `127.0.0.1:${port}`, stop: () => run('down.sh'), start: () => run('up.sh') };
}
