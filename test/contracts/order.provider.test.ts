import { test } from 'node:test';
import { sampleOrder } from '@12street/testkit';
import { messageOf } from './support/eventMessages.ts';
import { outboxEvent, startOrder } from './support/services.ts';
import { verifyPacts } from './support/verify.ts';

test('order honours every pact naming it: the events payment and order-status consume', async (t) => {
  const order = await startOrder(t);
  const { placeOrder, cancelOrder } = order.service.useCases;

  await verifyPacts({
    provider: 'order',
    messageProviders: {
      [messageOf('OrderPlaced')]: async () => {
        const placed = await placeOrder(sampleOrder());
        return outboxEvent(order.db, 'OrderPlaced', placed.id);
      },
      [messageOf('OrderCanceled')]: async () => {
        const placed = await placeOrder(sampleOrder());
        await cancelOrder(placed.id, 'changed my mind');
        return outboxEvent(order.db, 'OrderCanceled', placed.id);
      },
    },
  });
});
