import assert from 'node:assert/strict';
import { PAY_STATUS } from '@12street/contracts';
import { sampleOrder } from '@12street/testkit';
import { EXAMPLE_ORDER_ID, eventMessage, messageOf } from './support/eventMessages.ts';
import { consumerContracts } from './support/pactFiles.ts';
import { handOver, outboxEvent, paymentConsumer } from './support/services.ts';

// payment (consumer) ← order (provider): the event payment's policy reacts to.
const { contract, pactWith } = consumerContracts('payment');
const order = pactWith('order');

contract("OrderCanceled cancels the order's approved payment", async (t) => {
  const orderId = EXAMPLE_ORDER_ID.OrderCanceled;
  await order
    .addAsynchronousInteraction()
    .expectsToReceive(messageOf('OrderCanceled'), (b) =>
      b.withJSONContent(eventMessage('OrderCanceled', { showsStatusWords: false })),
    )
    .executeTest(async (message) => {
      const payment = await paymentConsumer(t);
      const approved = await payment.service.app.inject({
        method: 'POST',
        url: '/payments',
        payload: { orderId, ...sampleOrder() },
      });
      assert.equal(approved.statusCode, 201);
      await handOver(payment, message.contents.content);
      const canceled = await outboxEvent(payment.db, 'PaymentCanceled', orderId);
      assert.equal(canceled.eventType === 'PaymentCanceled' && canceled.payload.payStatus, PAY_STATUS.canceled);
    });
});
