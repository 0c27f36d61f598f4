import { publicPaths } from './authPaths.ts';
import { json, parameterRef, type ResourceName, responseRef, schemaRef, upstreamFailures } from './components.ts';

// Every operation the gateway routes, with the answers each can give. The gateway itself adds
// 401/403 (token and roles), 429 (rate limit), 413 (body size) and 502/503/504 when the service
// behind a path is down or too slow.

type Operation = Record<string, unknown>;

const guarded = {
  '401': responseRef('Unauthorized'),
  '403': responseRef('Forbidden'),
  '429': responseRef('TooManyRequests'),
};

const withBody = { '413': responseRef('PayloadTooLarge'), '415': responseRef('UnsupportedMediaType') };

function operation(
  tag: string,
  summary: string,
  answers: Record<string, unknown>,
  extra: { parameters?: unknown[]; requestBody?: string } = {},
): Operation {
  return {
    tags: [tag],
    summary,
    ...(extra.parameters ? { parameters: extra.parameters } : {}),
    ...(extra.requestBody
      ? {
          requestBody: {
            required: true,
            content: { 'application/json': { schema: schemaRef(extra.requestBody) } },
          },
        }
      : {}),
    responses: { ...answers, ...guarded, ...(extra.requestBody ? withBody : {}), ...upstreamFailures },
  };
}

const paging = [parameterRef('page'), parameterRef('size'), parameterRef('sort')];

/** The reads every resource offers: a HAL page, one item, and finders. */
function reads(tag: string, name: ResourceName, idParameter = 'id') {
  return {
    list: operation(
      tag,
      `List ${tag}, a page at a time`,
      { '200': json('A HAL page', `${name}Page`), '400': responseRef('BadRequest') },
      {
        parameters: paging,
      },
    ),
    one: operation(
      tag,
      `Read one of ${tag}`,
      {
        '200': json('The resource', `${name}Resource`),
        '400': responseRef('BadRequest'),
        '404': responseRef('NotFound'),
      },
      { parameters: [parameterRef(idParameter)] },
    ),
    find: (by: string, parameter: string) =>
      operation(
        tag,
        `Find ${tag} by ${by}`,
        { '200': json('The matches', `${name}List`), '400': responseRef('BadRequest') },
        { parameters: [parameterRef(parameter)] },
      ),
  };
}

export function apiPaths(): Record<string, Record<string, Operation>> {
  const orders = reads('orders', 'Order');
  const payments = reads('payments', 'Payment');
  const deliveries = reads('stockDeliveries', 'StockDelivery');
  const promotes = reads('promotes', 'Promote');
  const statuses = reads('orderStatus', 'OrderStatus', 'orderIdPath');
  const bad = { '400': responseRef('BadRequest') };
  const missing = { '404': responseRef('NotFound') };
  const conflict = { '409': responseRef('Conflict') };

  return {
    '/orders': {
      get: orders.list,
      post: operation(
        'orders',
        'Place an order; it is paid synchronously',
        { '201': json('The order was placed and paid', 'OrderResource'), ...bad, ...conflict },
        { requestBody: 'PlaceOrderRequest' },
      ),
    },
    '/orders/{id}': {
      get: orders.one,
      patch: operation(
        'orders',
        'Cancel an order the original way: orderStatus "Order Canceled"',
        { '200': json('The cancelled order', 'OrderResource'), ...bad, ...missing, ...conflict },
        { parameters: [parameterRef('id')], requestBody: 'PatchOrderRequest' },
      ),
    },
    '/orders/{id}/cancel': {
      post: operation(
        'orders',
        'Cancel an order',
        { '200': json('The cancelled order', 'OrderResource'), ...bad, ...missing, ...conflict },
        { parameters: [parameterRef('id')], requestBody: 'CancelOrderRequest' },
      ),
    },
    '/orders/search/findByUserId': { get: orders.find('userId', 'userIdQuery') },

    '/payments': {
      get: payments.list,
      post: operation(
        'payments',
        "Approve an order's payment (once per order)",
        {
          '201': json('The payment was approved', 'PaymentResource'),
          '200': json('The payment had been approved already', 'PaymentResource'),
          ...bad,
          ...conflict,
        },
        { requestBody: 'ApprovePaymentRequest' },
      ),
    },
    '/payments/{id}': { get: payments.one },
    '/payments/void': {
      post: operation(
        'payments',
        "Void an order's payment: cancel it, or bar it from being approved later",
        { '200': json('What became of the payment', 'VoidPaymentResult'), ...bad },
        { requestBody: 'VoidPaymentRequest' },
      ),
    },
    '/payments/search/findByOrderId': { get: payments.find('orderId', 'orderIdQuery') },

    // Deliveries are started and cancelled by events only; the API reads them.
    '/stockDeliveries': { get: deliveries.list },
    '/stockDeliveries/{id}': { get: deliveries.one },
    '/stockDeliveries/search/findByOrderId': { get: deliveries.find('orderId', 'orderIdQuery') },

    '/promotes': {
      get: promotes.list,
      post: operation(
        'promotes',
        "Issue the order's coupon (once per order)",
        {
          '201': json('The coupon was issued', 'PromoteResource'),
          '200': json('The coupon had been issued already', 'PromoteResource'),
          ...bad,
          ...conflict,
        },
        { requestBody: 'IssueCouponRequest' },
      ),
    },
    '/promotes/cancellations': {
      post: operation(
        'promotes',
        "Cancel the order's coupon, or bar one not issued yet",
        { '200': json('What became of the coupon', 'CancelCouponResult'), ...bad },
        { requestBody: 'CancelCouponRequest' },
      ),
    },
    '/promotes/{id}': { get: promotes.one },
    '/promotes/search/findByOrderId': { get: promotes.find('orderId', 'orderIdQuery') },

    '/orderStatus': { get: statuses.list },
    '/orderStatus/{orderId}': { get: statuses.one },
    '/orderStatus/search/findByUserId': { get: statuses.find('userId', 'userIdQuery') },

    ...publicPaths(),
  };
}
