import type { StreetEvent } from '@12street/contracts';
import type { Subscription } from '@12street/platform';
import type { Message } from '@platformatic/kafka';
import type { Logger } from 'pino';
import { fromWireValue } from './wire.ts';

export type Incoming = Message<string, string, string, string>;

/** One fetched record on its way through a group's subscriptions; survives retries of the record. */
export type Delivery = { offset: bigint; record: Incoming; event?: StreetEvent; pending?: Subscription[] };

/**
 * Hands a record to every subscription of the group that wants its event type. Throws when any of
 * them failed, so the record is tried again; on that retry only the ones that failed run again.
 */
export function dispatcher(subscriptions: readonly Subscription[], log: Logger) {
  return async (delivery: Delivery): Promise<void> => {
    const { record } = delivery;
    if (!delivery.pending) {
      try {
        const event = fromWireValue(record.value);
        delivery.event = event;
        delivery.pending = subscriptions.filter((s) => s.eventTypes.includes(event.eventType));
      } catch (error) {
        // A poison message can never succeed, so it must not hold its partition: log it and commit
        // past it. TODO dead-letter topic: keep the raw record there instead of only logging it.
        log.error(
          { topic: record.topic, partition: record.partition, offset: String(record.offset), reason: String(error) },
          'poison message skipped',
        );
        delivery.pending = [];
        return;
      }
    }
    const event = delivery.event as StreetEvent;
    const failures: unknown[] = [];
    for (const subscription of [...delivery.pending]) {
      try {
        // Each policy gets its own copy, as with the in-process transport: none can alter another's event.
        await subscription.handle(structuredClone(event));
        delivery.pending.splice(delivery.pending.indexOf(subscription), 1);
      } catch (error) {
        failures.push(error);
      }
    }
    if (failures.length === 1) throw failures[0];
    if (failures.length > 1) throw new AggregateError(failures, `${event.eventType} failed in several policies`);
  };
}
