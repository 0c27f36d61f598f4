import type { StreetEvent, StreetEventType } from '@12street/contracts';

/** The saga's steps, each from the event that begins it to the event that ends it. */
export const SAGA_STEPS = [
  { step: 'coupon', from: 'PaymentApproved', to: 'CouponPublished' },
  { step: 'delivery', from: 'PaymentApproved', to: 'DeliveryStarted' },
  { step: 'order-to-delivery', from: 'OrderPlaced', to: 'DeliveryStarted' },
  { step: 'payment-cancellation', from: 'OrderCanceled', to: 'PaymentCanceled' },
  { step: 'compensation', from: 'OrderCanceled', to: 'DeliveryCanceled' },
] as const satisfies readonly { step: string; from: StreetEventType; to: StreetEventType }[];

export type SagaStep = (typeof SAGA_STEPS)[number]['step'];
export type EndedStep = { step: SagaStep; seconds: number };

/**
 * The steps this event completes among the order's events: it may be a step's end, or its
 * beginning arriving after the end (events can arrive out of order). Times are the events'
 * occurredAt, so a step is measured as the services saw it, not as this read model learned of it.
 */
export function stepsCompletedBy(event: StreetEvent, eventsOfOrder: readonly StreetEvent[]): EndedStep[] {
  const first = (type: StreetEventType) =>
    eventsOfOrder.find((e) => e.eventType === type && e.eventId !== event.eventId);
  const ended: EndedStep[] = [];
  for (const { step, from, to } of SAGA_STEPS) {
    const other = event.eventType === to ? first(from) : event.eventType === from ? first(to) : undefined;
    if (!other) continue;
    const [begin, end] = event.eventType === to ? [other, event] : [event, other];
    const seconds = (Date.parse(end.occurredAt) - Date.parse(begin.occurredAt)) / 1000;
    ended.push({ step, seconds: Math.max(0, seconds) });
  }
  return ended;
}
