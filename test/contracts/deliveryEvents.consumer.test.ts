import assert from 'node:assert/strict';
import {
  DELIVERY_STATUS,
  envelope,
  PAY_STATUS,
  type PaymentApproved,
  type StockDeliveryBody,
} from '@12street/contracts';
import { sampleOrder } from '@12street/testkit';
import { EXAMPLE_ORDER_ID, eventMessage, messageOf } from './support/eventMessages.ts';
import { consumerContracts } from './support/pactFiles.ts';
import { deliveryConsumer, handOver } from './support/services.ts';

// delivery (consumer) ← payment (provider): the events delivery's policies react to.
const { contract, pactWith } = consumerContracts('delivery');
const payment = pactWith('payment');

/** The order's delivery as delivery's own REST resource shows it. */
async function deliveryOf(delivery: Awaited<ReturnType<typeof deliveryConsumer>>, orderId: number) {
  const res = await delivery.service.app.inject({ url: `/stockDeliveries/search/findByOrderId?orderId=${orderId}` });
  return res.json()._embedded.stockDeliveries[0] as StockDeliveryBody | undefined;
}

contract('PaymentApproved accepts a delivery that waits for its coupon', async (t) => {
  await payment
    .addAsynchronousInteraction()
    .expectsToReceive(messageOf('PaymentApproved'), (b) =>
      b.withJSONContent(eventMessage('PaymentApproved', { showsStatusWords: false })),
    )
    .executeTest(async (message) => {
      const delivery = await deliveryConsumer(t);
      const event = (await handOver(delivery, message.contents.content)) as PaymentApproved;
      const accepted = await deliveryOf(delivery, event.orderId);
      assert.equal(accepted?.deliveryStatus, DELIVERY_STATUS.awaitingCoupon);
      assert.equal(accepted?.address, event.payload.address);
      assert.equal(accepted?.qty, event.payload.qty);
    });
});

contract("PaymentCanceled has the order's delivery cancel its coupon first", async (t) => {
  const orderId = EXAMPLE_ORDER_ID.PaymentCanceled;
  await payment
    .addAsynchronousInteraction()
    .expectsToReceive(messageOf('PaymentCanceled'), (b) =>
      b.withJSONContent(eventMessage('PaymentCanceled', { showsStatusWords: false })),
    )
    .executeTest(async (message) => {
      const delivery = await deliveryConsumer(t);
      const details = sampleOrder();
      const approved = envelope(
        'PaymentApproved',
        orderId,
        { paymentId: 5, amount: 10000, payStatus: PAY_STATUS.approved, ...details },
        { eventId: 'approval-first', occurredAt: new Date() },
      );
      await handOver(delivery, approved);
      await handOver(delivery, message.contents.content);
      assert.equal((await deliveryOf(delivery, orderId))?.deliveryStatus, DELIVERY_STATUS.cancelPending);
    });
});
