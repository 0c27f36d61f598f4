import { FAULT_KINDS, type FaultKind } from './driver.ts';

const whole = (name: string, fallback: number, min = 1) => {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min) throw new Error(`${name} must be a whole number ≥ ${min}, not "${raw}"`);
  return value;
};

const kinds = () => {
  const raw = process.env.CHAOS_FAULTS ?? FAULT_KINDS.join(',');
  if (raw === 'none') return [];
  const chosen = raw.split(',').map((kind) => kind.trim());
  const unknown = chosen.filter((kind) => !FAULT_KINDS.includes(kind as FaultKind));
  if (unknown.length) throw new Error(`CHAOS_FAULTS takes ${FAULT_KINDS.join(', ')}; not ${unknown.join(', ')}`);
  return chosen as FaultKind[];
};

/** The run's settings, from the environment (CI sets CHAOS_ORDERS=300). */
export function chaosSettings() {
  const orders = whole('CHAOS_ORDERS', 10_000);
  return {
    orders,
    /** Customers placing orders at once. */
    concurrency: whole('CHAOS_CONCURRENCY', 16),
    /** One order in ten is cancelled by its customer, at a random moment of its saga. */
    cancelShare: whole('CHAOS_CANCEL_PERCENT', 10, 0) / 100,
    /** The orders are spread over at least this long, so every fault lands on live traffic. */
    minSeconds: whole('CHAOS_MIN_SECONDS', 90),
    /** How long the system may take to settle once the faults stop. */
    settleSeconds: whole('CHAOS_SETTLE_SECONDS', 120),
    /** The whole run's bound, start-up and settling included. */
    timeoutSeconds: whole('CHAOS_TIMEOUT_SECONDS', 300 + Math.ceil(orders * 0.06)),
    seed: whole('CHAOS_SEED', Math.floor(Math.random() * 2 ** 31), 0),
    /** CHAOS_FAULTS=broker (say) injects only that kind, to reproduce what a full run found; none for none. */
    faults: kinds(),
  };
}

export type ChaosSettings = ReturnType<typeof chaosSettings>;
