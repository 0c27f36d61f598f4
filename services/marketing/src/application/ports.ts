import type { Tx } from '@12street/platform';
import type { Promote } from '../domain/promote.ts';

export type PromoteStore = {
  findPromoteForOrder(tx: Tx, orderId: number): Promise<Promote | undefined>;
  /** Inserts a new promote and returns its id; fails on a second promote for the same order. */
  addPromote(tx: Tx, promote: Promote): Promise<number>;
  updatePromote(tx: Tx, promote: Promote): Promise<void>;
};

export type Page<T> = { items: T[]; totalElements: number };
export type PageRequest = { page: number; size: number; sortBy: string; direction: 'asc' | 'desc' };

/** What the REST resource reads; cancelled placeholders carry no coupon and are not listed. */
export type PromoteQueries = {
  listPromotes(request: PageRequest): Promise<Page<Promote>>;
  promoteById(id: number): Promise<Promote | undefined>;
  promotesForOrder(orderId: number): Promise<Promote[]>;
};
