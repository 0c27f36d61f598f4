import { DELIVERY_STATUS, ORDER_STATUS } from '@12street/contracts';
import type { Journey } from './load/openLoop.ts';
import { type Percentiles, percentilesOf } from './support/stats.ts';

type View = {
  orderStatus: string | null;
  deliveryStatus: string | null;
  updatedAt: string;
  timeline: { eventType: string; occurredAt: string }[];
};

export type SagaLatency = {
  /** From the client's 201 (or cancel's 200) to when the last step was recorded (its event's occurredAt). */
  recorded: Percentiles;
  /** ... to when the order-status view showed it (the view's updatedAt). */
  visible: Percentiles;
  unfinished: number;
};

const done = (view: View | undefined, canceled: boolean) =>
  canceled
    ? view?.orderStatus === ORDER_STATUS.canceled && view.deliveryStatus === DELIVERY_STATUS.canceled
    : view?.deliveryStatus === DELIVERY_STATUS.started;

const sampleOf = <T>(items: T[], size: number) =>
  items
    .map((item) => ({ item, key: Math.random() }))
    .sort((a, b) => a.key - b.key)
    .slice(0, size)
    .map(({ item }) => item);

/**
 * Saga completion for a sample of the phase's orders, read from their order-status views once the
 * sagas finished: placed → "Delivery Started", cancelled → "Order Canceled" with the delivery
 * cancelled. Clocks are the same machine's, so the client's and the services' times compare.
 */
export async function sagaLatencies(
  gatewayUrl: string,
  token: () => Promise<string>,
  journeys: Journey[],
  size = 150,
  timeoutMs = 60_000,
): Promise<{ placed: SagaLatency; canceled: SagaLatency }> {
  const kept = sampleOf(
    journeys.filter((j) => j.canceledAt === undefined),
    size,
  );
  const canceled = sampleOf(
    journeys.filter((j) => j.canceledAt !== undefined),
    size,
  );
  const views = new Map<number, View>();
  const fetchView = async (id: number) => {
    const response = await fetch(`${gatewayUrl}/orderStatus/${id}`, {
      headers: { authorization: `Bearer ${await token()}` },
      signal: AbortSignal.timeout(10_000),
    });
    if (response.status === 200) views.set(id, (await response.json()) as View);
  };
  const deadline = Date.now() + timeoutMs;
  let waiting = [...kept, ...canceled];
  while (waiting.length > 0 && Date.now() < deadline) {
    for (let i = 0; i < waiting.length; i += 16) {
      await Promise.all(waiting.slice(i, i + 16).map((j) => fetchView(j.id).catch(() => {})));
    }
    waiting = waiting.filter((j) => !done(views.get(j.id), j.canceledAt !== undefined));
    if (waiting.length > 0) await new Promise((r) => setTimeout(r, 250));
  }
  const latencies = (trips: Journey[], isCanceled: boolean, finalEvent: string): SagaLatency => {
    const finished = trips.filter((j) => done(views.get(j.id), isCanceled));
    const from = (j: Journey) => (isCanceled ? (j.canceledAt as number) : j.placedAt);
    const recorded = finished.flatMap((j) => {
      const event = views.get(j.id)?.timeline.find((e) => e.eventType === finalEvent);
      return event ? [Date.parse(event.occurredAt) - from(j)] : [];
    });
    const visible = finished.map((j) => Date.parse((views.get(j.id) as View).updatedAt) - from(j));
    return {
      recorded: percentilesOf(recorded),
      visible: percentilesOf(visible),
      unfinished: trips.length - finished.length,
    };
  };
  return {
    placed: latencies(kept, false, 'DeliveryStarted'),
    canceled: latencies(canceled, true, 'DeliveryCanceled'),
  };
}
