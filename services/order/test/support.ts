import { join } from 'node:path';
import { STREET_EVENT_TYPES, type StreetEvent, type StreetEventType } from '@12street/contracts';
import { createPaymentService, type PaymentServiceOptions } from '@12street/payment';
import {
  type BreakerSettings,
  type Clock,
  inProcessTransport,
  installFaultSwitch,
  openSqlite,
} from '@12street/platform';
import { eventually, sampleOrder, tempDir, testLogger } from '@12street/testkit';
import type { Kysely } from 'kysely';
import type { OrderDatabase } from '../src/adapters/persistence/orderStore.ts';
import { createOrderService } from '../src/compose.ts';

export const SMALL_BREAKER: BreakerSettings = {
  timeoutMs: 200,
  failureRatio: 0.5,
  windowSize: 4,
  minimumCalls: 2,
  halfOpenAfterMs: 200,
};

type PaymentDatabase = PaymentServiceOptions['db'] extends Kysely<infer DB> ? DB : never;
type Json = Record<string, unknown>;
type TestContext = { after(fn: () => Promise<void> | void): void };

/** Order with the real payment service on a real port, both on SQLite files, sharing one transport. */
export async function orderWithPayment(
  t: TestContext,
  options: { breaker?: BreakerSettings; stalePendingMs?: number; clock?: Clock } = {},
) {
  const dir = tempDir(t);
  const transport = inProcessTransport();
  const published: StreetEvent[] = [];
  transport.subscribe({ consumer: 'spy', eventTypes: STREET_EVENT_TYPES, handle: async (e) => void published.push(e) });

  const paymentDb = openSqlite<PaymentDatabase>(join(dir, 'payment.db'));
  const payment = createPaymentService({ db: paymentDb, dialect: 'sqlite', transport, logger: testLogger() });
  /** Approval requests that reached payment, whatever became of them. */
  const approvalsAsked: number[] = [];
  const voidsAsked: number[] = [];
  const lookupsAsked: number[] = [];
  payment.app.addHook('onRequest', async (request) => {
    const { method, url } = request;
    if (method === 'POST' && url === '/payments') approvalsAsked.push(Date.now());
    if (method === 'POST' && url === '/payments/void') voidsAsked.push(Date.now());
    const lookup = /^\/payments\/search\/findByOrderId\?orderId=(\d+)$/.exec(url);
    if (method === 'GET' && lookup && !request.headers['user-agent']?.includes('lightMyRequest'))
      lookupsAsked.push(Number(lookup[1]));
  });
  const paymentFaults = installFaultSwitch(payment.app);
  /**
   * Payment slow at its work rather than at the door: unlike the fault switch's "slow", the request
   * is already read, so payment still carries it out after order stopped waiting.
   */
  const paymentLag = { ms: 0 };
  /** The orders whose void payment received (and carried out). */
  const voidedOrders: number[] = [];
  payment.app.addHook('preHandler', async (request) => {
    if (request.url === '/payments/void') voidedOrders.push((request.body as { orderId: number }).orderId);
    if (paymentLag.ms > 0 && request.method === 'POST') await new Promise((r) => setTimeout(r, paymentLag.ms));
  });
  await payment.start();
  const paymentUrl = await payment.app.listen({ port: 0, host: '127.0.0.1' });

  const db = openSqlite<OrderDatabase>(join(dir, 'order.db'));
  const order = createOrderService({
    db,
    dialect: 'sqlite',
    transport,
    logger: testLogger(),
    paymentUrl,
    breaker: options.breaker ?? SMALL_BREAKER,
    settleIntervalMs: 50,
    ...(options.stalePendingMs === undefined ? {} : { stalePendingMs: options.stalePendingMs }),
    ...(options.clock ? { clock: options.clock } : {}),
  });
  await order.start();
  t.after(async () => {
    await order.stop();
    // A connection order's HTTP client opened but never used is not idle to payment's server, which
    // would wait for the client to drop it (4 s); a test need not.
    const paymentStopped = payment.stop();
    payment.app.server.closeAllConnections();
    await paymentStopped;
    await db.destroy();
    await paymentDb.destroy();
  });

  const place = (overrides: Json = {}) =>
    order.app.inject({ method: 'POST', url: '/orders', payload: sampleOrder(overrides) });
  /** What payment's REST resource shows for an order (voided placeholders are not payments). */
  const paymentsFor = async (orderId: number): Promise<Json[]> =>
    (await payment.app.inject({ url: `/payments/search/findByOrderId?orderId=${orderId}` })).json()._embedded.payments;
  /** The stored order, pending and rejected ones included. */
  const orderRow = (id: number) => db.selectFrom('orders').selectAll().where('id', '=', id).executeTakeFirst();
  const outbox = async (type: StreetEventType) =>
    (await db.selectFrom('outbox').selectAll().where('event_type', '=', type).execute()).map(
      (r) => JSON.parse(r.envelope) as StreetEvent,
    );
  const eventsOf = (type: StreetEventType, orderId: number) =>
    published.filter((e) => e.eventType === type && e.orderId === orderId);
  const listed = async () => (await order.app.inject({ url: '/orders' })).json();
  const settled = (id: number) =>
    eventually(
      async () => {
        const row = await orderRow(id);
        return row?.order_status === 'Rejected' && Number(row.payment_settled) === 1 && row;
      },
      { what: `order ${id} rejected and settled` },
    );
  const drained = () =>
    eventually(
      async () => (await order.kernel.outboxBacklog()).unsent + (await payment.kernel.outboxBacklog()).unsent === 0,
      { what: 'outboxes drained' },
    );

  return {
    order,
    payment,
    db,
    paymentFaults,
    paymentLag,
    approvalsAsked,
    voidsAsked,
    lookupsAsked,
    voidedOrders,
    published,
    place,
    paymentsFor,
    orderRow,
    outbox,
    eventsOf,
    listed,
    settled,
    drained,
  };
}

export const PROBLEM_JSON = 'application/problem+json; charset=utf-8';
