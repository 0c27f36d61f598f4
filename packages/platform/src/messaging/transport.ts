import type { StreetEvent, StreetEventType } from '@12street/contracts';

export type Subscription = {
  /** The consuming service (the Kafka consumer group). */
  consumer: string;
  eventTypes: readonly StreetEventType[];
  handle(event: StreetEvent): Promise<unknown>;
};

/**
 * How events leave a service's outbox and reach other services. publish resolves only once the
 * events are safely handed over (in-process: every subscriber processed them; Kafka: the broker
 * acknowledged them), so the relay marks a row sent only after that.
 */
export interface EventTransport {
  readonly name: string;
  publish(events: readonly StreetEvent[]): Promise<void>;
  subscribe(subscription: Subscription): void;
  start(): Promise<void>;
  stop(): Promise<void>;
}
