import { parseStreetEvent, type StreetEvent } from '@12street/contracts';
import { type DeliveryContext, type EventContext, traceparentOf } from '@12street/platform';
import type { Message, MessageToProduce } from '@platformatic/kafka';
import { topicFor } from './topics.ts';

export type WireMessage = MessageToProduce<string, string, string, string>;
export type Incoming = Message<string, string, string, string>;

/**
 * One event as a Kafka record: keyed by order so one order's events share a partition (and so their
 * order), the whole envelope as JSON, and the routing facts as headers for tools that do not parse
 * it, with the W3C traceparent when the event has one.
 */
export function toWireMessage(event: StreetEvent, topicPrefix?: string, context?: EventContext): WireMessage {
  const traceparent = traceparentOf(context?.traceparent);
  return {
    topic: topicFor(event.eventType, topicPrefix),
    key: String(event.orderId),
    value: JSON.stringify(event),
    headers: {
      eventType: event.eventType,
      eventId: event.eventId,
      schemaVersion: String(event.schemaVersion),
      ...(traceparent ? { traceparent } : {}),
    },
  };
}

/** The event a record carries; throws (InvalidEvent or SyntaxError) for a poison message. */
export function fromWireValue(value: string | undefined): StreetEvent {
  if (value === undefined) throw new SyntaxError('empty message value');
  return parseStreetEvent(JSON.parse(value));
}

/** Where a record sits, as dead letters name it. */
export const sourceOf = (record: Incoming) => `${record.topic}/${record.partition}/${record.offset}`;

/** What a handler learns about a record besides its event. */
export function deliveryContextOf(record: Incoming): DeliveryContext {
  const traceparent = traceparentOf(record.headers?.get('traceparent'));
  return { source: sourceOf(record), ...(traceparent ? { traceparent } : {}) };
}
