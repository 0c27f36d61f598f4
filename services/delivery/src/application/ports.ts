import type { Tx } from '@12street/platform';
import type { Coupon, Delivery } from '../domain/delivery.ts';

export type DeliveryStore = {
  findDeliveryForOrder(tx: Tx, orderId: number): Promise<Delivery | undefined>;
  /** Inserts a new delivery and returns its id; fails on a second delivery for the same order. */
  addDelivery(tx: Tx, delivery: Delivery): Promise<number>;
  updateDelivery(tx: Tx, delivery: Delivery): Promise<void>;
  /** Deliveries owing a call to marketing that is due at nowMs, longest-waiting first. */
  deliveriesDueForCoupon(tx: Tx, nowMs: number, limit: number): Promise<Delivery[]>;
};

/** marketing, as delivery needs it: issue an order's coupon, or cancel it (idempotent both). */
export type CouponDesk = {
  issueCoupon(request: {
    orderId: number;
    userId: string;
    username: string;
    phoneNo: string;
    amount: number;
  }): Promise<Coupon>;
  cancelCoupon(request: { orderId: number; userId: string; reason: string }): Promise<void>;
};

/** marketing refused to issue the coupon because the order's coupon was cancelled. */
export class CouponRefused extends Error {
  override readonly name = 'CouponRefused';
}

export type Page<T> = { items: T[]; totalElements: number };
export type PageRequest = { page: number; size: number; sortBy: string; direction: 'asc' | 'desc' };

/** What the REST resource reads; cancelled placeholders are not deliveries and are not listed. */
export type DeliveryQueries = {
  listDeliveries(request: PageRequest): Promise<Page<Delivery>>;
  deliveryById(id: number): Promise<Delivery | undefined>;
  deliveriesForOrder(orderId: number): Promise<Delivery[]>;
};
