import { ApprovePaymentRequest, Fields, type PaymentBody, VoidPaymentRequest } from '@12street/contracts';
import { type HttpApp, halResource } from '@12street/platform';
import type { PaymentQueries } from '../../application/ports.ts';
import type { Payment, PaymentDetails } from '../../domain/payment.ts';
import { SORTABLE_PAYMENT_FIELDS } from '../persistence/paymentStore.ts';

export type PaymentRouteDeps = {
  approvePayment(details: PaymentDetails): Promise<{ created: boolean; payment: Payment }>;
  voidPayment(orderId: number, reason: string): Promise<Payment>;
  queries: PaymentQueries;
};

const PATH = '/payments';

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
  const payments = halResource(app, {
    path: PATH,
    collectionRel: 'payments',
    itemRel: 'payment',
    toBody: toPaymentBody,
    sortable: SORTABLE_PAYMENT_FIELDS,
    list: deps.queries.listPayments,
    byId: deps.queries.paymentById,
    notFound: (id) => `payment ${id} does not exist`,
    search: { name: 'findByOrderId', param: 'orderId', schema: Fields.id, find: deps.queries.paymentsForOrder },
  });

  app.post(PATH, { schema: { body: ApprovePaymentRequest } }, async (request, reply) => {
    const { created, payment } = await deps.approvePayment(request.body);
    const body = payments.represent(request, payment);
    if (created) reply.header('location', body._links.self?.href).status(201);
    return body;
  });

  app.post(`${PATH}/void`, { schema: { body: VoidPaymentRequest } }, async (request) => {
    const payment = await deps.voidPayment(request.body.orderId, request.body.reason);
    return { orderId: payment.orderId, payStatus: payment.payStatus };
  });
}
