import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { tempDir } from '@12street/testkit';
import { freePort, ROOT } from '../../../test/infra/support.ts';
import { startDaemon, waitUntilReady } from '../support/children.ts';
import type { Watched } from '../support/procStats.ts';
import type { CleanupScope } from '../support/scope.ts';
import { UNLIMITED } from '../sut/system.ts';

/**
 * The ceiling to compare with: a gateway process of the same code and settings (token check
 * against the same identity service, rate limit, proxy) in front of a trivial upstream.
 */
export async function startBaseline(scope: CleanupScope, identityUrl: string, logLevel: string) {
  const logDir = tempDir(scope, 'bench-baseline-');
  const upstreamPort = await freePort();
  const upstreamUrl = `http://127.0.0.1:${upstreamPort}`;
  const upstream = startDaemon(
    [fileURLToPath(new URL('./upstream.ts', import.meta.url)), String(upstreamPort)],
    {},
    join(logDir, 'baseline-upstream.log'),
  );
  scope.after(async () => void (await upstream.stop()));
  await waitUntilReady(`${upstreamUrl}/health/ready`, upstream);

  const port = await freePort();
  const gateway = startDaemon(
    [join(ROOT, 'services/gateway/src/main.ts')],
    {
      PORT: String(port),
      HOST: '127.0.0.1',
      LOG_LEVEL: logLevel,
      IDENTITY_URL: identityUrl,
      ORDER_URL: upstreamUrl,
      PAYMENT_URL: upstreamUrl,
      DELIVERY_URL: upstreamUrl,
      MARKETING_URL: upstreamUrl,
      ORDER_STATUS_URL: upstreamUrl,
      ...UNLIMITED,
    },
    join(logDir, 'baseline-gateway.log'),
  );
  scope.after(async () => void (await gateway.stop()));
  const url = `http://127.0.0.1:${port}`;
  await waitUntilReady(`${url}/health/ready`, gateway);
  const watched: Watched[] = [
    { name: 'baseline gateway', pids: () => (gateway.child.pid ? [gateway.child.pid] : []) },
    { name: 'baseline upstream', pids: () => (upstream.child.pid ? [upstream.child.pid] : []) },
  ];
  return { url, watched };
}
