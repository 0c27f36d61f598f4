import { join } from 'node:path';
import { envelope, type OrderCanceled } from '@12street/contracts';
import { tempDir, testLogger } from '@12street/testkit';
import {
  createHttpApp,
  type EventTransport,
  type HttpApp,
  type KernelOptions,
  type MessagingTables,
  openSqlite,
  type ServiceKernel,
  serviceKernel,
  startableService,
} from '../src/index.ts';

type TestContext = { after(fn: () => unknown): void };

export const canceled = (orderId: number, eventId: string): OrderCanceled =>
  envelope(
    'OrderCanceled',
    orderId,
    { userId: 'u', orderStatus: 'Order Canceled', reason: 'r' },
    { eventId, occurredAt: new Date() },
  );

/** A started service on its own SQLite file, stopped and closed when the test ends. */
export async function serviceOn(
  t: TestContext,
  service: string,
  transport: EventTransport,
  options: Partial<Pick<KernelOptions, 'relay' | 'deadLetters' | 'stallTimeoutMs' | 'logger'>> & {
    /** Routes of its own, beside the kernel's. */
    routes?(app: HttpApp, kernel: ServiceKernel): void;
  } = {},
  subscribe: (kernel: ServiceKernel) => void = () => {},
) {
  const { routes, ...kernelOptions } = options;
  const logger = options.logger ?? testLogger();
  const db = openSqlite<MessagingTables>(join(tempDir(t), `${service}.db`));
  const kernel = serviceKernel({
    service,
    db,
    dialect: 'sqlite',
    migrations: [],
    transport,
    logger,
    ...kernelOptions,
  });
  subscribe(kernel);
  const app = createHttpApp({ logger });
  routes?.(app, kernel);
  const running = startableService(kernel, app);
  await running.start();
  t.after(async () => {
    await running.stop();
    await db.destroy();
  });
  return { db, kernel, app: running.app };
}

/** A policy that fails for the orders and event ids in `broken`, and remembers the events it applied, in order. */
export function brittlePolicy(broken: Set<number | string>) {
  const applied: string[] = [];
  let calls = 0;
  return {
    applied,
    calls: () => calls,
    policy: async (_tx: unknown, event: OrderCanceled) => {
      calls++;
      if (broken.has(event.orderId) || broken.has(event.eventId)) throw new Error(`order ${event.orderId} is broken`);
      applied.push(event.eventId);
    },
  };
}
