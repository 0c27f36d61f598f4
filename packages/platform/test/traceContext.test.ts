import assert from 'node:assert/strict';
import { test } from 'node:test';
import { envelope } from '@12street/contracts';
import { eventually } from '@12street/testkit';
import { type DeliveryContext, inProcessTransport, traceparentOf } from '../src/index.ts';
import { canceled, serviceOn } from './deadLetterSupport.ts';

const TRACEPARENT = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';

const refunded = (orderId: number, eventId: string) =>
  envelope(
    'PaymentCanceled',
    orderId,
    { paymentId: orderId, userId: 'u', payStatus: 'Canceled', reason: 'r' },
    { eventId, occurredAt: new Date() },
  );

test('a W3C traceparent is accepted as sent and anything malformed is dropped', () => {
  assert.equal(traceparentOf(TRACEPARENT), TRACEPARENT);
  assert.equal(traceparentOf(` ${TRACEPARENT.toUpperCase()} `), TRACEPARENT);
  assert.equal(traceparentOf([TRACEPARENT, 'other']), TRACEPARENT);
  for (const bad of [undefined, '', 'abc', `${TRACEPARENT}-extra`, `00-${'0'.repeat(32)}-00f067aa0ba902b7-01`]) {
    assert.equal(traceparentOf(bad), undefined, String(bad));
  }
});

test('the traceparent an event was recorded with reaches its subscribers, and the events a policy records continue that trace', async (t) => {
  const transport = inProcessTransport();
  const seen: DeliveryContext[] = [];
  transport.subscribe({
    consumer: 'observer',
    eventTypes: ['OrderCanceled', 'PaymentCanceled'],
    handle: async (_event, delivery) => void seen.push(delivery as DeliveryContext),
  });
  const relay = { pollIntervalMs: 10 };
  const payment = await serviceOn(t, 'payment', transport, { relay }, (kernel) =>
    kernel.when(['OrderCanceled'], 'whenOrderCanceledRefund', (tx, event) =>
      kernel.recordEvents(tx, [refunded(event.orderId, `refund-of-${event.eventId}`)]),
    ),
  );
  const order = await serviceOn(t, 'order', transport, { relay });

  await order.kernel.inTransaction((tx) =>
    order.kernel.recordEvents(tx, [canceled(1, 'traced')], { traceparent: TRACEPARENT }),
  );
  await order.kernel.inTransaction((tx) =>
    order.kernel.recordEvents(tx, [canceled(2, 'garbled')], { traceparent: 'not-a-trace' }),
  );

  const traceOf = async (db: typeof order.db, eventId: string) =>
    (await db.selectFrom('outbox').select('trace_context').where('event_id', '=', eventId).executeTakeFirst())
      ?.trace_context;
  await eventually(async () => (await traceOf(payment.db, 'refund-of-garbled')) === null, {
    what: 'both refunds recorded',
  });
  assert.equal(await traceOf(order.db, 'traced'), TRACEPARENT);
  assert.equal(await traceOf(order.db, 'garbled'), null);
  assert.equal(await traceOf(payment.db, 'refund-of-traced'), TRACEPARENT, 'the trace went on through the policy');

  await eventually(() => seen.length >= 4, { what: 'the observer to see all four events' });
  assert.deepEqual(
    seen.map((d) => d.traceparent ?? null).toSorted(),
    [TRACEPARENT, TRACEPARENT, null, null].toSorted(),
  );
  assert.ok(seen.every((d) => d.source === 'in-process'));
});
