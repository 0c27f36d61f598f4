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
  halResource,
  mayAccess,
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
  const notFound = (id: number) => `order ${id} does not exist`;
  const orders = halResource(app, {
    path: PATH,
    collectionRel: 'orders',
    itemRel: 'order',
    toBody: toOrderBody,
    sortable: SORTABLE_ORDER_FIELDS,
    list: deps.queries.listOrders,
    byId: deps.queries.orderById,
    notFound,
    search: { name: 'findByUserId', param: 'userId', schema: Fields.userId, find: deps.queries.ordersForUser },
    ownedBy: { ownerOf: (o) => o.details.userId, itemsOf: deps.queries.ordersForUser },
  });
  const requireOwnOrder = async (caller: Caller, id: number) => {
    if (caller.kind !== 'customer') return;
    const order = await deps.queries.orderById(id);
    if (!order || !mayAccess(caller, order.details.userId)) throw new HttpProblem(404, 'Not Found', notFound(id));
  };

  app.post(PATH, { schema: { body: PlaceOrderRequest } }, async (request, reply) => {
    requireActingFor(callerOf(request), request.body.userId);
    const order = await deps.placeOrder(request.body, traceOf(request));
    const body = orders.represent(request, order);
    return reply.status(201).header('location', body._links.self?.href).send(body);
  });

  app.post(
    `${PATH}/:id/cancel`,
    { schema: { params: IdParams, body: OptionalCancelOrderRequest } },
    async (request) => {
      await requireOwnOrder(callerOf(request), request.params.id);
      const order = await deps.cancelOrder(request.params.id, request.body?.reason, traceOf(request));
      return orders.represent(request, order);
    },
  );

  app.patch(`${PATH}/:id`, { schema: { params: IdParams, body: PatchOrderRequest } }, async (request) => {
    await requireOwnOrder(callerOf(request), request.params.id);
    requireCancellationPatch(request.body);
    const order = await deps.cancelOrder(request.params.id, undefined, traceOf(request));
    return orders.represent(request, order);
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
