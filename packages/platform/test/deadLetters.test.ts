import assert from 'node:assert/strict';
import { test } from 'node:test';
import { eventually } from '@12street/testkit';
import { inProcessTransport, sqlDeadLetterStore } from '../src/index.ts';
import { brittlePolicy, canceled, serviceOn } from './deadLetterSupport.ts';

const fastRelay = { pollIntervalMs: 10, backoff: { baseMs: 10, maxMs: 40 } };

/** An order service publishing through its outbox to a shipping service whose policy breaks on some orders. */
async function twoServices(t: { after(fn: () => unknown): void }, broken: Set<number | string>) {
  const transport = inProcessTransport();
  const shipping = brittlePolicy(broken);
  const consumer = await serviceOn(t, 'shipping', transport, { deadLetters: { maxAttempts: 3 } }, (kernel) =>
    kernel.when(['OrderCanceled'], 'whenOrderCanceledShip', shipping.policy),
  );
  const publisher = await serviceOn(t, 'order', transport, { relay: fastRelay });
  const publish = (...events: ReturnType<typeof canceled>[]) =>
    publisher.kernel.inTransaction((tx) => publisher.kernel.recordEvents(tx, events));
  const get = async (url: string) => (await consumer.app.inject({ method: 'GET', url })).json();
  const post = (url: string) => consumer.app.inject({ method: 'POST', url });
  return { shipping, consumer, publisher, publish, get, post };
}

test("an event a policy keeps failing is parked after its attempts, and the other events, its own order's next one too, complete", async (t) => {
  const broken = new Set<number | string>(['poison']);
  const { shipping, publisher, publish, get } = await twoServices(t, broken);

  await publish(canceled(1, 'poison'), canceled(2, 'two'), canceled(1, 'after-poison'), canceled(3, 'three'));

  await eventually(() => shipping.applied.length === 3, { what: 'every other event' });
  assert.deepEqual(shipping.applied.toSorted(), ['after-poison', 'three', 'two']);
  assert.equal(shipping.calls(), 3 + 3, 'three attempts at the poison event, then once each for the others');
  const list = await get('/ops/dead-letters');
  assert.equal(list.page.totalElements, 1);
  const [letter] = list._embedded.deadLetters;
  assert.equal(letter.consumer, 'whenOrderCanceledShip');
  assert.equal(letter.eventId, 'poison');
  assert.equal(letter.eventType, 'OrderCanceled');
  assert.equal(letter.orderId, 1);
  assert.equal(letter.attempts, 3);
  assert.equal(letter.source, 'in-process');
  assert.match(letter.error, /order 1 is broken/);
  assert.equal(JSON.parse(letter.envelope).eventId, 'poison');
  assert.equal(letter.redrivenAt, null);
  assert.match(letter._links.redrive.href, new RegExp(`/ops/dead-letters/${letter.id}/redrive$`));
  await eventually(async () => (await publisher.kernel.outboxBacklog()).unsent === 0, {
    what: 'the publisher to count its events as delivered',
  });
});

test('a redrive after the fix applies the parked event once; redriving it again does nothing', async (t) => {
  const broken = new Set<number | string>([1]);
  const { shipping, consumer, publish, get, post } = await twoServices(t, broken);
  await publish(canceled(1, 'poison'));
  const id = await eventually(async () => (await get('/ops/dead-letters'))._embedded.deadLetters[0]?.id, {
    what: 'the parked event',
  });

  const stillBroken = await post(`/ops/dead-letters/${id}/redrive`);
  assert.equal(stillBroken.statusCode, 409);
  assert.equal(stillBroken.headers['content-type'], 'application/problem+json; charset=utf-8');
  assert.match(stillBroken.json().detail, /order 1 is broken/);
  assert.equal((await get(`/ops/dead-letters/${id}`)).attempts, 4);
  assert.equal((await get(`/ops/dead-letters/${id}`)).redrivenAt, null);

  broken.clear();
  const fixed = await post(`/ops/dead-letters/${id}/redrive`);
  assert.equal(fixed.statusCode, 200);
  assert.equal(fixed.json().outcome, 'redriven');
  assert.equal(fixed.json().handled, 'processed');
  assert.deepEqual(shipping.applied, ['poison']);

  const again = await post(`/ops/dead-letters/${id}/redrive`);
  assert.equal(again.statusCode, 200);
  assert.equal(again.json().outcome, 'already-redriven');
  assert.deepEqual(shipping.applied, ['poison']);
  assert.equal((await get('/ops/dead-letters')).page.totalElements, 0);
  assert.equal((await get('/ops/dead-letters?state=redriven')).page.totalElements, 1);

  const metrics = (await consumer.app.inject({ method: 'GET', url: '/metrics' })).body;
  assert.match(metrics, /street_dead_letters_total\{[^}]*consumer="whenOrderCanceledShip"[^}]*\} 1/);
  assert.match(metrics, /street_dead_letters_parked\{service="shipping"\} 0/);
});

test('redriving all stops an order at its first failure, keeping its events in order, and completes the rest', async (t) => {
  const broken = new Set<number | string>([1, 2]);
  const { shipping, publish, get, post } = await twoServices(t, broken);
  await publish(canceled(1, '1-first'), canceled(1, '1-second'), canceled(2, '2-only'));
  await eventually(async () => (await get('/ops/dead-letters')).page.totalElements === 3, { what: 'three parked' });

  broken.delete(2);
  const partly = (await post('/ops/dead-letters/redrive')).json();
  assert.equal(partly.redriven, 1);
  assert.equal(partly.failed.length, 1);
  assert.equal(partly.held.length, 1);
  assert.deepEqual(shipping.applied, ['2-only']);

  broken.clear();
  const rest = (await post('/ops/dead-letters/redrive')).json();
  assert.deepEqual(rest, { redriven: 2, failed: [], held: [] });
  assert.deepEqual(shipping.applied, ['2-only', '1-first', '1-second']);
});

test('a dead letter that is not an event, or names no policy of the service, cannot be redriven (422)', async (t) => {
  const { consumer, post } = await twoServices(t, new Set());
  const store = sqlDeadLetterStore(consumer.db);
  const letter = {
    eventId: 'x',
    eventType: 'unknown',
    orderId: null,
    error: 'SyntaxError',
    attempts: 1,
    source: 'orders/0/7',
  };
  await store.park({ ...letter, consumer: 'whenOrderCanceledShip', envelope: '{not json' }, new Date());
  await store.park(
    { ...letter, consumer: 'whenSomethingElse', envelope: JSON.stringify(canceled(1, 'x')) },
    new Date(),
  );

  for (const id of [1, 2]) {
    const reply = await post(`/ops/dead-letters/${id}/redrive`);
    assert.equal(reply.statusCode, 422);
    assert.equal(reply.json().title, 'Dead letter cannot be redriven');
  }
  assert.equal((await post('/ops/dead-letters/99/redrive')).statusCode, 404);
});
