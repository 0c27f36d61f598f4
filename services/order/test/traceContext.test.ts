import assert from 'node:assert/strict';
import { test } from 'node:test';
import { sampleOrder } from '@12street/testkit';
import { orderWithPayment } from './support.ts';

const TRACEPARENT = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';

test("the events an order request writes carry the request's W3C trace context in the outbox", async (t) => {
  const { order, db } = await orderWithPayment(t);
  const placed = await order.app.inject({
    method: 'POST',
    url: '/orders',
    headers: { traceparent: TRACEPARENT },
    payload: sampleOrder(),
  });
  assert.equal(placed.statusCode, 201);
  const id = placed.json().id as number;
  await order.app.inject({ method: 'POST', url: `/orders/${id}/cancel`, headers: { traceparent: 'not-a-trace' } });
  const rows = await db
    .selectFrom('outbox')
    .select(['event_type', 'trace_context'])
    .where('order_id', '=', id)
    .execute();
  assert.deepEqual(
    rows.map((r) => [r.event_type, r.trace_context]),
    [
      ['OrderPlaced', TRACEPARENT],
      ['OrderCanceled', null],
    ],
    'a malformed trace context is dropped, not stored',
  );
});
