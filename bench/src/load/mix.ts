/**
 * The workload, the same in every phase: a customer places an order, looks at its status, looks at
 * the order itself, and one time in ten cancels it.
 */
export const CANCEL_SHARE = 0.1;
const CUSTOMERS = 200;

let sequence = 0;

/** A valid order for one of CUSTOMERS users (ops may order for anyone). */
export function orderBody(): string {
  sequence += 1;
  const user = (sequence % CUSTOMERS) + 1;
  return JSON.stringify({
    productId: (sequence % 50) + 1,
    productName: `product ${(sequence % 50) + 1}`,
    productPrice: 10_000 + (sequence % 7) * 1000,
    qty: (sequence % 3) + 1,
    userId: `bench-u${user}`,
    username: `bench customer ${user}`,
    address: 'Seoul',
    phoneNo: '010-1234-5678',
  });
}

export const idOf = (body: string): number | undefined => {
  try {
    const id = (JSON.parse(body) as { id?: unknown }).id;
    return typeof id === 'number' ? id : undefined;
  } catch {
    return undefined;
  }
};

/** What a load process is told: where, with which token, for how long. */
export type LoadConfig = {
  url: string;
  token: string;
  seconds: number;
  /** Closed loop: concurrent connections. */
  connections?: number;
  /** Open model: orders placed per second, whatever the answers take. */
  rate?: number;
  /** Open model: how many placed (and cancelled) orders to report for the saga measurement. */
  sampleSize?: number;
  /** Baseline: the one path to request. */
  path?: string;
};

/** Requests of one kind: how many answered with each status, and the errors. */
export type StepCounts = Record<string, Record<string, number>>;

export const count = (counts: StepCounts, step: string, outcome: string | number) => {
  const of = counts[step] ?? {};
  of[outcome] = (of[outcome] ?? 0) + 1;
  counts[step] = of;
};
