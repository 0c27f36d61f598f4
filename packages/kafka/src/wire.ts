import { parseStreetEvent, type StreetEvent } from '@12street/contracts';
import type { MessageToProduce } from '@platformatic/kafka';
import { topicFor } from './topics.ts';

export type WireMessage = MessageToProduce<string, string, string, string>;

/**
 * One event as a Kafka record: keyed by order so one order's events share a partition (and so their
 * order), the whole envelope as JSON, and the routing facts as headers for tools that do not parse it.
 */
export function toWireMessage(event: StreetEvent, topicPrefix?: string): WireMessage {
  return {
    topic: topicFor(event.eventType, topicPrefix),
    key: String(event.orderId),
    value: JSON.stringify(event),
    headers: {
      eventType: event.eventType,
      eventId: event.eventId,
      schemaVersion: String(event.schemaVersion),
    },
  };
}

/** The event a record carries; throws (InvalidEvent or SyntaxError) for a poison message. */
export function fromWireValue(value: string | undefined): StreetEvent {
  if (value === undefined) throw new SyntaxError('empty message value');
  return parseStreetEvent(JSON.parse(value));
}
