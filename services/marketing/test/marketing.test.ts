import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { PROMOTE_STATUS, type StreetEvent } from '@12street/contracts';
import { inProcessTransport, openSqlite } from '@12street/platform';
import { eventually, tempDir, testLogger } from '@12street/testkit';
import { createMarketingService } from '../src/compose.ts';
import { COUPON_KIND } from '../src/domain/promote.ts';

async function marketingService(t: { after(fn: () => void): void }) {
  const transport = inProcessTransport();
  const published: StreetEvent[] = [];
  transport.subscribe({
    consumer: 'spy',
    eventTypes: ['CouponPublished', 'CouponCanceled'],
    handle: async (e) => void published.push(e),
  });
  const db = openSqlite(join(tempDir(t), 'marketing.db'));
  const service = createMarketingService({ db: db as never, dialect: 'sqlite', transport, logger: testLogger() });
  await service.start();
  t.after(async () => {
    await service.stop();
    await db.destroy();
  });
  const post = (url: string, payload: object) => service.app.inject({ method: 'POST', url, payload });
  const get = (url: string) => service.app.inject({ method: 'GET', url });
  const backlog = () => service.kernel.outboxBacklog();
  return { service, published, post, get, backlog };
}

const issue = (orderId: number, amount = 30_000) => ({
  orderId,
  userId: 'u1',
  username: 'kim',
  phoneNo: '010-1234-5678',
  amount,
});
const cancel = (orderId: number) => ({ orderId, userId: 'u1', reason: 'payment canceled' });

test('issuing a coupon stores it, answers 201 with its link and publishes CouponPublished', async (t) => {
  const { post, get, published } = await marketingService(t);
  const res = await post('/promotes', issue(7, 1_200_000));
  assert.equal(res.statusCode, 201);
  const body = res.json();
  assert.equal(res.headers.location, body._links.self.href);
  assert.match(body._links.self.href, /\/promotes\/1$/);
  assert.equal(body.couponId, body.id, 'the coupon is numbered after its promote');
  assert.equal(body.couponKind, COUPON_KIND.tenPercentOff);
  assert.equal(body.couponUseYn, 'N');
  assert.equal(body.promoteStatus, PROMOTE_STATUS.published);

  await eventually(() => published.length === 1, { what: 'CouponPublished' });
  const event = published[0];
  assert.equal(event?.eventType, 'CouponPublished');
  assert.equal(event?.orderId, 7);
  assert.deepEqual(event?.payload, {
    couponId: body.couponId,
    couponKind: COUPON_KIND.tenPercentOff,
    couponUseYn: 'N',
    userId: 'u1',
    promoteStatus: PROMOTE_STATUS.published,
  });

  const found = await get('/promotes/search/findByOrderId?orderId=7');
  assert.equal(found.json()._embedded.promotes[0].couponId, body.couponId);
  assert.equal((await get(`/promotes/${body.id}`)).json().orderId, 7);
  const search = await get('/promotes/search');
  assert.match(search.json()._links.findByOrderId.href, /\/promotes\/search\/findByOrderId\{\?orderId\}$/);
});

test('a small order earns the flat 1,000 won coupon, a large one the 10% coupon', async (t) => {
  const { post } = await marketingService(t);
  assert.equal((await post('/promotes', issue(1, 49_999))).json().couponKind, COUPON_KIND.thousandWonOff);
  assert.equal((await post('/promotes', issue(2, 50_000))).json().couponKind, COUPON_KIND.tenPercentOff);
});

test('asking twice for the same order gives the same coupon with 200 and publishes once', async (t) => {
  const { post, get, published, backlog } = await marketingService(t);
  const first = await post('/promotes', issue(3));
  const again = await post('/promotes', issue(3));
  assert.equal(again.statusCode, 200);
  assert.equal(again.headers.location, undefined);
  assert.equal(again.json().couponId, first.json().couponId);
  await eventually(async () => (await backlog()).unsent === 0, { what: 'outbox drained' });
  assert.equal(published.length, 1);
  assert.equal((await get('/promotes')).json().page.totalElements, 1);
});

test('cancelling an issued coupon marks it cancelled and publishes CouponCanceled once', async (t) => {
  const { post, get, published, backlog } = await marketingService(t);
  const issued = (await post('/promotes', issue(4))).json();
  const res = await post('/promotes/cancellations', cancel(4));
  assert.equal(res.statusCode, 200);
  assert.deepEqual(res.json(), { orderId: 4, promoteStatus: PROMOTE_STATUS.canceled, couponId: issued.couponId });

  const twice = await post('/promotes/cancellations', cancel(4));
  assert.equal(twice.statusCode, 200);
  assert.deepEqual(twice.json(), res.json());

  await eventually(async () => (await backlog()).unsent === 0, { what: 'outbox drained' });
  assert.deepEqual(
    published.map((e) => e.eventType),
    ['CouponPublished', 'CouponCanceled'],
  );
  const canceled = published[1];
  assert.equal(canceled?.eventType === 'CouponCanceled' && canceled.payload.couponId, issued.couponId);
  const promote = (await get(`/promotes/${issued.id}`)).json();
  assert.equal(promote.promoteStatus, PROMOTE_STATUS.canceled);

  const reissue = await post('/promotes', issue(4));
  assert.equal(reissue.statusCode, 409, 'a cancelled coupon is not issued again');
});

test('a cancellation that arrives before the coupon bars it: nothing is issued and nothing is listed', async (t) => {
  const { post, get, published, backlog } = await marketingService(t);
  const early = await post('/promotes/cancellations', cancel(5));
  assert.equal(early.statusCode, 200);
  assert.deepEqual(early.json(), { orderId: 5, promoteStatus: PROMOTE_STATUS.canceled, couponId: null });

  const late = await post('/promotes', issue(5));
  assert.equal(late.statusCode, 409);
  assert.equal(late.headers['content-type'], 'application/problem+json; charset=utf-8');
  assert.equal(late.json().status, 409);

  await eventually(async () => (await backlog()).unsent === 0, { what: 'outbox drained' });
  assert.equal(published.length, 0, 'neither a coupon nor its cancellation was published');
  assert.equal((await get('/promotes')).json().page.totalElements, 0, 'the placeholder is not a promote');
  assert.deepEqual((await get('/promotes/search/findByOrderId?orderId=5')).json()._embedded.promotes, []);
  assert.equal((await get('/promotes/1')).statusCode, 404);
});

test('the list pages and sorts promotes', async (t) => {
  const { post, get } = await marketingService(t);
  for (const id of [10, 11, 12]) await post('/promotes', issue(id));
  const page = (await get('/promotes?page=1&size=2&sort=orderId,desc')).json();
  assert.deepEqual(
    page._embedded.promotes.map((p: { orderId: number }) => p.orderId),
    [10],
  );
  assert.deepEqual(page.page, { size: 2, totalElements: 3, totalPages: 2, number: 1 });
  assert.equal((await get('/promotes?sort=reason')).statusCode, 400);
});

test('bad input is refused with problem+json and writes nothing', async (t) => {
  const { post, get } = await marketingService(t);
  const bad: [string, object][] = [
    ['/promotes', { ...issue(1), amount: -1 }],
    ['/promotes', { ...issue(1), extra: 1 }],
    ['/promotes', { orderId: 'x' }],
    ['/promotes', { ...issue(1), phoneNo: 'call me' }],
    ['/promotes/cancellations', { orderId: 1, userId: 'u1' }],
    ['/promotes/cancellations', { ...cancel(0) }],
  ];
  for (const [url, payload] of bad) {
    const res = await post(url, payload);
    assert.equal(res.statusCode, 400, `${url} ${JSON.stringify(payload)}`);
    assert.equal(res.headers['content-type'], 'application/problem+json; charset=utf-8');
    assert.equal(res.json().status, 400);
  }
  assert.equal((await get('/promotes')).json().page.totalElements, 0);
  assert.equal((await post('/promotes', issue(1))).statusCode, 201, 'order 1 was not barred by a refused request');
});
