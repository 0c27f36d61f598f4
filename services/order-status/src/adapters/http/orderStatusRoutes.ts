import { Fields, type OrderStatusBody } from '@12street/contracts';
import {
  callerOf,
  type HttpApp,
  HttpProblem,
  halCollection,
  halItem,
  mayAccess,
  onlyUser,
  PagingQuery,
  pageOfOwn,
  parsePaging,
  publicBaseUrl,
} from '@12street/platform';
import Type from 'typebox';
import type { OrderStatusQueries, StoredOrderStatus } from '../../application/ports.ts';
import { SORTABLE_ORDER_STATUS_FIELDS } from '../persistence/orderStatusStore.ts';

const PATH = '/orderStatus';
const REL = 'orderStatuses';

const OrderIdParams = Type.Object({ orderId: Fields.id }, { additionalProperties: false });
const UserIdQuery = Type.Object({ userId: Fields.userId }, { additionalProperties: false });

/** The view has no id of its own: it is the order's view, so its id is the orderId. */
export const toOrderStatusBody = (v: StoredOrderStatus): OrderStatusBody => ({ id: v.orderId, ...v });

/** Customers see the status of their own orders only; anyone else's is "not found". */
export function orderStatusRoutes(app: HttpApp, deps: { queries: OrderStatusQueries }) {
  const item = (base: string, v: StoredOrderStatus) =>
    halItem(base, PATH, 'orderStatus', v.orderId, toOrderStatusBody(v));

  app.get(PATH, { schema: { querystring: PagingQuery } }, async (request) => {
    const paging = parsePaging(request.query, SORTABLE_ORDER_STATUS_FIELDS, 'orderId');
    const owner = onlyUser(callerOf(request));
    const page =
      owner === undefined
        ? await deps.queries.listOrderStatuses(paging)
        : pageOfOwn(await deps.queries.orderStatusesOfUser(owner), paging, (v, field) => v[field as 'orderId']);
    const base = publicBaseUrl(request);
    return halCollection({
      base,
      path: PATH,
      rel: REL,
      items: page.items.map((v) => item(base, v)),
      paging,
      totalElements: page.totalElements,
      searchable: true,
    });
  });

  app.get(`${PATH}/:orderId`, { schema: { params: OrderIdParams } }, async (request) => {
    const view = await deps.queries.orderStatusOf(request.params.orderId);
    if (!view || !mayAccess(callerOf(request), view.userId))
      throw new HttpProblem(404, 'Not Found', `no status is known for order ${request.params.orderId}`);
    return item(publicBaseUrl(request), view);
  });

  app.get(`${PATH}/search`, async (request) => {
    const base = publicBaseUrl(request);
    return {
      _links: {
        findByUserId: { href: `${base}${PATH}/search/findByUserId{?userId}`, templated: true },
        self: { href: `${base}${PATH}/search` },
      },
    };
  });

  app.get(`${PATH}/search/findByUserId`, { schema: { querystring: UserIdQuery } }, async (request) => {
    const base = publicBaseUrl(request);
    const { userId } = request.query;
    const views = mayAccess(callerOf(request), userId) ? await deps.queries.orderStatusesOfUser(userId) : [];
    return {
      _embedded: { [REL]: views.map((v) => item(base, v)) },
      _links: {
        self: { href: `${base}${PATH}/search/findByUserId?userId=${encodeURIComponent(userId)}` },
      },
    };
  });
}
