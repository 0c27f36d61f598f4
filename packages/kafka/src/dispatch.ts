import type { StreetEvent } from '@12street/contracts';
import type { NewDeadLetter, Subscription } from '@12street/platform';
import type { Logger } from 'pino';
import { eventLetter, unreadableLetter } from './deadLetters.ts';
import { deliveryContextOf, fromWireValue, type Incoming } from './wire.ts';

export type { Incoming } from './wire.ts';

/** One fetched record on its way through a group's subscriptions; survives retries of the record. */
export type Delivery = {
  offset: bigint;
  record: Incoming;
  event?: StreetEvent;
  pending?: Subscription[];
  /** Failed attempts so far, by subscription. */
  failures?: Map<Subscription, number>;
};

/** Keeps a record a subscription gave up on: on the dead-letter topic, and with park (the service's table) if given. */
export type ParkRecord = (
  record: Incoming,
  letter: NewDeadLetter,
  park?: (letter: NewDeadLetter) => Promise<void>,
) => Promise<void>;

/**
 * Hands a record to every subscription of the group that wants its event type. Throws when any of
 * them failed, so the record is tried again; on that retry only the ones that failed run again.
 * A subscription that failed its maxAttempts has the record parked instead and is done with it.
 */
export function dispatcher(subscriptions: readonly Subscription[], log: Logger, parkRecord: ParkRecord) {
  // Every subscription of a service parks in the same place; a poison message is parked there too.
  const sink = subscriptions.find((s) => s.deadLetters)?.deadLetters;

  return async (delivery: Delivery): Promise<void> => {
    const { record } = delivery;
    if (!delivery.pending) {
      let event: StreetEvent;
      try {
        event = fromWireValue(record.value);
      } catch (error) {
        // A poison message can never succeed, so it must not hold its partition: park it and commit past it.
        await parkRecord(record, unreadableLetter(record, error), sink?.park);
        log.error(
          { topic: record.topic, partition: record.partition, offset: String(record.offset), reason: String(error) },
          'poison message parked',
        );
        delivery.pending = [];
        return;
      }
      delivery.event = event;
      delivery.pending = subscriptions.filter((s) => s.eventTypes.includes(event.eventType));
      delivery.failures = new Map();
    }
    const event = delivery.event as StreetEvent;
    const pending = delivery.pending;
    const attemptsOf = delivery.failures ?? new Map<Subscription, number>();
    const done = (subscription: Subscription) => pending.splice(pending.indexOf(subscription), 1);
    const context = deliveryContextOf(record);
    const failures: unknown[] = [];
    for (const subscription of [...pending]) {
      try {
        // Each policy gets its own copy, as with the in-process transport: none can alter another's event.
        await subscription.handle(structuredClone(event), context);
        done(subscription);
      } catch (error) {
        const attempts = (attemptsOf.get(subscription) ?? 0) + 1;
        attemptsOf.set(subscription, attempts);
        const deadLetters = subscription.deadLetters;
        if (!deadLetters || attempts < deadLetters.maxAttempts) {
          failures.push(error);
          continue;
        }
        try {
          await parkRecord(record, eventLetter(record, event, deadLetters.policy, error, attempts), deadLetters.park);
          done(subscription);
        } catch (parkError) {
          failures.push(parkError);
        }
      }
    }
    if (failures.length === 1) throw failures[0];
    if (failures.length > 1) throw new AggregateError(failures, `${event.eventType} failed in several policies`);
  };
}
