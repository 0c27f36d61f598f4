import type { StreetEvent, StreetEventType } from '@12street/contracts';

/** What travels beside an event without being part of it. */
export type EventContext = {
  /** The W3C traceparent of the work that recorded the event. */
  traceparent?: string;
};

/** What the transport knows about one delivery of an event. */
export type DeliveryContext = EventContext & {
  /** Where it came from: `topic/partition/offset` on Kafka, 'in-process' otherwise. */
  source: string;
};

/** An event a subscription gave up on, as the transport hands it over to be kept. */
export type NewDeadLetter = {
  /** The policy that failed; UNREADABLE for a message no policy could even read. */
  consumer: string;
  eventId: string;
  eventType: string;
  orderId: number | null;
  /** The envelope as JSON, or the raw text of an unreadable message. */
  envelope: string;
  error: string;
  attempts: number;
  source: string;
};

/** The dead letters' consumer for a message that is not an event at all (a poison message). */
export const UNREADABLE = '(unreadable)';

export type Subscription = {
  /** The consuming service (the Kafka consumer group). */
  consumer: string;
  eventTypes: readonly StreetEventType[];
  handle(event: StreetEvent, delivery?: DeliveryContext): Promise<unknown>;
  /**
   * After maxAttempts failed attempts at one event, the transport parks it here (and on its
   * dead-letter topic, if it has one) and counts it as handled by this subscription, so the events
   * behind it move on. Parking that fails is retried like the event. Without it, a failing event
   * is tried again until it succeeds.
   */
  deadLetters?: { policy: string; maxAttempts: number; park(letter: NewDeadLetter): Promise<void> };
};

/**
 * How events leave a service's outbox and reach other services. publish resolves only once the
 * events are safely handed over (in-process: every subscriber processed or parked them; Kafka: the
 * broker acknowledged them), so the relay marks a row sent only after that.
 */
export interface EventTransport {
  readonly name: string;
  /** contexts: by event id, what travels beside each event (its trace). */
  publish(events: readonly StreetEvent[], contexts?: ReadonlyMap<string, EventContext>): Promise<void>;
  subscribe(subscription: Subscription): void;
  start(): Promise<void>;
  stop(): Promise<void>;
}

export const errorText = (error: unknown): string =>
  (error instanceof Error ? `${error.name}: ${error.message}` : String(error)).slice(0, 2000);
