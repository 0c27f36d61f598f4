import { Fields, type OrderStatusBody } from '@12street/contracts';
import { type HttpApp, halResource } from '@12street/platform';
import type { OrderStatusQueries, StoredOrderStatus } from '../../application/ports.ts';
import { SORTABLE_ORDER_STATUS_FIELDS } from '../persistence/orderStatusStore.ts';

/** The view has no id of its own: it is the order's view, so its id is the orderId. */
export const toOrderStatusBody = (v: StoredOrderStatus): OrderStatusBody => ({ id: v.orderId, ...v });

/** Customers see the status of their own orders only; anyone else's is "not found". */
export function orderStatusRoutes(app: HttpApp, deps: { queries: OrderStatusQueries }) {
  halResource(app, {
    path: '/orderStatus',
    collectionRel: 'orderStatuses',
    itemRel: 'orderStatus',
    toBody: toOrderStatusBody,
    sortable: SORTABLE_ORDER_STATUS_FIELDS,
    defaultSort: 'orderId',
    list: deps.queries.listOrderStatuses,
    idParam: 'orderId',
    byId: deps.queries.orderStatusOf,
    notFound: (orderId) => `no status is known for order ${orderId}`,
    search: {
      name: 'findByUserId',
      param: 'userId',
      schema: Fields.userId,
      find: deps.queries.orderStatusesOfUser,
    },
    ownedBy: { ownerOf: (v) => v.userId, itemsOf: deps.queries.orderStatusesOfUser },
  });
}
