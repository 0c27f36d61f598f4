import { parseStreetEvent, type StreetEvent } from '@12street/contracts';
import { type EventTransport, errorText, type Subscription } from './transport.ts';

const SOURCE = 'in-process';

/**
 * The embedded mode's transport: delivery is a function call into each subscribing service, and
 * publish fails if any subscriber failed, so the outbox row stays unsent and is delivered again
 * after the relay's back-off (at-least-once, like Kafka; the subscribers' inboxes drop what they
 * already processed). A subscriber that failed one event maxAttempts times has it parked instead,
 * and from then on that event counts as done for it.
 * Events go through a JSON round trip so no subscriber can share an object with the publisher.
 */
export function inProcessTransport(): EventTransport {
  const subscriptions: Subscription[] = [];
  // Per event still being retried: the failed attempts of each subscriber, or 'parked'.
  const progress = new Map<string, Map<Subscription, number | 'parked'>>();

  const failedAttempt = async (s: Subscription, event: StreetEvent, error: unknown): Promise<unknown> => {
    const ofEvent = progress.get(event.eventId) ?? new Map<Subscription, number | 'parked'>();
    progress.set(event.eventId, ofEvent);
    const attempts = Number(ofEvent.get(s) ?? 0) + 1;
    ofEvent.set(s, attempts);
    if (!s.deadLetters || attempts < s.deadLetters.maxAttempts) return error;
    try {
      await s.deadLetters.park({
        consumer: s.deadLetters.policy,
        eventId: event.eventId,
        eventType: event.eventType,
        orderId: event.orderId,
        envelope: JSON.stringify(event),
        error: errorText(error),
        attempts,
        source: SOURCE,
      });
      ofEvent.set(s, 'parked');
      return undefined;
    } catch (parkError) {
      return parkError;
    }
  };

  return {
    name: SOURCE,
    subscribe: (s) => void subscriptions.push(s),
    async start() {},
    async stop() {},
    async publish(events, contexts) {
      for (const event of events) {
        const failures: unknown[] = [];
        const traceparent = contexts?.get(event.eventId)?.traceparent;
        for (const s of subscriptions) {
          if (!s.eventTypes.includes(event.eventType)) continue;
          if (progress.get(event.eventId)?.get(s) === 'parked') continue;
          try {
            await s.handle(parseStreetEvent(JSON.parse(JSON.stringify(event)) as StreetEvent), {
              source: SOURCE,
              ...(traceparent ? { traceparent } : {}),
            });
          } catch (error) {
            const failure = await failedAttempt(s, event, error);
            if (failure !== undefined) failures.push(failure);
          }
        }
        if (failures.length > 0)
          throw new AggregateError(failures, `${event.eventType} not processed by every subscriber`);
        progress.delete(event.eventId);
      }
    },
  };
}
