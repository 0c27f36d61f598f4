import { join } from 'node:path';
import { ORDER_STATUS } from '@12street/contracts';
import { INFRA, infraMissing } from '@12street/testkit';
import { deleteRedisKeys } from '../../bench/src/support/redisKeys.ts';
import { cleanupScope } from '../../bench/src/support/scope.ts';
import { tokenSource } from '../../bench/src/support/tokens.ts';
import { UNLIMITED } from '../../bench/src/sut/system.ts';
import { ROOT, startCluster } from '../../test/infra/support.ts';
import { restartableBroker } from './broker.ts';
import { startCustomers } from './customers.ts';
import { startChaos } from './driver.ts';
import { ordersIn, writeEvidence } from './invariants/evidence.ts';
import { openStores } from './invariants/stores.ts';
import { seeded } from './random.ts';
import { printReport } from './report.ts';
import { retryingClient } from './retryingClient.ts';
import { chaosSettings } from './settings.ts';
import { settle } from './settle.ts';
import { slowProxy } from './slowProxy.ts';

// `npm run chaos`: orders and cancellations on the distributed cluster while services are killed
// and restarted, the broker restarts and payment turns slow; then every invariant is checked.
const settings = chaosSettings();
const log = (line: string) => process.stdout.write(`${line}\n`);
const missing = await infraMissing('postgres', 'mysql', 'redis').catch((error: Error) => error.message);
if (missing) {
  log(`chaos: ${missing}`);
  process.exit(2);
}
const startedAt = Date.now();
const deadline = startedAt + settings.timeoutSeconds * 1000;
const scope = cleanupScope();
// Kept after the run (under data/, git-ignored) to look into a violation; support.ts reads this.
process.env.KEEP_CLUSTER_LOGS ??= join(ROOT, 'data/chaos', new Date().toISOString().replace(/[:.]/g, '-'), 'logs');
const logDir = process.env.KEEP_CLUSTER_LOGS;
const giveUp = setTimeout(
  () => {
    log(`chaos: the run exceeded its bound of ${settings.timeoutSeconds} s; stopping`);
    void scope.close().then(() => process.exit(2));
  },
  deadline - Date.now() + settings.settleSeconds * 1000,
);
giveUp.unref();
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => void scope.close().then(() => process.exit(130)));
}

let exitCode = 2;
try {
  log(
    `chaos: ${settings.orders} orders, seed ${settings.seed}, faults: ${settings.faults.join(', ')}; logs in ${logDir}`,
  );
  const broker = await restartableBroker(scope);
  const payment = await slowProxy();
  scope.after(() => payment.close());
  const { cluster, run, databases, opsToken } = await startCluster(scope, {
    brokers: broker.brokers,
    env: {
      // order calls payment through the proxy; a pending order left by a crash is repaired after 5 s.
      order: { PAYMENT_URL: payment.url, STALE_PENDING_MS: '5000', SETTLE_INTERVAL_MS: '500' },
      gateway: UNLIMITED,
    },
  });
  payment.pointAt(cluster.url('payment'));
  const redisPrefix = `12street-test-${run}:`;
  scope.after(async () => void (await deleteRedisKeys(INFRA.redis, redisPrefix)));
  log(`chaos: cluster up in ${((Date.now() - startedAt) / 1000).toFixed(1)} s`);

  const tokens = tokenSource(opsToken);
  // Separate streams: the fault plan replays whatever the customers drew meanwhile.
  const api = retryingClient(cluster.url('gateway'), tokens, deadline, Math.random);
  const customers = startCustomers(api, { ...settings, random: seeded(settings.seed + 1) });
  const chaos = startChaos({
    cluster,
    broker,
    payment,
    random: seeded(settings.seed),
    customersDone: () => customers.ledger.done,
    log,
    startedAt,
    kinds: settings.faults,
  });
  const ticker = setInterval(() => {
    const { ledger } = customers;
    const retried = Object.values(api.retries).reduce((a, b) => a + b, 0);
    log(
      `chaos: t+${Math.round((Date.now() - startedAt) / 1000)}s ${ledger.placed.length}/${settings.orders} placed, ${ledger.canceled.size} cancelled, ${retried} retries`,
    );
  }, 10_000);
  const loadStartedAt = Date.now();
  await Promise.all([customers.finished, chaos.finished]).finally(() => clearInterval(ticker));
  const loadMs = Date.now() - loadStartedAt;

  // A minute past the settle time, so the last reading can finish.
  const checker = retryingClient(
    cluster.url('gateway'),
    tokens,
    Date.now() + (settings.settleSeconds + 60) * 1000,
    Math.random,
  );
  const stores = openStores(scope, { ...databases, redis: INFRA.redis, redisPrefix });
  const verdict = await settle(stores, checker, customers.ledger, settings.settleSeconds * 1000, log);
  // The orders in violation, and cancelled orders no customer knew of (nobody should have cancelled them).
  const suspects = [
    ...ordersIn(verdict.violations),
    ...verdict.ghosts.filter((g) => g.status === ORDER_STATUS.canceled).map((g) => g.id),
  ].slice(0, 30);
  if (suspects.length > 0) {
    const file = join(logDir, '..', 'evidence.json');
    await writeEvidence(stores, suspects, file).then(
      () => log(`chaos: what the stores hold about the orders in violation: ${file}`),
      (error: Error) => log(`chaos: could not gather the evidence: ${error.message}`),
    );
  }
  printReport(log, {
    settings,
    ledger: customers.ledger,
    api,
    faults: chaos.record,
    verdict,
    loadMs,
    totalMs: Date.now() - startedAt,
  });
  exitCode = verdict.violations.length === 0 ? 0 : 1;
} catch (error) {
  log(`chaos: the run could not complete: ${(error as Error).stack ?? error}`);
} finally {
  await scope.close();
}
process.exit(exitCode);
