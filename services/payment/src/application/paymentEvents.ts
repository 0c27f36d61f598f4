import { envelope, type PaymentApproved, type PaymentCanceled } from '@12street/contracts';
import type { Clock, NewId } from '@12street/platform';
import type { Payment } from '../domain/payment.ts';

export type EventMeta = { clock: Clock; newId: NewId };

export function paymentApproved(payment: Payment & { id: number }, meta: EventMeta): PaymentApproved {
  const d = payment.details;
  if (!d || payment.amount === null) throw new Error('an approved payment has its details');
  return envelope(
    'PaymentApproved',
    payment.orderId,
    { paymentId: payment.id, amount: payment.amount, payStatus: payment.payStatus, ...d },
    { eventId: meta.newId(), occurredAt: meta.clock() },
  );
}

export function paymentCanceled(payment: Payment & { id: number }, meta: EventMeta): PaymentCanceled {
  return envelope(
    'PaymentCanceled',
    payment.orderId,
    {
      paymentId: payment.id,
      userId: payment.details?.userId ?? '',
      payStatus: payment.payStatus,
      reason: payment.reason ?? 'canceled',
    },
    { eventId: meta.newId(), occurredAt: meta.clock() },
  );
}
