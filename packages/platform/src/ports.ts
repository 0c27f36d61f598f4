import type { StreetEvent } from '@12street/contracts';

declare const transactionBrand: unique symbol;
/** An open database transaction, opaque to the application layer; adapters know what it is. */
export type Tx = { readonly [transactionBrand]: true };

/** Runs work in one transaction: everything it writes commits together or not at all. */
export type InTransaction = <T>(work: (tx: Tx) => Promise<T>) => Promise<T>;

/**
 * The transactional outbox: events are written with the state change that caused them. context
 * carries the caller's W3C traceparent (an HTTP request's header) on with the events.
 */
/** The W3C trace context a write happened under, carried with its events. */
export type TraceContext = { traceparent?: string };

export type RecordEvents = (tx: Tx, events: readonly StreetEvent[], context?: TraceContext) => Promise<void>;

/** Time and identity come from outside so domain and application code stay deterministic. */
export type Clock = () => Date;
export type NewId = () => string;

/**
 * Runs a worker's work for one order in that order's trace (the last event the service handled for
 * it), so the calls it makes and the events it records join the trace; without tracing, just runs it.
 */
export type InOrderTrace = <T>(orderId: number, name: string, work: () => Promise<T>) => Promise<T>;

/** Reacts to one event inside the transaction that also records it as processed. */
export type EventPolicy<E extends StreetEvent = StreetEvent> = (tx: Tx, event: E) => Promise<void>;
