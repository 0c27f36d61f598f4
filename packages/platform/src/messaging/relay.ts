import type { StreetEvent } from '@12street/contracts';
import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import { type Backoff, nextDelayMs } from '../resilience/backoff.ts';
import { type Poller, startPoller } from '../resilience/poller.ts';
import { endSpans, producerSpan } from '../telemetry/messagingSpans.ts';
import { traceparentOfSpan } from '../telemetry/spans.ts';
import { deferOutboxRow, dueOutboxRows, markOutboxRowsSent, type OutboxRow } from './outbox.ts';
import type { MessagingTables } from './tables.ts';
import type { EventContext, EventTransport } from './transport.ts';

export type RelayOptions = {
  db: Kysely<MessagingTables>;
  transport: EventTransport;
  logger: Logger;
  /** Whose producer spans these are. */
  service?: string;
  pollIntervalMs?: number;
  batchSize?: number;
  backoff?: Backoff;
  /** Hand a whole batch over at once (Kafka); otherwise row by row, so one failure holds only its order. */
  batched?: boolean;
  /** Told what was published and what failed, for metrics. */
  observe?: { published(events: readonly StreetEvent[]): void; failed(count: number): void };
};

/** Moves committed events from a service's outbox to the transport; a row is marked sent only after publish succeeded. */
export function startOutboxRelay(options: RelayOptions): Poller {
  const { db, transport, logger } = options;
  const batchSize = options.batchSize ?? 100;
  const backoff = options.backoff ?? { baseMs: 200, maxMs: 10_000 };

  const defer = async (rows: OutboxRow[], error: unknown) => {
    const message = error instanceof Error ? error.message : String(error);
    options.observe?.failed(rows.length);
    for (const row of rows) await deferOutboxRow(db, row, Date.now() + nextDelayMs(row.attempts, backoff), message);
    logger.warn({ err: error, eventIds: rows.map((r) => r.event.eventId) }, 'outbox relay will retry');
  };

  // One producer span per event, continuing the trace it was recorded in; what travels with the
  // event is the span's traceparent (with tracing off, the recorded one as it was).
  const publish = async (rows: OutboxRow[]) => {
    const spans = rows.map((r) => producerSpan(options.service, r.event, transport.name, r.traceparent));
    const contexts = new Map<string, EventContext>();
    rows.forEach((row, i) => {
      const traceparent = spans[i] && traceparentOfSpan(spans[i].span);
      if (traceparent) contexts.set(row.event.eventId, { traceparent });
    });
    try {
      await transport.publish(
        rows.map((r) => r.event),
        contexts,
      );
    } catch (error) {
      endSpans(spans, error);
      throw error;
    }
    endSpans(spans);
  };

  const relayOnce = async (): Promise<number> => {
    const rows = await dueOutboxRows(db, Date.now(), batchSize);
    if (options.batched) {
      if (rows.length === 0) return 0;
      try {
        await publish(rows);
        await markOutboxRowsSent(
          db,
          rows.map((r) => r.id),
          new Date(),
        );
        options.observe?.published(rows.map((r) => r.event));
      } catch (error) {
        await defer(rows, error);
      }
      return rows.length;
    }
    const held = new Set<number>();
    for (const row of rows) {
      if (held.has(row.orderId)) continue;
      try {
        await publish([row]);
        await markOutboxRowsSent(db, [row.id], new Date());
        options.observe?.published([row.event]);
      } catch (error) {
        held.add(row.orderId);
        await defer([row], error);
      }
    }
    return rows.length;
  };

  return startPoller({
    name: 'outbox-relay',
    intervalMs: options.pollIntervalMs ?? 250,
    logger,
    async run() {
      while ((await relayOnce()) === batchSize) {}
    },
  });
}
