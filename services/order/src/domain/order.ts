import { ORDER_STATUS } from '@12street/contracts';

/**
 * An order exists for the customer only once payment approved it. Before that it waits for the
 * answer ('Payment Pending'); if payment could not approve it, it is kept as 'Rejected' so the
 * payment it may have caused can be voided. Neither is shown to the customer.
 */
export const ORDER_STATES = {
  pending: 'Payment Pending',
  placed: ORDER_STATUS.placed,
  canceled: ORDER_STATUS.canceled,
  rejected: 'Rejected',
} as const;

export type OrderState = (typeof ORDER_STATES)[keyof typeof ORDER_STATES];

export type OrderDetails = {
  productId: number;
  productName: string;
  productPrice: number;
  qty: number;
  userId: string;
  username: string;
  address: string;
  phoneNo: string;
};

export type Order = {
  id: number | null;
  details: OrderDetails;
  orderStatus: OrderState;
  reason: string | null;
  /** For a rejected order: payment has confirmed that no approved payment stays behind for it. */
  paymentSettled: boolean;
  createdAt: string;
  updatedAt: string;
};

export const DEFAULT_CANCEL_REASON = 'customer request';
const REASON_MAX = 200;
const reasonFrom = (text: string, fallback: string) => text.trim().slice(0, REASON_MAX) || fallback;

export class OrderNotFound extends Error {
  override readonly name = 'OrderNotFound';
  constructor(id: number) {
    super(`order ${id} does not exist`);
  }
}

export class OrderAlreadyCanceled extends Error {
  override readonly name = 'OrderAlreadyCanceled';
  constructor(id: number) {
    super(`order ${id} is already canceled`);
  }
}

/** The order was given up (rejected) before payment's late approval arrived. */
export class OrderAbandoned extends Error {
  override readonly name = 'OrderAbandoned';
  constructor(id: number, state: OrderState) {
    super(`order ${id} is "${state}" and can no longer be placed`);
  }
}

export class OnlyCancellationCanBePatched extends Error {
  override readonly name = 'OnlyCancellationCanBePatched';
  constructor(requested: string) {
    super(
      `only cancellation can be patched: send {"orderStatus":"${ORDER_STATUS.canceled}"} (got "${requested.slice(0, 50)}")`,
    );
  }
}

/** The customer sees placed and cancelled orders; pending and rejected ones are not orders yet. */
export const isCustomerVisible = (order: Order) =>
  order.orderStatus === ORDER_STATES.placed || order.orderStatus === ORDER_STATES.canceled;

export const CUSTOMER_VISIBLE_STATES: readonly OrderState[] = [ORDER_STATES.placed, ORDER_STATES.canceled];

/** A new order waits for payment's answer. */
export function startOrder(details: OrderDetails, now: Date): Order {
  const at = now.toISOString();
  return {
    id: null,
    details,
    orderStatus: ORDER_STATES.pending,
    reason: null,
    paymentSettled: false,
    createdAt: at,
    updatedAt: at,
  };
}

/**
 * Payment approved: the order is placed. Null when it already was (the settle worker repaired it
 * first); an order given up meanwhile cannot be placed any more.
 */
export function completeOrder(order: Order, now: Date): Order | null {
  if (order.orderStatus === ORDER_STATES.placed) return null;
  if (order.orderStatus !== ORDER_STATES.pending) throw new OrderAbandoned(order.id ?? 0, order.orderStatus);
  return { ...order, orderStatus: ORDER_STATES.placed, updatedAt: now.toISOString() };
}

/**
 * Payment did not approve the order. `paymentSettled` says whether payment's answer already rules
 * out an approved payment (it refused); otherwise the payment must still be voided. Null when the
 * order is no longer waiting for payment.
 */
export function rejectOrder(
  order: Order,
  rejection: { reason: string; paymentSettled: boolean },
  now: Date,
): Order | null {
  if (order.orderStatus !== ORDER_STATES.pending) return null;
  return {
    ...order,
    orderStatus: ORDER_STATES.rejected,
    reason: reasonFrom(rejection.reason, 'payment not approved'),
    paymentSettled: rejection.paymentSettled,
    updatedAt: now.toISOString(),
  };
}

/** Payment confirmed the void of a rejected order's payment. Null when there is nothing to settle. */
export function settlePayment(order: Order, now: Date): Order | null {
  if (order.orderStatus !== ORDER_STATES.rejected || order.paymentSettled) return null;
  return { ...order, paymentSettled: true, updatedAt: now.toISOString() };
}

/** Still waiting for payment after staleMs: the request that was waiting must have died. */
export const isStalePending = (order: Order, now: Date, staleMs: number) =>
  order.orderStatus === ORDER_STATES.pending && Date.parse(order.createdAt) <= now.getTime() - staleMs;

/** The customer cancels a placed order, once. */
export function cancelOrder(order: Order | undefined, id: number, reason: string | undefined, now: Date): Order {
  if (!order || !isCustomerVisible(order)) throw new OrderNotFound(id);
  if (order.orderStatus === ORDER_STATES.canceled) throw new OrderAlreadyCanceled(id);
  return {
    ...order,
    orderStatus: ORDER_STATES.canceled,
    reason: reasonFrom(reason ?? '', DEFAULT_CANCEL_REASON),
    updatedAt: now.toISOString(),
  };
}

/** The original's PATCH may only ever set the cancelled status; anything else is refused. */
export function requireCancellationPatch(patch: { orderStatus: string }): void {
  if (patch.orderStatus !== ORDER_STATUS.canceled) throw new OnlyCancellationCanBePatched(patch.orderStatus);
}
