import assert from 'node:assert/strict';
import { PROMOTE_STATUS } from '@12street/contracts';
import { createBreaker, isServerSideFailure, ORIGINAL_BREAKER } from '@12street/platform';
import { MatchersV3 } from '@pact-foundation/pact';
import { marketingCouponDesk } from '../../services/delivery/src/adapters/clients/marketingCouponDesk.ts';
import { consumerContracts } from './support/pactFiles.ts';

const { integer, like, number, regex } = MatchersV3;

// delivery (consumer) → marketing (provider): the calls delivery's coupon desk makes, through the real adapter.
const { contract, pactWith } = consumerContracts('delivery');
const marketing = pactWith('marketing');

const desk = (url: string) =>
  marketingCouponDesk(url, createBreaker('marketing', ORIGINAL_BREAKER, isServerSideFailure));
const customer = { userId: 'u1', username: 'kim', phoneNo: '010-1234-5678', amount: 10000 };
const issueRequestFor = (orderId: number) => ({
  orderId: integer(orderId),
  userId: like(customer.userId),
  username: like(customer.username),
  phoneNo: like(customer.phoneNo),
  amount: number(customer.amount),
});
const cancelRequestFor = (orderId: number) => ({
  orderId: integer(orderId),
  userId: like(customer.userId),
  reason: like('payment canceled'),
});
/** What delivery keeps of the answer: the coupon. */
const coupon = { couponId: integer(1), couponKind: like('1,000 Won Discount'), couponUseYn: regex('^[YN]$', 'N') };
const couponOf = { couponId: 1, couponKind: '1,000 Won Discount', couponUseYn: 'N' };

contract('marketing issues a coupon for a paid order: 201 with the coupon', () =>
  marketing
    .addInteraction()
    .given('no coupon exists for the order', { orderId: 1 })
    .uponReceiving("a request for a new order's coupon")
    .withRequest('POST', '/promotes', (b) => b.jsonBody(issueRequestFor(1)))
    .willRespondWith(201, (b) => b.jsonBody(coupon))
    .executeTest(async (server) =>
      assert.deepEqual(await desk(server.url).issueCoupon({ orderId: 1, ...customer }), couponOf),
    ),
);

contract('asking again for an issued coupon is answered 200 with the same coupon', () =>
  marketing
    .addInteraction()
    .given('the coupon of the order is issued', { orderId: 2 })
    .uponReceiving("a repeated request for an issued order's coupon")
    .withRequest('POST', '/promotes', (b) => b.jsonBody(issueRequestFor(2)))
    .willRespondWith(200, (b) => b.jsonBody(coupon))
    .executeTest(async (server) =>
      assert.deepEqual(await desk(server.url).issueCoupon({ orderId: 2, ...customer }), couponOf),
    ),
);

contract('marketing refuses the coupon of an order whose coupon was cancelled: 409', () =>
  marketing
    .addInteraction()
    .given('the coupon of the order was cancelled', { orderId: 3 })
    .uponReceiving("a request for a cancelled order's coupon")
    .withRequest('POST', '/promotes', (b) => b.jsonBody(issueRequestFor(3)))
    .willRespondWith(409)
    .executeTest(async (server) => {
      await assert.rejects(desk(server.url).issueCoupon({ orderId: 3, ...customer }), { name: 'CouponRefused' });
    }),
);

contract("cancelling an issued coupon is answered 200 and the coupon's status", () =>
  marketing
    .addInteraction()
    .given('the coupon of the order is issued', { orderId: 4 })
    .uponReceiving('a request to cancel an issued coupon')
    .withRequest('POST', '/promotes/cancellations', (b) => b.jsonBody(cancelRequestFor(4)))
    .willRespondWith(200, (b) => b.jsonBody({ orderId: integer(4), promoteStatus: PROMOTE_STATUS.canceled }))
    .executeTest((server) =>
      desk(server.url).cancelCoupon({ orderId: 4, userId: customer.userId, reason: 'payment canceled' }),
    ),
);

contract('cancelling a coupon never issued is accepted too (it is barred): 200', () =>
  marketing
    .addInteraction()
    .given('no coupon exists for the order', { orderId: 5 })
    .uponReceiving('a request to cancel a coupon that was never issued')
    .withRequest('POST', '/promotes/cancellations', (b) => b.jsonBody(cancelRequestFor(5)))
    .willRespondWith(200, (b) => b.jsonBody({ orderId: integer(5), promoteStatus: PROMOTE_STATUS.canceled }))
    .executeTest((server) =>
      desk(server.url).cancelCoupon({ orderId: 5, userId: customer.userId, reason: 'payment canceled' }),
    ),
);
