import { type DeliveryCanceled, type DeliveryStarted, envelope } from '@12street/contracts';
import type { Clock, NewId } from '@12street/platform';
import type { Delivery } from '../domain/delivery.ts';

export type EventMeta = { clock: Clock; newId: NewId };

export function deliveryStarted(delivery: Delivery & { id: number }, meta: EventMeta): DeliveryStarted {
  return envelope(
    'DeliveryStarted',
    delivery.orderId,
    {
      deliveryId: delivery.id,
      userId: delivery.userId,
      address: delivery.details?.address ?? '',
      deliveryStatus: delivery.deliveryStatus,
      ...delivery.coupon,
    },
    { eventId: meta.newId(), occurredAt: meta.clock() },
  );
}

export function deliveryCanceled(delivery: Delivery & { id: number }, meta: EventMeta): DeliveryCanceled {
  return envelope(
    'DeliveryCanceled',
    delivery.orderId,
    { deliveryId: delivery.id, userId: delivery.userId, deliveryStatus: delivery.deliveryStatus },
    { eventId: meta.newId(), occurredAt: meta.clock() },
  );
}
