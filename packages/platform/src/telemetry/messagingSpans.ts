import type { StreetEvent } from '@12street/contracts';
import { type Context, SpanKind } from '@opentelemetry/api';
import type { DeliveryContext } from '../messaging/transport.ts';
import { continuing, inSpan, ORDER_ID_ATTRIBUTE, recordFailure, type ServiceSpan, startServiceSpan } from './spans.ts';

// The messaging conventions are still incubating in OpenTelemetry, so their names are spelled here.
const MESSAGING = {
  system: 'messaging.system',
  operationType: 'messaging.operation.type',
  operationName: 'messaging.operation.name',
  destination: 'messaging.destination.name',
  messageId: 'messaging.message.id',
  consumerGroup: 'messaging.consumer.group.name',
} as const;
export const POLICY_ATTRIBUTE = '12street.policy';
export const INBOX_OUTCOME_ATTRIBUTE = '12street.inbox_outcome';

const eventAttributes = (event: StreetEvent, system: string) => ({
  [MESSAGING.system]: system,
  [MESSAGING.destination]: event.eventType,
  [MESSAGING.messageId]: event.eventId,
  [ORDER_ID_ATTRIBUTE]: event.orderId,
});

/** A policy handling one event, as a consumer span under parent (the trace the event came with). */
export function consumerSpan(
  service: string,
  event: StreetEvent,
  handling: { policy: string; system: string; source?: string },
  parent: Context,
): ServiceSpan {
  return startServiceSpan(
    service,
    `process ${event.eventType}`,
    {
      kind: SpanKind.CONSUMER,
      attributes: {
        ...eventAttributes(event, handling.system),
        [MESSAGING.operationType]: 'process',
        [MESSAGING.operationName]: 'process',
        [MESSAGING.consumerGroup]: service,
        [POLICY_ATTRIBUTE]: handling.policy,
        ...(handling.source ? { '12street.delivery_source': handling.source } : {}),
      },
    },
    parent,
  );
}

/** A subscription's handler that runs each delivery as a consumer span continuing the event's trace. */
export function inConsumerSpans(
  service: string,
  handling: { policy: string; system: string },
  handle: (event: StreetEvent) => Promise<unknown>,
) {
  return (event: StreetEvent, delivery?: DeliveryContext) =>
    inSpan(
      consumerSpan(service, event, { ...handling, source: delivery?.source }, continuing(delivery?.traceparent)),
      () => handle(event),
    );
}

/** An event handed to the transport, as a producer span continuing the trace it was recorded in. */
export function producerSpan(
  service: string | undefined,
  event: StreetEvent,
  system: string,
  traceparent: string | undefined,
): ServiceSpan {
  return startServiceSpan(
    service,
    `send ${event.eventType}`,
    {
      kind: SpanKind.PRODUCER,
      attributes: {
        ...eventAttributes(event, system),
        [MESSAGING.operationType]: 'send',
        [MESSAGING.operationName]: 'send',
      },
    },
    continuing(traceparent),
  );
}

/** Ends spans that stood for one attempt, failed if it did. */
export function endSpans(spans: readonly ServiceSpan[], error?: unknown): void {
  for (const { span } of spans) {
    if (error !== undefined) recordFailure(span, error);
    span.end();
  }
}
