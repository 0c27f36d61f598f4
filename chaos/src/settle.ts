import { setTimeout as sleep } from 'node:timers/promises';
import type { CustomerLedger } from './customers.ts';
import { checkInvariants, type Verdict } from './invariants/check.ts';
import { type Snapshot, takeSnapshot } from './invariants/snapshot.ts';
import type { Stores } from './invariants/stores.ts';
import type { RetryingClient } from './retryingClient.ts';

/**
 * Once the faults stopped, polls the stores until every invariant holds twice in a row (the
 * system settled), or the time is up; the last verdict is the run's.
 */
export async function settle(
  stores: Stores,
  api: RetryingClient,
  ledger: CustomerLedger,
  timeoutMs: number,
  log: (line: string) => void,
): Promise<Verdict & { settledMs: number; snapshot: Snapshot | undefined }> {
  const startedAt = Date.now();
  let verdict: Verdict = { violations: ['never checked'], finalStates: {}, ghosts: [] };
  let snapshot: Snapshot | undefined;
  let cleanInARow = 0;
  let lastLog = 0;
  while (Date.now() - startedAt < timeoutMs) {
    try {
      snapshot = await takeSnapshot(stores, api);
      verdict = checkInvariants(snapshot, ledger);
    } catch (error) {
      // What the last complete reading found still stands; the failed one is added to it.
      const unread = `could not read the stores: ${(error as Error).message}`;
      verdict = { ...verdict, violations: [unread, ...verdict.violations.filter((v) => !v.startsWith('could not'))] };
    }
    cleanInARow = verdict.violations.length === 0 ? cleanInARow + 1 : 0;
    if (cleanInARow === 2) break;
    if (verdict.violations.length > 0 && Date.now() - lastLog > 15_000) {
      lastLog = Date.now();
      log(
        `chaos: settling, ${verdict.violations.length} invariant(s) not holding yet (${verdict.violations[0] ?? 'none'})`,
      );
    }
    await sleep(1000);
  }
  return { ...verdict, settledMs: Date.now() - startedAt, snapshot };
}
