import { DELIVERY_STATUS, ORDER_STATUS, PAY_STATUS, PROMOTE_STATUS } from '@12street/contracts';
import type { CustomerLedger } from '../customers.ts';
import type { Snapshot, View } from './snapshot.ts';

// The order service's state for an order payment did not approve (services/order/src/domain/order.ts).
const REJECTED = 'Rejected';

type Expected = {
  payments: string[];
  deliveries: string[];
  promotes: string[];
  /** null: the read model must hold nothing for the order. */
  view: Omit<View, 'orderId' | 'couponId'> | null;
};

const compensated = (orderStatus: string | null): Expected => ({
  payments: [PAY_STATUS.canceled],
  deliveries: [DELIVERY_STATUS.canceled],
  promotes: [PROMOTE_STATUS.canceled],
  view: {
    orderStatus,
    payStatus: PAY_STATUS.canceled,
    promoteStatus: PROMOTE_STATUS.canceled,
    deliveryStatus: DELIVERY_STATUS.canceled,
  },
});

/**
 * What every service must hold for an order in this state once the system settled: a placed
 * order paid, couponed and delivered once; a cancelled one compensated everywhere; a rejected one
 * leaving no approved payment (voided before approval: nothing else happened; cancelled after:
 * compensated like a cancellation, but never shown as an order).
 */
function expectedFor(status: string, payments: string[]): Expected | string {
  if (status === ORDER_STATUS.placed) {
    return {
      payments: [PAY_STATUS.approved],
      deliveries: [DELIVERY_STATUS.started],
      promotes: [PROMOTE_STATUS.published],
      view: {
        orderStatus: ORDER_STATUS.placed,
        payStatus: PAY_STATUS.approved,
        promoteStatus: PROMOTE_STATUS.published,
        deliveryStatus: DELIVERY_STATUS.started,
      },
    };
  }
  if (status === ORDER_STATUS.canceled) return compensated(ORDER_STATUS.canceled);
  if (status === REJECTED) {
    if (payments.length === 1 && payments[0] === PAY_STATUS.canceled) return compensated(null);
    return { payments: payments.length ? [PAY_STATUS.voided] : [], deliveries: [], promotes: [], view: null };
  }
  return `is still "${status}" (not a terminal state)`;
}

const same = (a: readonly unknown[], b: readonly unknown[]) => JSON.stringify(a) === JSON.stringify(b);
const statusesOf = (view: View | undefined) =>
  view && {
    orderStatus: view.orderStatus,
    payStatus: view.payStatus,
    promoteStatus: view.promoteStatus,
    deliveryStatus: view.deliveryStatus,
  };

function checkOrder(s: Snapshot, id: number, order: { status: string; settled: boolean }): string[] {
  const payments = s.payments.get(id) ?? [];
  const deliveries = s.deliveries.get(id) ?? [];
  const promotes = s.promotes.get(id) ?? [];
  const expected = expectedFor(order.status, payments);
  if (typeof expected === 'string') return [`order ${id} ${expected}`];
  const problems: string[] = [];
  const compare = (what: string, actual: unknown[], want: unknown[]) => {
    if (!same(actual, want)) problems.push(`${what} ${JSON.stringify(actual)}, expected ${JSON.stringify(want)}`);
  };
  compare('payments', payments, expected.payments);
  compare(
    'deliveries',
    deliveries.map((d) => d.status),
    expected.deliveries,
  );
  compare(
    'coupons',
    promotes.map((c) => c.status),
    expected.promotes,
  );
  if (order.status === REJECTED && !order.settled) problems.push('rejected but its payment was never settled');
  if (deliveries.some((d) => d.pending)) problems.push(`delivery still owes "${deliveries[0]?.pending}" to marketing`);
  const view = s.views.get(id);
  // A placeholder was never announced, so the view cannot know it: it shows no status there.
  const announced = (rows: { placeholder: boolean }[], status: string | null) => (rows[0]?.placeholder ? null : status);
  if (expected.view) {
    expected.view = {
      ...expected.view,
      promoteStatus: announced(promotes, expected.view.promoteStatus),
      deliveryStatus: announced(deliveries, expected.view.deliveryStatus),
    };
  }
  if (expected.view === null) {
    if (view) problems.push(`has a view ${JSON.stringify(statusesOf(view))} but no event should have named it`);
  } else if (!view) {
    problems.push('has no order-status view');
  } else if (JSON.stringify(statusesOf(view)) !== JSON.stringify(expected.view)) {
    problems.push(`view ${JSON.stringify(statusesOf(view))}, expected ${JSON.stringify(expected.view)}`);
  }
  if (order.status === ORDER_STATUS.placed) {
    const coupons = new Set([deliveries[0]?.couponId, promotes[0]?.couponId, view?.couponId]);
    if (coupons.size !== 1)
      problems.push(`coupon ids disagree (delivery, marketing, view): ${[...coupons].join(', ')}`);
  }
  return problems.map((p) => `order ${id} (${order.status}): ${p}`);
}

export type Tallies = {
  orders: number;
  payments: number;
  deliveries: number;
  coupons: number;
  views: number;
  duplicateRows: number;
  duplicateEvents: number;
  unsent: number;
  parked: number;
};
export type Verdict = {
  violations: string[];
  finalStates: Record<string, number>;
  /** Orders placed (then maybe cancelled) that no customer heard of: a lost answer, then a retry. */
  ghosts: { id: number; status: string }[];
  tallies?: Tallies;
};

const rows = (map: Map<number, unknown[]>) => [...map.values()].reduce((sum, list) => sum + list.length, 0);
const twice = (map: Map<number, unknown[]>) => [...map.values()].filter((list) => list.length > 1).length;
const total = (counts: Record<string, number>) => Object.values(counts).reduce((a, b) => a + b, 0);

/** How much each store holds, for the report: the invariants say whether it is right. */
export function talliesOf(s: Snapshot): Tallies {
  return {
    orders: s.orders.size,
    payments: rows(s.payments),
    deliveries: rows(s.deliveries),
    coupons: rows(s.promotes),
    views: s.views.size,
    duplicateRows: twice(s.payments) + twice(s.deliveries) + twice(s.promotes),
    duplicateEvents: s.duplicateEvents.length,
    unsent: total(s.unsent),
    parked: total(s.parked),
  };
}

/** Every invariant of the run, checked against the stores and the customers' ledger. */
export function checkInvariants(s: Snapshot, ledger: CustomerLedger): Verdict {
  const violations = [...ledger.surprises];
  const finalStates: Record<string, number> = {};
  for (const [id, order] of s.orders) {
    finalStates[order.status] = (finalStates[order.status] ?? 0) + 1;
    violations.push(...checkOrder(s, id, order));
  }
  for (const [what, ids] of [
    ['a payment', s.payments.keys()],
    ['a delivery', s.deliveries.keys()],
    ['a coupon', s.promotes.keys()],
    ['an order-status view', s.views.keys()],
  ] as const) {
    for (const id of ids)
      if (!s.orders.has(id)) violations.push(`${what} exists for order ${id}, which order never had`);
  }
  const placed = new Set(ledger.placed);
  for (const id of placed) {
    const status = s.orders.get(id)?.status;
    const want = ledger.canceled.has(id) ? ORDER_STATUS.canceled : ORDER_STATUS.placed;
    if (status !== want)
      violations.push(`order ${id} was answered 201 to its customer but is "${status}", not "${want}"`);
  }
  const visible = [...s.orders.values()].filter(
    (o) => o.status === ORDER_STATUS.placed || o.status === ORDER_STATUS.canceled,
  ).length;
  const ghosts = [...s.orders.entries()]
    .filter(([id, o]) => !placed.has(id) && (o.status === ORDER_STATUS.placed || o.status === ORDER_STATUS.canceled))
    .map(([id, o]) => ({ id, status: o.status }));
  for (const [service, n] of Object.entries(s.unsent))
    if (n > 0) violations.push(`${service}'s outbox still holds ${n} unsent event(s)`);
  for (const [service, n] of Object.entries(s.parked))
    if (n > 0) violations.push(`${service} parked ${n} event(s) as dead letters`);
  violations.push(...s.duplicateEvents);
  if (s.restVisibleOrders !== visible) {
    violations.push(
      `GET /orders lists ${s.restVisibleOrders} orders, the order database holds ${visible} placed or cancelled`,
    );
  }
  for (const id of new Set([...s.views.keys(), ...s.restViews.keys()])) {
    const stored = JSON.stringify(statusesOf(s.views.get(id)));
    const served = JSON.stringify(statusesOf(s.restViews.get(id)));
    if (stored !== served) violations.push(`order ${id}: GET /orderStatus shows ${served}, Redis holds ${stored}`);
  }
  return { violations, finalStates, ghosts, tallies: talliesOf(s) };
}
