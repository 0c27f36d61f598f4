import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { DEMO_ACCOUNTS } from '@12street/identity';
import { tempDir } from '@12street/testkit';
import { freePort, ROOT } from '../../../test/infra/support.ts';
import { type Daemon, startDaemon, waitUntilReady } from '../support/children.ts';
import type { CleanupScope } from '../support/scope.ts';
import { clientCredentials, tokenSource } from '../support/tokens.ts';
import { type SystemUnderTest, UNLIMITED } from './system.ts';

const PORT_VARIABLES = [
  'GATEWAY_PORT',
  'ORDER_PORT',
  'PAYMENT_PORT',
  'DELIVERY_PORT',
  'MARKETING_PORT',
  'ORDER_STATUS_PORT',
  'IDENTITY_PORT',
] as const;

/** The whole system in one child process (npm start), on SQLite files in a fresh directory. */
export async function startEmbedded(scope: CleanupScope, logLevel: string): Promise<SystemUnderTest> {
  const dataDir = tempDir(scope, 'bench-embedded-');
  const ports = Object.fromEntries(
    await Promise.all(PORT_VARIABLES.map(async (name) => [name, String(await freePort())])),
  ) as Record<(typeof PORT_VARIABLES)[number], string>;
  const env = { DATA_DIR: dataDir, HOST: '127.0.0.1', LOG_LEVEL: logLevel, ...ports, ...UNLIMITED };
  const gatewayUrl = `http://127.0.0.1:${ports.GATEWAY_PORT}`;
  let daemon: Daemon | undefined;

  const start = async (nodeFlags: string[] = []) => {
    const startedAt = performance.now();
    daemon = startDaemon([...nodeFlags, join(ROOT, 'apps/embedded/src/main.ts')], env, join(dataDir, 'embedded.log'));
    await waitUntilReady(`${gatewayUrl}/health/ready`, daemon);
    return performance.now() - startedAt;
  };
  await start();
  scope.after(async () => void (await daemon?.stop()));

  const [opsClient] = DEMO_ACCOUNTS.clients;
  if (!opsClient) throw new Error('identity has no demo machine client');
  return {
    mode: 'embedded',
    gatewayUrl,
    identityUrl: `http://127.0.0.1:${ports.IDENTITY_PORT}`,
    logDir: dataDir,
    tokens: tokenSource(clientCredentials(`${gatewayUrl}/oauth/token`, opsClient.clientId, opsClient.secret)),
    watched: () => [{ name: 'embedded (all services)', pids: () => (daemon?.child.pid ? [daemon.child.pid] : []) }],
    async timeStartups() {
      await daemon?.stop();
      return { embedded: await start() };
    },
    async profile(dir) {
      await daemon?.stop();
      await start(['--cpu-prof', `--cpu-prof-dir=${dir}`]);
      return {
        async finish() {
          await daemon?.stop();
          return readdirSync(dir).map((file) => join(dir, file));
        },
      };
    },
  };
}
