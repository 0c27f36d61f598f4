import {
  CancelOrderRequest,
  Fields,
  IdParams,
  type OrderBody,
  PatchOrderRequest,
  PlaceOrderRequest,
} from '@12street/contracts';
import {
  type Caller,
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
  requireActingFor,
  type TraceContext,
  traceparentOfRequest,
} from '@12street/platform';
import Type from 'typebox';
import type { OrderQueries } from '../../application/ports.ts';
import { type Order, type OrderDetails, requireCancellationPatch } from '../../domain/order.ts';
import { SORTABLE_ORDER_FIELDS } from '../persistence/orderStore.ts';

export type OrderRouteDeps = {
  placeOrder(details: OrderDetails, trace?: TraceContext): Promise<Order & { id: number }>;
  cancelOrder(id: number, reason?: string, trace?: TraceContext): Promise<Order & { id: number }>;
  queries: OrderQueries;
};

const PATH = '/orders';
const REL = 'orders';
const UserIdQuery = Type.Object({ userId: Fields.userId }, { additionalProperties: false });
/** The cancel body is optional: a bare POST cancels with the default reason. */
const OptionalCancelOrderRequest = Type.Union([CancelOrderRequest, Type.Null()]);

export function toOrderBody(o: Order): OrderBody {
  return {
    id: o.id ?? 0,
    ...o.details,
    orderStatus: o.orderStatus,
    createdAt: o.createdAt,
  };
}

/**
 * Customers see and cancel their own orders only: anyone else's is "not found", as if it did not
 * exist; ordering in another's name is forbidden. Ops and internal callers are not restricted.
 */
export function orderRoutes(app: HttpApp, deps: OrderRouteDeps) {
  const item = (base: string, o: Order) => halItem(base, PATH, 'order', o.id ?? 0, toOrderBody(o));
  const notFound = (id: number) => new HttpProblem(404, 'Not Found', `order ${id} does not exist`);
  const requireOwnOrder = async (caller: Caller, id: number) => {
    if (caller.kind !== 'customer') return;
    const order = await deps.queries.orderById(id);
    if (!order || !mayAccess(caller, order.details.userId)) throw notFound(id);
  };

  app.get(PATH, { schema: { querystring: PagingQuery } }, async (request) => {
    const paging = parsePaging(request.query, SORTABLE_ORDER_FIELDS);
    const owner = onlyUser(callerOf(request));
    const page =
      owner === undefined
        ? await deps.queries.listOrders(paging)
        : pageOfOwn(await deps.queries.ordersForUser(owner), paging, (o, field) => toOrderBody(o)[field as 'id']);
    const base = publicBaseUrl(request);
    return halCollection({
      base,
      path: PATH,
      rel: REL,
      items: page.items.map((o) => item(base, o)),
      paging,
      totalElements: page.totalElements,
      searchable: true,
    });
  });

  app.get(`${PATH}/:id`, { schema: { params: IdParams } }, async (request) => {
    const order = await deps.queries.orderById(request.params.id);
    if (!order || !mayAccess(callerOf(request), order.details.userId)) throw notFound(request.params.id);
    return item(publicBaseUrl(request), order);
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
    const orders = mayAccess(callerOf(request), userId) ? await deps.queries.ordersForUser(userId) : [];
    return {
      _embedded: { [REL]: orders.map((o) => item(base, o)) },
      _links: {
        self: { href: `${base}${PATH}/search/findByUserId?userId=${encodeURIComponent(userId)}` },
      },
    };
  });

  app.post(PATH, { schema: { body: PlaceOrderRequest } }, async (request, reply) => {
    requireActingFor(callerOf(request), request.body.userId);
    const order = await deps.placeOrder(request.body, traceOf(request));
    const body = item(publicBaseUrl(request), order);
    return reply.status(201).header('location', body._links.self?.href).send(body);
  });

  app.post(
    `${PATH}/:id/cancel`,
    { schema: { params: IdParams, body: OptionalCancelOrderRequest } },
    async (request) => {
      await requireOwnOrder(callerOf(request), request.params.id);
      const order = await deps.cancelOrder(request.params.id, request.body?.reason, traceOf(request));
      return item(publicBaseUrl(request), order);
    },
  );

  app.patch(`${PATH}/:id`, { schema: { params: IdParams, body: PatchOrderRequest } }, async (request) => {
    await requireOwnOrder(callerOf(request), request.params.id);
    requireCancellationPatch(request.body);
    const order = await deps.cancelOrder(request.params.id, undefined, traceOf(request));
    return item(publicBaseUrl(request), order);
  });
}

/**
 * The request's trace (its server span; with tracing off, the caller's traceparent as it came), so
 * the events this request writes continue it.
 */
function traceOf(request: object): TraceContext {
  const traceparent = traceparentOfRequest(request);
  return traceparent ? { traceparent } : {};
}
