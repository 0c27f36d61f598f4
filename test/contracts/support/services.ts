import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { StreetEvent, StreetEventType } from '@12street/contracts';
import { createDeliveryService } from '@12street/delivery';
import { createMarketingService } from '@12street/marketing';
import { createOrderService } from '@12street/order';
import { createOrderStatusService } from '@12street/order-status';
import { createPaymentService } from '@12street/payment';
import {
  type BreakerSettings,
  type EventTransport,
  inProcessTransport,
  type MessagingTables,
  openSqlite,
  type StartableService,
} from '@12street/platform';
import { eventually, testLogger } from '@12street/testkit';
import type { Kysely } from 'kysely';

type TestContext = { after(fn: () => Promise<void> | void): void };

const QUICK_BREAKER: BreakerSettings = {
  timeoutMs: 1000,
  failureRatio: 0.5,
  windowSize: 4,
  minimumCalls: 2,
  halfOpenAfterMs: 200,
};

const teardowns = new WeakMap<TestContext, (() => unknown)[]>();

/**
 * Undoes the test's set-up in reverse when it ends: a service stops before the service it calls,
 * then its database closes, then its files go.
 */
function onTeardown(t: TestContext, step: () => unknown) {
  let steps = teardowns.get(t);
  if (!steps) {
    const created: (() => unknown)[] = [];
    teardowns.set(t, created);
    t.after(async () => {
      for (const undo of created.reverse()) await undo();
    });
    steps = created;
  }
  steps.push(step);
}

/** Every service's store holds an outbox and an inbox; that is all these tests read directly. */
export type Store = Kysely<MessagingTables>;

type Built<S> = { service: S; db: Store; transport: EventTransport };

/**
 * A service of the system on its own SQLite file and in-process transport, as embedded mode runs it.
 * Its database is typed as the outbox and inbox these tests read; the service gets it as its own.
 */
function build<S>(t: TestContext, name: string, create: (deps: { db: never; transport: EventTransport }) => S) {
  const dir = mkdtempSync(join(tmpdir(), `12street-contract-${name}-`));
  onTeardown(t, () => rmSync(dir, { recursive: true, force: true }));
  const db = openSqlite<MessagingTables>(join(dir, `${name}.db`));
  onTeardown(t, () => db.destroy());
  const transport = inProcessTransport();
  return { service: create({ db: db as never, transport }), db, transport } satisfies Built<S>;
}

const common = { dialect: 'sqlite' as const, logger: testLogger() };

/**
 * Started (migrations, relay, workers) and listening on a free port, stopped when the test ends.
 * `alter` changes the service before it starts: how a test builds a provider that broke its contract.
 */
async function serve<S extends StartableService>(t: TestContext, built: Built<S>, alter?: (service: S) => void) {
  alter?.(built.service);
  await built.service.start();
  const url = await built.service.app.listen({ port: 0, host: '127.0.0.1' });
  onTeardown(t, async () => {
    const stopped = built.service.stop();
    // Connections a client opened but left idle would hold the close up for seconds.
    built.service.app.server.closeAllConnections();
    await stopped;
  });
  return { ...built, url };
}

type Payment = ReturnType<typeof createPaymentService>;
export const startPayment = (t: TestContext, alter?: (service: Payment) => void) =>
  serve(
    t,
    build(t, 'payment', (deps) => createPaymentService({ ...common, ...deps })),
    alter,
  );

export const startMarketing = (t: TestContext) =>
  serve(
    t,
    build(t, 'marketing', (deps) => createMarketingService({ ...common, ...deps })),
  );

export async function startOrder(t: TestContext) {
  const payment = await startPayment(t);
  const order = await serve(
    t,
    build(t, 'order', (deps) =>
      createOrderService({ ...common, ...deps, paymentUrl: payment.url, breaker: QUICK_BREAKER }),
    ),
  );
  return { ...order, payment };
}

export async function startDelivery(t: TestContext) {
  const marketing = await startMarketing(t);
  const delivery = await serve(
    t,
    build(t, 'delivery', (deps) =>
      createDeliveryService({
        ...common,
        ...deps,
        marketingUrl: marketing.url,
        breaker: QUICK_BREAKER,
        couponIntervalMs: 20,
        couponBackoff: { baseMs: 20, maxMs: 100 },
      }),
    ),
  );
  return { ...delivery, marketing };
}

/**
 * A consuming service as its subscriptions see it: migrated, its policies subscribed to the
 * transport, but no relay, worker or listener, since only what it does on receipt is looked at.
 */
async function consumer<S extends StartableService>(t: TestContext, built: Built<S>) {
  await built.service.kernel.migrate();
  onTeardown(t, () => built.service.app.close());
  return built;
}

export const paymentConsumer = (t: TestContext) =>
  consumer(
    t,
    build(t, 'payment', (deps) => createPaymentService({ ...common, ...deps })),
  );

export const deliveryConsumer = (t: TestContext) =>
  consumer(
    t,
    build(t, 'delivery', (deps) =>
      createDeliveryService({ ...common, ...deps, marketingUrl: 'http://127.0.0.1:9', breaker: QUICK_BREAKER }),
    ),
  );

export const orderStatusConsumer = (t: TestContext) =>
  consumer(
    t,
    build(t, 'order-status', (deps) => createOrderStatusService({ ...common, ...deps })),
  );

/**
 * Hands a message to the consumer the way the transport delivers every event (parsed with
 * parseStreetEvent, then each subscribed policy in its inbox transaction), and fails unless one of
 * its policies took it in.
 */
export async function handOver(consumerSide: Built<unknown>, message: unknown): Promise<StreetEvent> {
  const event = message as StreetEvent;
  await consumerSide.transport.publish([event]);
  const taken = await consumerSide.db
    .selectFrom('inbox')
    .select('consumer')
    .where('event_id', '=', event.eventId)
    .executeTakeFirst();
  if (!taken) throw new Error(`no policy took in ${event.eventType} ${event.eventId}`);
  return event;
}

/** The event of that type the service wrote to its outbox for the order, once it is there. */
export function outboxEvent(db: Store, eventType: StreetEventType, orderId: number): Promise<StreetEvent> {
  return eventually(
    async () => {
      const row = await db
        .selectFrom('outbox')
        .select('envelope')
        .where('event_type', '=', eventType)
        .where('order_id', '=', orderId)
        .orderBy('id', 'desc')
        .executeTakeFirst();
      return row && (JSON.parse(row.envelope) as StreetEvent);
    },
    { what: `${eventType} for order ${orderId} in the outbox` },
  );
}
