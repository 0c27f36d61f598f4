import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { StreetEvent } from '@12street/contracts';
import { sampleOrder } from '@12street/testkit';
import { messageOf } from './support/eventMessages.ts';
import { outboxEvent, startOrder, startPayment } from './support/services.ts';
import { verifyPacts } from './support/verify.ts';

type Results = { result: boolean; errors: { mismatch?: { mismatches?: { path?: string; mismatch: string }[] } }[] };

/** What Pact's verifier found wrong, as "path: mismatch" lines (it rejects with its results as JSON). */
function mismatchesOf(error: Error): string[] {
  const results = JSON.parse(error.message) as Results;
  assert.equal(results.result, false);
  return results.errors.flatMap((e) => e.mismatch?.mismatches ?? []).map((m) => `${m.path ?? ''}: ${m.mismatch}`);
}

// The same verifications as the provider tests, against providers changed in a way that breaks a
// consumer: each must be refused, or the contracts would guard nothing.

test('verification fails when payment renames a field order reads (payStatus → paymentStatus)', async (t) => {
  const payment = await startPayment(t, (service) =>
    service.app.addHook('onSend', async (_request, _reply, body) =>
      typeof body === 'string' ? body.replaceAll('"payStatus":', '"paymentStatus":') : body,
    ),
  );
  const approve = async (params: unknown) => {
    const { orderId } = params as { orderId: number };
    await payment.service.app.inject({ method: 'POST', url: '/payments', payload: { orderId, ...sampleOrder() } });
  };
  const voidPayment = async (params: unknown) => {
    const { orderId } = params as { orderId: number };
    await payment.service.app.inject({ method: 'POST', url: '/payments/void', payload: { orderId, reason: 'x' } });
  };

  await assert.rejects(
    verifyPacts({
      provider: 'payment',
      pacts: ['order-payment.json'],
      providerBaseUrl: payment.url,
      stateHandlers: {
        'no payment exists for the order': async () => {},
        'the payment of the order is approved': approve,
        'the payment of the order was voided': voidPayment,
      },
    }),
    (error: Error) => {
      assert.ok(
        mismatchesOf(error).includes('$._embedded.payments[0]: Actual map is missing the following keys: payStatus'),
      );
      return true;
    },
  );
});

test('verification fails when order drops a field from OrderCanceled that payment needs', async (t) => {
  const order = await startOrder(t);
  const withoutReason = (event: StreetEvent) => {
    const { reason: _, ...payload } = event.payload as Record<string, unknown>;
    return { ...event, payload };
  };

  await assert.rejects(
    verifyPacts({
      provider: 'order',
      pacts: ['payment-order.json'],
      messageProviders: {
        [messageOf('OrderCanceled')]: async () => {
          const placed = await order.service.useCases.placeOrder(sampleOrder());
          await order.service.useCases.cancelOrder(placed.id, 'changed my mind');
          return withoutReason(await outboxEvent(order.db, 'OrderCanceled', placed.id));
        },
      },
    }),
    (error: Error) => {
      assert.deepEqual(mismatchesOf(error), ['$.payload: Actual map is missing the following keys: reason']);
      return true;
    },
  );
});
