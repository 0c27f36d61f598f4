import {
  ApprovePaymentRequest,
  IdParams,
  OrderIdQuery,
  type PaymentBody,
  VoidPaymentRequest,
} from '@12street/contracts';
import {
  type HttpApp,
  HttpProblem,
  halCollection,
  halItem,
  PagingQuery,
  parsePaging,
  publicBaseUrl,
} from '@12street/platform';
import type { PaymentQueries } from '../../application/ports.ts';
import type { Payment, PaymentDetails } from '../../domain/payment.ts';
import { SORTABLE_PAYMENT_FIELDS } from '../persistence/paymentStore.ts';

export type PaymentRouteDeps = {
  approvePayment(details: PaymentDetails): Promise<{ created: boolean; payment: Payment }>;
  voidPayment(orderId: number, reason: string): Promise<Payment>;
  queries: PaymentQueries;
};

const PATH = '/payments';
const REL = 'payments';

export function toPaymentBody(p: Payment): PaymentBody {
  const d = p.details;
  return {
    id: p.id ?? 0,
    orderId: p.orderId,
    productId: d?.productId ?? 0,
    productName: d?.productName ?? '',
    productPrice: d?.productPrice ?? 0,
    qty: d?.qty ?? 0,
    amount: p.amount ?? 0,
    userId: d?.userId ?? '',
    username: d?.username ?? '',
    address: d?.address ?? '',
    phoneNo: d?.phoneNo ?? '',
    payStatus: p.payStatus,
    createdAt: p.createdAt,
    updatedAt: p.updatedAt,
  };
}

export function paymentRoutes(app: HttpApp, deps: PaymentRouteDeps) {
  const item = (base: string, p: Payment) => halItem(base, PATH, 'payment', p.id ?? 0, toPaymentBody(p));

  app.get(PATH, { schema: { querystring: PagingQuery } }, async (request) => {
    const paging = parsePaging(request.query, SORTABLE_PAYMENT_FIELDS);
    const page = await deps.queries.listPayments(paging);
    const base = publicBaseUrl(request);
    return halCollection({
      base,
      path: PATH,
      rel: REL,
      items: page.items.map((p) => item(base, p)),
      paging,
      totalElements: page.totalElements,
      searchable: true,
    });
  });

  app.get(`${PATH}/:id`, { schema: { params: IdParams } }, async (request) => {
    const payment = await deps.queries.paymentById(request.params.id);
    if (!payment) throw new HttpProblem(404, 'Not Found', `payment ${request.params.id} does not exist`);
    return item(publicBaseUrl(request), payment);
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
    const payments = await deps.queries.paymentsForOrder(request.query.orderId);
    return {
      _embedded: { [REL]: payments.map((p) => item(base, p)) },
      _links: { self: { href: `${base}${PATH}/search/findByOrderId?orderId=${request.query.orderId}` } },
    };
  });

  app.post(PATH, { schema: { body: ApprovePaymentRequest } }, async (request, reply) => {
    const { created, payment } = await deps.approvePayment(request.body);
    const base = publicBaseUrl(request);
    const body = item(base, payment);
    if (created) reply.header('location', body._links.self?.href).status(201);
    return body;
  });

  app.post(`${PATH}/void`, { schema: { body: VoidPaymentRequest } }, async (request) => {
    const payment = await deps.voidPayment(request.body.orderId, request.body.reason);
    return { orderId: payment.orderId, payStatus: payment.payStatus };
  });
}
