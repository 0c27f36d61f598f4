import type { StreetEvent } from '@12street/contracts';
import type { EventTransport, Subscription } from './transport.ts';

export const DEFAULT_STALL_TIMEOUT_MS = 60_000;

export type StalledHandling = { policy: string; eventType: string; orderId: number; sinceMs: number };

/**
 * Watches the events a service is handling. Each attempt is bounded by its own timeouts (database,
 * breakers), so one that is still running after stallTimeoutMs is stuck (a hung connection, a
 * deadlock, a lost promise): it holds its partition or its publisher forever, and only a restart
 * frees it. Slow handling that finishes is not a stall.
 */
export function stallWatch(stallTimeoutMs = DEFAULT_STALL_TIMEOUT_MS) {
  const inFlight = new Set<{ policy: string; event: StreetEvent; since: number }>();

  const watched = (subscription: Subscription, policy: string): Subscription => ({
    ...subscription,
    async handle(event, delivery) {
      const handling = { policy, event, since: Date.now() };
      inFlight.add(handling);
      try {
        return await subscription.handle(event, delivery);
      } finally {
        inFlight.delete(handling);
      }
    },
  });

  const stalled = (): StalledHandling[] => {
    const now = Date.now();
    return [...inFlight]
      .filter((h) => now - h.since > stallTimeoutMs)
      .map((h) => ({ policy: h.policy, eventType: h.event.eventType, orderId: h.event.orderId, sinceMs: h.since }));
  };

  return {
    /** transport.subscribe, with every handling of the subscription watched. */
    subscribeThrough: (transport: EventTransport) => (subscription: Subscription) =>
      transport.subscribe(watched(subscription, subscription.deadLetters?.policy ?? subscription.consumer)),
    stalled,
    live: () => stalled().length === 0,
  };
}
