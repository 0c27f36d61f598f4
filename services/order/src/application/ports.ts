import type { Tx } from '@12street/platform';
import type { Order, OrderDetails, OrderState } from '../domain/order.ts';

export type OrderStore = {
  findOrder(tx: Tx, id: number): Promise<Order | undefined>;
  /** Inserts a new order and returns its id. */
  addOrder(tx: Tx, order: Order): Promise<number>;
  /**
   * Writes the order if it is still in state `from`; false when a concurrent writer moved it on
   * first (two replicas, or a request racing the settle worker).
   */
  updateOrder(tx: Tx, order: Order, from: OrderState): Promise<boolean>;
  /** Rejected orders whose payment payment has not yet confirmed voided, oldest first. */
  rejectedOrdersToSettle(tx: Tx, limit: number): Promise<Order[]>;
  /** Orders still waiting for payment that were created at or before `createdBy`, oldest first. */
  pendingOrdersCreatedBy(tx: Tx, createdBy: Date, limit: number): Promise<Order[]>;
};

/** payment, as order needs it. Approving and voiding are idempotent per order on payment's side. */
export type PaymentDesk = {
  /** Resolves once payment approved; PaymentRefused or PaymentUnavailable otherwise. */
  approvePayment(request: OrderDetails & { orderId: number }): Promise<void>;
  /** Cancels the order's approved payment, or bars a late one. */
  voidPayment(request: { orderId: number; reason: string }): Promise<void>;
  hasApprovedPayment(orderId: number): Promise<boolean>;
};

/** payment answered: this order will not be paid. */
export class PaymentRefused extends Error {
  override readonly name = 'PaymentRefused';
}

/** payment could not be asked or did not answer; whether it approved is unknown. */
export class PaymentUnavailable extends Error {
  override readonly name = 'PaymentUnavailable';
  readonly reason: 'circuit-open' | 'timeout' | 'failed';
  /** When asking again makes sense. */
  readonly retryAfterSeconds: number;
  constructor(
    reason: 'circuit-open' | 'timeout' | 'failed',
    detail: string,
    retryAfterSeconds: number,
    options?: ErrorOptions,
  ) {
    super(detail, options);
    this.reason = reason;
    this.retryAfterSeconds = retryAfterSeconds;
  }
}

export type Page<T> = { items: T[]; totalElements: number };
export type PageRequest = { page: number; size: number; sortBy: string; direction: 'asc' | 'desc' };

/** What the REST resource reads: only placed and cancelled orders are the customer's orders. */
export type OrderQueries = {
  listOrders(request: PageRequest): Promise<Page<Order>>;
  orderById(id: number): Promise<Order | undefined>;
  ordersForUser(userId: string): Promise<Order[]>;
};
