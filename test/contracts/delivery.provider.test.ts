import { randomUUID } from 'node:crypto';
import { test } from 'node:test';
import { envelope, PAY_STATUS } from '@12street/contracts';
import { sampleOrder } from '@12street/testkit';
import { messageOf } from './support/eventMessages.ts';
import { outboxEvent, startDelivery } from './support/services.ts';
import { verifyPacts } from './support/verify.ts';

test('delivery honours every pact naming it: the events order-status consumes', async (t) => {
  const delivery = await startDelivery(t);
  const details = sampleOrder();
  let nextOrderId = 1000;
  const meta = () => ({ eventId: randomUUID(), occurredAt: new Date() });
  /** What payment would publish; delivery then asks the real marketing for the coupon and starts. */
  const paid = async (orderId: number) => {
    const approved = { paymentId: orderId, amount: 10000, payStatus: PAY_STATUS.approved, ...details };
    await delivery.transport.publish([envelope('PaymentApproved', orderId, approved, meta())]);
    return outboxEvent(delivery.db, 'DeliveryStarted', orderId);
  };

  await verifyPacts({
    provider: 'delivery',
    messageProviders: {
      [messageOf('DeliveryStarted')]: () => paid(nextOrderId++),
      [messageOf('DeliveryCanceled')]: async () => {
        const orderId = nextOrderId++;
        await paid(orderId);
        const canceled = { paymentId: orderId, userId: details.userId, payStatus: PAY_STATUS.canceled, reason: 'test' };
        await delivery.transport.publish([envelope('PaymentCanceled', orderId, canceled, meta())]);
        return outboxEvent(delivery.db, 'DeliveryCanceled', orderId);
      },
    },
  });
});
