import type { CustomerLedger } from './customers.ts';
import type { FaultRecord } from './driver.ts';
import type { Verdict } from './invariants/check.ts';
import type { RetryingClient } from './retryingClient.ts';
import type { ChaosSettings } from './settings.ts';

const SHOWN_VIOLATIONS = 30;
const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

/** The run's account, ending with the one summary line CI looks for. */
export function printReport(
  log: (line: string) => void,
  run: {
    settings: ChaosSettings;
    ledger: CustomerLedger;
    api: RetryingClient;
    faults: FaultRecord[];
    verdict: Verdict & { settledMs: number };
    loadMs: number;
    totalMs: number;
  },
) {
  const { ledger, verdict, api } = run;
  const retried = Object.entries(api.retries).filter(([, n]) => n > 0);
  log('');
  log(
    `chaos: seed ${run.settings.seed} (CHAOS_SEED=${run.settings.seed} replays the same fault plan and customer choices; timing differs)`,
  );
  log(`chaos: load ${s(run.loadMs)}, settled in ${s(verdict.settledMs)}, whole run ${s(run.totalMs)}`);
  log(`chaos: ${run.faults.length} faults:`);
  for (const fault of run.faults) log(`  t+${s(fault.at)}  ${fault.what} (${s(fault.tookMs)})`);
  log(
    `chaos: retried requests: ${retried.length ? retried.map(([why, n]) => `${n} × ${why}`).join(', ') : 'none'}; ` +
      `${api.ambiguous} answered only after an unanswered try`,
  );
  const ghostsBy = (status: string) => verdict.ghosts.filter((g) => g.status === status).length;
  log(
    `chaos: orders by final state: ${Object.entries(verdict.finalStates)
      .map(([state, n]) => `${n} ${state}`)
      .join(', ')}; ${verdict.ghosts.length} of them no customer heard of (a lost answer, then a retry): ` +
      `${ghostsBy('Ordered')} Ordered, ${ghostsBy('Order Canceled')} Order Canceled`,
  );
  const t = verdict.tallies;
  if (t) {
    log(
      `chaos: stores hold ${t.orders} orders, ${t.payments} payments, ${t.deliveries} deliveries, ${t.coupons} coupons, ` +
        `${t.views} order-status views; ${t.duplicateRows} orders with more than one payment, delivery or coupon, ` +
        `${t.duplicateEvents} events recorded twice, ${t.unsent} outbox rows unsent, ${t.parked} dead letters`,
    );
  }
  if (verdict.violations.length > 0) {
    log(
      `chaos: VIOLATIONS (${verdict.violations.length}${verdict.violations.length > SHOWN_VIOLATIONS ? `, first ${SHOWN_VIOLATIONS}` : ''}):`,
    );
    for (const violation of verdict.violations.slice(0, SHOWN_VIOLATIONS)) log(`  ${violation}`);
  }
  log(
    `chaos: ${ledger.placed.length} orders, ${ledger.canceled.size} cancelled, ${verdict.violations.length} violations`,
  );
}
