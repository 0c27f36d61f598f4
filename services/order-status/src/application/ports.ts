import type { StreetEvent } from '@12street/contracts';
import type { Tx } from '@12street/platform';
import type { OrderStatusView } from '../domain/orderStatusView.ts';

/**
 * Where the projection keeps each order's events and its view. A SQL store implements it now; a
 * Redis one will in distributed mode, so nothing here assumes tables.
 */
export type OrderEventStore = {
  /**
   * Keeps the event unless it is already kept, and says whether it was new. Concurrent events of one
   * order must not lose each other: the SQL store holds the order until the transaction ends, the
   * Redis store commits only if no other event of the order was kept meanwhile (else it projects
   * again), so a saved view always counts every event kept before it.
   */
  recordOrderEvent(tx: Tx, event: StreetEvent): Promise<boolean>;
  eventsOfOrder(tx: Tx, orderId: number): Promise<StreetEvent[]>;
  saveView(tx: Tx, view: OrderStatusView, updatedAt: Date): Promise<void>;
};

export type StoredOrderStatus = OrderStatusView & { updatedAt: string };

export type Page<T> = { items: T[]; totalElements: number };
export type PageRequest = { page: number; size: number; sortBy: string; direction: 'asc' | 'desc' };

/** What the REST resource reads. */
export type OrderStatusQueries = {
  listOrderStatuses(request: PageRequest): Promise<Page<StoredOrderStatus>>;
  orderStatusOf(orderId: number): Promise<StoredOrderStatus | undefined>;
  orderStatusesOfUser(userId: string): Promise<StoredOrderStatus[]>;
};
