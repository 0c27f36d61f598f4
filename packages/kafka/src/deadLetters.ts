import { STREET_EVENT_TYPES, type StreetEvent } from '@12street/contracts';
import { errorText, type NewDeadLetter, UNREADABLE } from '@12street/platform';
import { type Incoming, sourceOf, type WireMessage } from './wire.ts';

/** The dead letter of an event a policy kept failing. */
export function eventLetter(
  record: Incoming,
  event: StreetEvent,
  policy: string,
  error: unknown,
  attempts: number,
): NewDeadLetter {
  return {
    consumer: policy,
    eventId: event.eventId,
    eventType: event.eventType,
    orderId: event.orderId,
    envelope: record.value ?? JSON.stringify(event),
    error: errorText(error),
    attempts,
    source: sourceOf(record),
  };
}

/** The dead letter of a record that is not an event at all: kept as raw text, named by its headers if it has any. */
export function unreadableLetter(record: Incoming, error: unknown): NewDeadLetter {
  const header = (name: string) => record.headers?.get(name);
  const eventType = header('eventType');
  const orderId = Number(record.key);
  return {
    consumer: UNREADABLE,
    eventId: header('eventId') ?? sourceOf(record),
    eventType: STREET_EVENT_TYPES.some((type) => type === eventType) ? (eventType as string) : 'unknown',
    orderId: Number.isSafeInteger(orderId) && orderId > 0 ? orderId : null,
    envelope: record.value ?? '',
    error: errorText(error),
    attempts: 1,
    source: sourceOf(record),
  };
}

/** The record again, on the service's dead-letter topic, with why and where it came from in its headers. */
export function deadLetterMessage(record: Incoming, letter: NewDeadLetter, topic: string): WireMessage {
  const traceparent = record.headers?.get('traceparent');
  return {
    topic,
    key: record.key ?? '',
    value: record.value ?? '',
    headers: {
      consumer: letter.consumer,
      error: letter.error.slice(0, 1000),
      attempts: String(letter.attempts),
      'original-topic': record.topic,
      'original-partition': String(record.partition),
      'original-offset': String(record.offset),
      eventType: letter.eventType,
      eventId: letter.eventId,
      ...(traceparent ? { traceparent } : {}),
    },
  };
}
