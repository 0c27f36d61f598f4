import assert from 'node:assert/strict';
import { type OrderStatusBody, PUBLISHER_OF, STREET_EVENT_TYPES, type StreetEvent } from '@12street/contracts';
import { eventMessage, messageOf } from './support/eventMessages.ts';
import { consumerContracts } from './support/pactFiles.ts';
import { handOver, orderStatusConsumer } from './support/services.ts';

// order-status (consumer) ← order, payment, marketing, delivery (providers): every event, which the
// read model shows the customer, status words included.
const { contract, pactWith } = consumerContracts('order-status');
const publishers = {
  order: pactWith('order'),
  payment: pactWith('payment'),
  marketing: pactWith('marketing'),
  delivery: pactWith('delivery'),
};

/** The status word each event carries and the view shows. */
const statusWordOf = (event: StreetEvent): [keyof OrderStatusBody, string] => {
  const p = event.payload as Record<string, unknown>;
  const field = (['orderStatus', 'payStatus', 'promoteStatus', 'deliveryStatus'] as const).find((f) => f in p);
  if (!field) throw new Error(`${event.eventType} carries no status word`);
  return [field, String(p[field])];
};

for (const eventType of STREET_EVENT_TYPES) {
  const publisher = PUBLISHER_OF[eventType];
  contract(`${eventType} from ${publisher} shows in the order's status and timeline`, async (t) => {
    await publishers[publisher]
      .addAsynchronousInteraction()
      .expectsToReceive(messageOf(eventType), (b) =>
        b.withJSONContent(eventMessage(eventType, { showsStatusWords: true })),
      )
      .executeTest(async (message) => {
        const orderStatus = await orderStatusConsumer(t);
        const event = await handOver(orderStatus, message.contents.content);
        const view = (await orderStatus.service.app.inject({ url: `/orderStatus/${event.orderId}` })).json();
        const [field, word] = statusWordOf(event);
        assert.equal((view as OrderStatusBody)[field], word);
        assert.deepEqual(
          view.timeline.map((e: { eventId: string; service: string }) => [e.eventId, e.service]),
          [[event.eventId, publisher]],
        );
      });
  });
}
