import type { StreetEvent } from '@12street/contracts';
import type { Clock, EventPolicy } from '@12street/platform';
import { projectOrderStatus } from '../domain/orderStatusView.ts';
import { type EndedStep, stepsCompletedBy } from '../domain/sagaSteps.ts';
import type { OrderEventStore } from './ports.ts';

export type ProjectStatusDeps = {
  clock: Clock;
  orderEvents: OrderEventStore;
  /** Told the saga steps a new event completes (for their duration metric). */
  stepsCompleted?: (event: StreetEvent, steps: EndedStep[]) => void;
};

/** Every event of an order recomputes its view from all the order's events, so arrival order does not matter. */
export function whenOrderEventProjectStatus(deps: ProjectStatusDeps): EventPolicy<StreetEvent> {
  return async (tx, event) => {
    const isNew = await deps.orderEvents.recordOrderEvent(tx, event);
    if (!isNew) return;
    const events = await deps.orderEvents.eventsOfOrder(tx, event.orderId);
    await deps.orderEvents.saveView(tx, projectOrderStatus(events), deps.clock());
    const steps = stepsCompletedBy(event, events);
    if (steps.length > 0) deps.stepsCompleted?.(event, steps);
  };
}
