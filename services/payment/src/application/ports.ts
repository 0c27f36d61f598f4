import type { Tx } from '@12street/platform';
import type { Payment } from '../domain/payment.ts';

export type PaymentStore = {
  findPaymentForOrder(tx: Tx, orderId: number): Promise<Payment | undefined>;
  /** Inserts a new payment and returns its id; fails on a second payment for the same order. */
  addPayment(tx: Tx, payment: Payment): Promise<number>;
  updatePayment(tx: Tx, payment: Payment): Promise<void>;
};

export type Page<T> = { items: T[]; totalElements: number };
export type PageRequest = { page: number; size: number; sortBy: string; direction: 'asc' | 'desc' };

/** What the REST resource reads; voided placeholders are not payments and are not listed. */
export type PaymentQueries = {
  listPayments(request: PageRequest): Promise<Page<Payment>>;
  paymentById(id: number): Promise<Payment | undefined>;
  paymentsForOrder(orderId: number): Promise<Payment[]>;
};
