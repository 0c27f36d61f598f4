import { IdParams, OrderIdQuery, type StockDeliveryBody } from '@12street/contracts';
import {
  type HttpApp,
  HttpProblem,
  halCollection,
  halItem,
  PagingQuery,
  parsePaging,
  publicBaseUrl,
} from '@12street/platform';
import type { DeliveryQueries } from '../../application/ports.ts';
import type { Delivery } from '../../domain/delivery.ts';
import { SORTABLE_DELIVERY_FIELDS } from '../persistence/deliveryStore.ts';

const PATH = '/stockDeliveries';
const REL = 'stockDeliveries';

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
  const item = (base: string, d: Delivery) => halItem(base, PATH, 'stockDelivery', d.id ?? 0, toStockDeliveryBody(d));

  app.get(PATH, { schema: { querystring: PagingQuery } }, async (request) => {
    const paging = parsePaging(request.query, SORTABLE_DELIVERY_FIELDS);
    const page = await queries.listDeliveries(paging);
    const base = publicBaseUrl(request);
    return halCollection({
      base,
      path: PATH,
      rel: REL,
      items: page.items.map((d) => item(base, d)),
      paging,
      totalElements: page.totalElements,
      searchable: true,
    });
  });

  app.get(`${PATH}/:id`, { schema: { params: IdParams } }, async (request) => {
    const delivery = await queries.deliveryById(request.params.id);
    if (!delivery) throw new HttpProblem(404, 'Not Found', `stock delivery ${request.params.id} does not exist`);
    return item(publicBaseUrl(request), delivery);
  });

  app.get(`${PATH}/search`, async (request) => {
    const base = publicBaseUrl(request);
    return {
      _links: {
        findByOrderId: { href: `${base}${PATH}/search/findByOrderId{?orderId}`, templated: true },
        self: { href: `${base}${PATH}/search` },
      },
    };
  });

  app.get(`${PATH}/search/findByOrderId`, { schema: { querystring: OrderIdQuery } }, async (request) => {
    const base = publicBaseUrl(request);
    const deliveries = await queries.deliveriesForOrder(request.query.orderId);
    return {
      _embedded: { [REL]: deliveries.map((d) => item(base, d)) },
      _links: { self: { href: `${base}${PATH}/search/findByOrderId?orderId=${request.query.orderId}` } },
    };
  });
}
