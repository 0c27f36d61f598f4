import { parseStreetEvent, type StreetEvent } from '@12street/contracts';
import type { EventTransport, Subscription } from './transport.ts';

/**
 * The embedded mode's transport: delivery is a function call into each subscribing service, and
 * publish fails if any subscriber failed, so the outbox row stays unsent and is delivered again
 * (at-least-once, like Kafka; the subscribers' inboxes drop what they already processed).
 * Events go through a JSON round trip so no subscriber can share an object with the publisher.
 */
export function inProcessTransport(): EventTransport {
  const subscriptions: Subscription[] = [];
  return {
    name: 'in-process',
    subscribe: (s) => void subscriptions.push(s),
    async start() {},
    async stop() {},
    async publish(events) {
      for (const event of events) {
        const failures: unknown[] = [];
        for (const s of subscriptions) {
          if (!s.eventTypes.includes(event.eventType)) continue;
          try {
            await s.handle(parseStreetEvent(JSON.parse(JSON.stringify(event)) as StreetEvent));
          } catch (error) {
            failures.push(error);
          }
        }
        if (failures.length > 0)
          throw new AggregateError(failures, `${event.eventType} not processed by every subscriber`);
      }
    },
  };
}
