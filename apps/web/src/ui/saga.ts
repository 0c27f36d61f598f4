import type { TimelineEntry } from '../api/types.ts';

export type SagaStep = { eventType: string; label: string; service: string };

/** The saga's steps in the order they happen, and the steps that undo them. */
export const FORWARD_STEPS: readonly SagaStep[] = [
  { eventType: 'OrderPlaced', label: 'Order placed', service: 'order' },
  { eventType: 'PaymentApproved', label: 'Payment approved', service: 'payment' },
  { eventType: 'CouponPublished', label: 'Coupon issued', service: 'marketing' },
  { eventType: 'DeliveryStarted', label: 'Delivery started', service: 'delivery' },
];

export const COMPENSATION_STEPS: readonly SagaStep[] = [
  { eventType: 'OrderCanceled', label: 'Order canceled', service: 'order' },
  { eventType: 'PaymentCanceled', label: 'Payment canceled', service: 'payment' },
  { eventType: 'CouponCanceled', label: 'Coupon canceled', service: 'marketing' },
  { eventType: 'DeliveryCanceled', label: 'Delivery canceled', service: 'delivery' },
];

export const isCanceling = (status: string | null | undefined) => /cancel/i.test(status ?? '');

export const whenHappened = (timeline: readonly TimelineEntry[], eventType: string) =>
  timeline.find((e) => e.eventType === eventType)?.occurredAt;
