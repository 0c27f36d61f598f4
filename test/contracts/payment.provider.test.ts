import { test } from 'node:test';
import { sampleOrder } from '@12street/testkit';
import { messageOf } from './support/eventMessages.ts';
import { outboxEvent, startPayment } from './support/services.ts';
import { verifyPacts } from './support/verify.ts';

type Params = { orderId: number };

test('payment honours every pact naming it: the HTTP calls order makes, the events others consume', async (t) => {
  const payment = await startPayment(t);
  const call = async (url: string, payload: object) => {
    const res = await payment.service.app.inject({ method: 'POST', url, payload });
    if (res.statusCode >= 300) throw new Error(`${url} answered ${res.statusCode}: ${res.body}`);
  };
  const approve = (orderId: number) => call('/payments', { orderId, ...sampleOrder() });
  const voidPayment = (orderId: number) => call('/payments/void', { orderId, reason: 'order abandoned' });
  // Messages are about orders of their own, well clear of the ids the HTTP interactions use.
  let nextOrderId = 1000;

  await verifyPacts({
    provider: 'payment',
    providerBaseUrl: payment.url,
    stateHandlers: {
      'no payment exists for the order': async () => {},
      'the payment of the order is approved': async (params) => approve((params as Params).orderId),
      'the payment of the order was voided': async (params) => voidPayment((params as Params).orderId),
    },
    messageProviders: {
      [messageOf('PaymentApproved')]: async () => {
        const orderId = nextOrderId++;
        await approve(orderId);
        return outboxEvent(payment.db, 'PaymentApproved', orderId);
      },
      [messageOf('PaymentCanceled')]: async () => {
        const orderId = nextOrderId++;
        await approve(orderId);
        await voidPayment(orderId);
        return outboxEvent(payment.db, 'PaymentCanceled', orderId);
      },
    },
  });
});
