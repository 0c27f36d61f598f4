import { envelope, type OrderCanceled, type OrderPlaced } from '@12street/contracts';
import type { Clock, NewId } from '@12street/platform';
import type { Order } from '../domain/order.ts';

export type EventMeta = { clock: Clock; newId: NewId };

export function orderPlaced(order: Order & { id: number }, meta: EventMeta): OrderPlaced {
  return envelope(
    'OrderPlaced',
    order.id,
    { ...order.details, orderStatus: order.orderStatus },
    { eventId: meta.newId(), occurredAt: meta.clock() },
  );
}

export function orderCanceled(order: Order & { id: number }, meta: EventMeta): OrderCanceled {
  return envelope(
    'OrderCanceled',
    order.id,
    { userId: order.details.userId, orderStatus: order.orderStatus, reason: order.reason ?? '' },
    { eventId: meta.newId(), occurredAt: meta.clock() },
  );
}
