import { setTimeout as sleep } from 'node:timers/promises';
import type { Random } from './random.ts';
import type { RetryingClient } from './retryingClient.ts';

/** What the customers know at the end: the orders they were told were placed, and the ones they cancelled. */
export type CustomerLedger = {
  placed: number[];
  canceled: Set<number>;
  /** Answers that should never come (a 4xx to a valid order, a 404 to cancelling a placed one). */
  surprises: string[];
  done: boolean;
};

const orderFor = (ticket: number) => ({
  productId: (ticket % 50) + 1,
  productName: `chaos product ${(ticket % 50) + 1}`,
  productPrice: 10_000 + (ticket % 9) * 500,
  qty: (ticket % 3) + 1,
  userId: `chaos-u${ticket % 100}`,
  username: `chaos customer ${ticket % 100}`,
  address: 'Seoul',
  phoneNo: '010-1234-5678',
});

/**
 * `orders` orders placed by `concurrency` customers, paced over at least minSeconds; some are
 * cancelled a little later, at a random point of their saga. Every request is retried until it is
 * answered (see retryingClient).
 */
export function startCustomers(
  client: RetryingClient,
  options: { orders: number; concurrency: number; cancelShare: number; minSeconds: number; random: Random },
) {
  const ledger: CustomerLedger = { placed: [], canceled: new Set(), surprises: [], done: false };
  const startedAt = Date.now();
  const spacingMs = (options.minSeconds * 1000) / options.orders;
  let nextTicket = 0;

  const cancel = async (id: number) => {
    await sleep(options.random.between(0, 1500));
    const reply = await client.post(`/orders/${id}/cancel`, { reason: 'chaos customer changed their mind' });
    // 409: an earlier try went through but its answer was lost.
    if (reply.status === 200 || reply.status === 409) ledger.canceled.add(id);
    else ledger.surprises.push(`cancelling order ${id} answered ${reply.status}: ${JSON.stringify(reply.body)}`);
  };

  const customer = async () => {
    const cancellations: Promise<void>[] = [];
    for (let ticket = nextTicket++; ticket < options.orders; ticket = nextTicket++) {
      const due = startedAt + ticket * spacingMs;
      if (due > Date.now()) await sleep(due - Date.now());
      const reply = await client.post('/orders', orderFor(ticket));
      const id = (reply.body as { id?: number } | undefined)?.id;
      if (reply.status !== 201 || typeof id !== 'number') {
        ledger.surprises.push(`placing order #${ticket} answered ${reply.status}: ${JSON.stringify(reply.body)}`);
        continue;
      }
      ledger.placed.push(id);
      if (options.random.next() < options.cancelShare) cancellations.push(cancel(id));
    }
    await Promise.all(cancellations);
  };

  const finished = Promise.all(Array.from({ length: options.concurrency }, customer)).then(() => {
    ledger.done = true;
  });
  return { ledger, finished };
}
