import type { OrderBody, OrderStatusBody, PaymentBody, PromoteBody, StockDeliveryBody } from '@12street/contracts';

export type { OrderBody, OrderStatusBody, PaymentBody, PromoteBody, StockDeliveryBody };

export type TimelineEntry = OrderStatusBody['timeline'][number];

/** A Spring Data REST (HAL) collection page, as every service lists its resource. */
export type HalPage<T> = {
  _embedded: Record<string, T[]>;
  page: { size: number; totalElements: number; totalPages: number; number: number };
};

/** The search endpoints answer a HAL list without paging. */
export type HalList<T> = { _embedded: Record<string, T[]> };

export type FaultMode = { kind: 'none' } | { kind: 'down' } | { kind: 'failing' } | { kind: 'slow'; delayMs: number };

/** GET /ops/overview (embedded mode only). */
export type OpsOverview = {
  mode: 'embedded';
  services: {
    name: string;
    url: string;
    ready: boolean;
    checks: Record<string, boolean>;
    fault: FaultMode;
    outbox: { unsent: number; oldestAt: string | null } | null;
    deadLettersParked: number | null;
  }[];
  breakers: { dependency: string; caller: string; state: 'closed' | 'open' | 'half-open'; since: string | null }[];
  consumerLag: { available: false; note: string };
};
