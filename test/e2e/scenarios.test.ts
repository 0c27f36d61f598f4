import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DELIVERY_STATUS, ORDER_STATUS, PAY_STATUS, PROMOTE_STATUS } from '@12street/contracts';
import { eventually, sampleOrder } from '@12street/testkit';
import { type Json, opsClient, startSystem } from './support.ts';

const customers = [
  { productId: 1, productName: 'TV', productPrice: 1_200_000, qty: 1, userId: 'u1', username: 'kim' },
  { productId: 2, productName: 'Radio', productPrice: 30_000, qty: 2, userId: 'u2', username: 'lee' },
  { productId: 3, productName: 'Phone', productPrice: 900_000, qty: 1, userId: 'u3', username: 'park' },
  { productId: 4, productName: 'Cable', productPrice: 5_000, qty: 3, userId: 'u4', username: 'choi' },
].map((c, i) => sampleOrder({ ...c, address: `Seoul ${i + 1}`, phoneNo: `010-0000-000${i + 1}` }));

const byOrder = (items: Json[]) => new Map(items.map((i) => [i.orderId ?? i.id, i]));

test('scenario 1: four orders are paid, get a coupon each and are delivered', async (t) => {
  const system = await startSystem(t);
  const api = await opsClient(system);

  const placed = [];
  for (const order of customers) {
    const reply = await api.post('/orders', order);
    assert.equal(reply.status, 201, JSON.stringify(reply.body));
    assert.equal(reply.headers.get('location'), reply.body._links.self.href);
    assert.ok(reply.body._links.self.href.startsWith(system.urls.gateway), 'links point at the gateway');
    assert.equal(reply.body.orderStatus, ORDER_STATUS.placed);
    placed.push(reply.body.id as number);
  }

  const statuses = await eventually(
    async () => {
      const all = await api.all('/orderStatus', 'orderStatuses');
      return all.length === 4 && all.every((s) => s.deliveryStatus === DELIVERY_STATUS.started) && all;
    },
    { what: 'every order delivered in the order-status view' },
  );

  const orders = byOrder(await api.all('/orders', 'orders'));
  const payments = byOrder(await api.all('/payments', 'payments'));
  const deliveries = byOrder(await api.all('/stockDeliveries', 'stockDeliveries'));
  const promotes = byOrder(await api.all('/promotes', 'promotes'));
  const views = byOrder(statuses);
  for (const [i, id] of placed.entries()) {
    const order = customers[i];
    assert.equal(orders.get(id).orderStatus, ORDER_STATUS.placed);
    assert.equal(payments.get(id).payStatus, PAY_STATUS.approved);
    assert.equal(payments.get(id).amount, (order?.productPrice as number) * (order?.qty as number));
    assert.equal(promotes.get(id).promoteStatus, PROMOTE_STATUS.published);
    assert.equal(promotes.get(id).couponUseYn, 'N');
    const delivery = deliveries.get(id);
    assert.equal(delivery.deliveryStatus, DELIVERY_STATUS.started);
    assert.equal(delivery.couponId, promotes.get(id).couponId, 'the delivery carries the coupon marketing issued');
    assert.equal(delivery.address, order?.address);
    const view = views.get(id);
    assert.equal(view.orderStatus, ORDER_STATUS.placed);
    assert.equal(view.payStatus, PAY_STATUS.approved);
    assert.equal(view.couponId, promotes.get(id).couponId);
    assert.deepEqual(
      new Set(view.timeline.map((e: Json) => e.eventType)),
      new Set(['OrderPlaced', 'PaymentApproved', 'CouponPublished', 'DeliveryStarted']),
    );
  }

  const found = await api.get(`/payments/search/findByOrderId?orderId=${placed[0]}`);
  assert.equal(found.status, 200);
  assert.equal(found.body._embedded.payments[0].orderId, placed[0]);
});

test('scenario 2: orders cancelled by PATCH are compensated in every service', async (t) => {
  const system = await startSystem(t);
  const api = await opsClient(system);
  const ids: number[] = [];
  for (const order of customers) ids.push((await api.post('/orders', order)).body.id);
  await eventually(
    async () =>
      (await api.all('/stockDeliveries', 'stockDeliveries')).filter((d) => d.deliveryStatus === DELIVERY_STATUS.started)
        .length === 4,
    { what: 'four deliveries started' },
  );

  const [first, second, third, fourth] = ids as [number, number, number, number];
  const notCancel = await api.patch(`/orders/${third}`, { orderStatus: 'Delivered' });
  assert.equal(notCancel.status, 400, 'a PATCH that is not a cancellation changes nothing');
  for (const id of [first, second]) {
    const reply = await api.patch(`/orders/${id}`, { orderStatus: ORDER_STATUS.canceled });
    assert.equal(reply.status, 200, JSON.stringify(reply.body));
    assert.equal(reply.body.orderStatus, ORDER_STATUS.canceled);
  }
  const command = await api.post(`/orders/${fourth}/cancel`, { reason: 'changed my mind' });
  assert.equal(command.status, 200);
  const twice = await api.patch(`/orders/${first}`, { orderStatus: ORDER_STATUS.canceled });
  assert.equal(twice.status, 409);
  assert.equal(twice.headers.get('content-type')?.startsWith('application/problem+json'), true);
  assert.equal((await api.post('/orders/999999/cancel')).status, 404);

  const canceled = new Set([first, second, fourth]);
  const views = await eventually(
    async () => {
      const all = byOrder(await api.all('/orderStatus', 'orderStatuses'));
      return [...canceled].every((id) => all.get(id)?.deliveryStatus === DELIVERY_STATUS.canceled) && all;
    },
    { what: 'cancellations compensated in the view' },
  );

  const orders = byOrder(await api.all('/orders', 'orders'));
  const payments = byOrder(await api.all('/payments', 'payments'));
  const deliveries = byOrder(await api.all('/stockDeliveries', 'stockDeliveries'));
  const promotes = byOrder(await api.all('/promotes', 'promotes'));
  for (const id of ids) {
    const isCanceled = canceled.has(id);
    assert.equal(orders.get(id).orderStatus, isCanceled ? ORDER_STATUS.canceled : ORDER_STATUS.placed);
    assert.equal(payments.get(id).payStatus, isCanceled ? PAY_STATUS.canceled : PAY_STATUS.approved);
    assert.equal(promotes.get(id).promoteStatus, isCanceled ? PROMOTE_STATUS.canceled : PROMOTE_STATUS.published);
    assert.equal(deliveries.get(id).deliveryStatus, isCanceled ? DELIVERY_STATUS.canceled : DELIVERY_STATUS.started);
    const view = views.get(id);
    assert.equal(view.orderStatus, isCanceled ? ORDER_STATUS.canceled : ORDER_STATUS.placed);
    if (isCanceled) {
      const types = view.timeline.map((e: Json) => e.eventType);
      for (const type of ['OrderCanceled', 'PaymentCanceled', 'CouponCanceled', 'DeliveryCanceled']) {
        assert.ok(types.includes(type), `${type} in the timeline of order ${id}`);
      }
      const at = (type: string) => view.timeline.find((e: Json) => e.eventType === type).occurredAt;
      assert.ok(at('CouponCanceled') <= at('DeliveryCanceled'), 'the coupon is cancelled before the delivery');
    }
  }
});
