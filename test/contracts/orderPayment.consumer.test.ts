import assert from 'node:assert/strict';
import { PAY_STATUS } from '@12street/contracts';
import { createBreaker, isServerSideFailure, ORIGINAL_BREAKER } from '@12street/platform';
import { sampleOrder } from '@12street/testkit';
import { MatchersV3 } from '@pact-foundation/pact';
import { paymentDesk } from '../../services/order/src/adapters/clients/paymentDesk.ts';
import { consumerContracts } from './support/pactFiles.ts';

const { eachLike, integer, like, regex } = MatchersV3;

// order (consumer) → payment (provider): the calls order's payment desk makes, through the real adapter.
const { contract, pactWith } = consumerContracts('order');
const payment = pactWith('payment');

const desk = (url: string) =>
  paymentDesk(url, createBreaker('payment', ORIGINAL_BREAKER, isServerSideFailure), ORIGINAL_BREAKER);
const PROBLEM_TYPE = { 'Content-Type': 'application/problem+json' };
const details = sampleOrder();
/** The approval request as order sends it: the order's id and details, each field by type. */
const approvalFor = (orderId: number) => ({
  orderId: integer(orderId),
  productId: integer(details.productId),
  productName: like(details.productName),
  productPrice: like(details.productPrice),
  qty: integer(details.qty),
  userId: like(details.userId),
  username: like(details.username),
  address: like(details.address),
  phoneNo: like(details.phoneNo),
});
const approved = (orderId: number) => ({ orderId: integer(orderId), payStatus: PAY_STATUS.approved });

contract('payment approves a new order: 201 with the approved payment', () =>
  payment
    .addInteraction()
    .given('no payment exists for the order', { orderId: 1 })
    .uponReceiving('a request to approve the payment of a new order')
    .withRequest('POST', '/payments', (b) => b.jsonBody(approvalFor(1)))
    .willRespondWith(201, (b) => b.jsonBody(approved(1)))
    .executeTest((server) => desk(server.url).approvePayment({ orderId: 1, ...details })),
);

contract('asking again for an approved payment is answered 200 with the same payment', () =>
  payment
    .addInteraction()
    .given('the payment of the order is approved', { orderId: 2 })
    .uponReceiving('a repeated request to approve an approved payment')
    .withRequest('POST', '/payments', (b) => b.jsonBody(approvalFor(2)))
    .willRespondWith(200, (b) => b.jsonBody(approved(2)))
    .executeTest((server) => desk(server.url).approvePayment({ orderId: 2, ...details })),
);

contract('payment refuses an order it voided: 409 with the reason in the problem detail', () =>
  payment
    .addInteraction()
    .given('the payment of the order was voided', { orderId: 3 })
    .uponReceiving('a request to approve the payment of a voided order')
    .withRequest('POST', '/payments', (b) => b.jsonBody(approvalFor(3)))
    .willRespondWith(409, (b) => b.headers(PROBLEM_TYPE).jsonBody({ detail: like('order 3 cannot be paid') }))
    .executeTest(async (server) => {
      await assert.rejects(desk(server.url).approvePayment({ orderId: 3, ...details }), {
        name: 'PaymentRefused',
        message: /order 3 cannot be paid/,
      });
    }),
);

contract('voiding an approved payment cancels it: 200', () =>
  payment
    .addInteraction()
    .given('the payment of the order is approved', { orderId: 4 })
    .uponReceiving('a request to void the payment of an abandoned order')
    .withRequest('POST', '/payments/void', (b) =>
      b.jsonBody({ orderId: integer(4), reason: like('payment never answered') }),
    )
    .willRespondWith(200, (b) => b.jsonBody({ orderId: integer(4), payStatus: PAY_STATUS.canceled }))
    .executeTest((server) => desk(server.url).voidPayment({ orderId: 4, reason: 'payment never answered' })),
);

contract("an order's approved payment is found by its order id", () =>
  payment
    .addInteraction()
    .given('the payment of the order is approved', { orderId: 5 })
    .uponReceiving('a search for the payments of an order that was paid')
    .withRequest('GET', '/payments/search/findByOrderId', (b) => b.query({ orderId: '5' }))
    .willRespondWith(200, (b) =>
      b.jsonBody({
        _embedded: {
          payments: eachLike({
            orderId: integer(5),
            payStatus: regex(`^${PAY_STATUS.approved}$`, PAY_STATUS.approved),
          }),
        },
      }),
    )
    .executeTest(async (server) => assert.equal(await desk(server.url).hasApprovedPayment(5), true)),
);

contract('an order payment never saw has no payments', () =>
  payment
    .addInteraction()
    .given('no payment exists for the order', { orderId: 6 })
    .uponReceiving('a search for the payments of an order that was never paid')
    .withRequest('GET', '/payments/search/findByOrderId', (b) => b.query({ orderId: '6' }))
    .willRespondWith(200, (b) => b.jsonBody({ _embedded: { payments: [] } }))
    .executeTest(async (server) => assert.equal(await desk(server.url).hasApprovedPayment(6), false)),
);
