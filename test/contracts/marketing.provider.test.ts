import { test } from 'node:test';
import { messageOf } from './support/eventMessages.ts';
import { outboxEvent, startMarketing } from './support/services.ts';
import { verifyPacts } from './support/verify.ts';

type Params = { orderId: number };

test('marketing honours every pact naming it: the HTTP calls delivery makes, the events others consume', async (t) => {
  const marketing = await startMarketing(t);
  const call = async (url: string, payload: object) => {
    const res = await marketing.service.app.inject({ method: 'POST', url, payload });
    if (res.statusCode >= 300) throw new Error(`${url} answered ${res.statusCode}: ${res.body}`);
  };
  const customer = { userId: 'u1', username: 'kim', phoneNo: '010-1234-5678' };
  const issue = (orderId: number) => call('/promotes', { orderId, ...customer, amount: 10000 });
  const cancel = (orderId: number) =>
    call('/promotes/cancellations', { orderId, userId: customer.userId, reason: 'payment canceled' });
  let nextOrderId = 1000;

  await verifyPacts({
    provider: 'marketing',
    providerBaseUrl: marketing.url,
    stateHandlers: {
      'no coupon exists for the order': async () => {},
      'the coupon of the order is issued': async (params) => issue((params as Params).orderId),
      'the coupon of the order was cancelled': async (params) => {
        await issue((params as Params).orderId);
        await cancel((params as Params).orderId);
      },
    },
    messageProviders: {
      [messageOf('CouponPublished')]: async () => {
        const orderId = nextOrderId++;
        await issue(orderId);
        return outboxEvent(marketing.db, 'CouponPublished', orderId);
      },
      [messageOf('CouponCanceled')]: async () => {
        const orderId = nextOrderId++;
        await issue(orderId);
        await cancel(orderId);
        return outboxEvent(marketing.db, 'CouponCanceled', orderId);
      },
    },
  });
});
