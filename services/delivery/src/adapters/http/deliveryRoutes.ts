import { Fields, type StockDeliveryBody } from '@12street/contracts';
import { type HttpApp, halResource } from '@12street/platform';
import type { DeliveryQueries } from '../../application/ports.ts';
import type { Delivery } from '../../domain/delivery.ts';
import { SORTABLE_DELIVERY_FIELDS } from '../persistence/deliveryStore.ts';

export function toStockDeliveryBody(d: Delivery): StockDeliveryBody {
  const details = d.details;
  return {
    id: d.id ?? 0,
    orderId: d.orderId,
    productId: details?.productId ?? 0,
    productName: details?.productName ?? '',
    qty: details?.qty ?? 0,
    userId: d.userId,
    username: details?.username ?? '',
    address: details?.address ?? '',
    phoneNo: details?.phoneNo ?? '',
    deliveryStatus: d.deliveryStatus,
    ...d.coupon,
    createdAt: d.createdAt,
    updatedAt: d.updatedAt,
  };
}

/** Deliveries are read-only over HTTP: they change only through events and marketing's answers. */
export function deliveryRoutes(app: HttpApp, queries: DeliveryQueries) {
  halResource(app, {
    path: '/stockDeliveries',
    collectionRel: 'stockDeliveries',
    itemRel: 'stockDelivery',
    toBody: toStockDeliveryBody,
    sortable: SORTABLE_DELIVERY_FIELDS,
    list: queries.listDeliveries,
    byId: queries.deliveryById,
    notFound: (id) => `stock delivery ${id} does not exist`,
    search: { name: 'findByOrderId', param: 'orderId', schema: Fields.id, find: queries.deliveriesForOrder },
  });
}
