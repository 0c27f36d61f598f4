import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { EmbeddedSystem } from '@12street/embedded';
import type { BrowserContext, Locator, Page } from 'playwright-core';
import { startSystem } from '../e2e/support.ts';
import {
  actIn,
  browserMissing,
  ensureWebAppBuilt,
  launchBrowser,
  openPage,
  screenshot,
  seeAttribute,
  seeCount,
  seeFocused,
  seeText,
  signInAs,
  WEB_DIST,
} from './support.ts';

// The storefront and the saga console in a real browser against a real embedded system: the same
// gateway, services, SQLite files and events as `npm start`, on free ports.
const skip = browserMissing();
const PHONE = { width: 390, height: 844 };
const ALL_EVENTS = [
  'OrderPlaced',
  'PaymentApproved',
  'CouponPublished',
  'DeliveryStarted',
  'OrderCanceled',
  'PaymentCanceled',
  'CouponCanceled',
  'DeliveryCanceled',
];

let system: EmbeddedSystem;
let browser: BrowserContext;
let kim: Page;
let ops: Page;
const problems: string[] = [];
const cleanups: (() => Promise<void> | void)[] = [];
const suite = { after: (fn: () => Promise<void> | void) => void cleanups.push(fn) };

before(async () => {
  if (skip) return;
  ensureWebAppBuilt();
  system = await startSystem(suite, {
    webApp: WEB_DIST,
    // Opens after three failed calls and stays open long enough to be seen in the console.
    paymentBreaker: { timeoutMs: 300, failureRatio: 0.5, windowSize: 3, minimumCalls: 3, halfOpenAfterMs: 20_000 },
  });
  browser = await launchBrowser(suite);
  const customer = await openPage(browser, PHONE);
  const operator = await openPage(browser);
  kim = customer.page;
  ops = operator.page;
  cleanups.push(() => void problems.push(...customer.problems, ...operator.problems));
});

after(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
  assert.deepEqual(problems, [], 'no script errors and no Content Security Policy violations');
});

/** The text of the element that describes a form field (its hint, or its error). */
const descriptionOf = (field: Locator) =>
  field.evaluate(
    (element) => document.getElementById(element.getAttribute('aria-describedby') ?? '')?.textContent ?? '',
  );

const breakerOf = (page: Page, dependency: string) =>
  page
    .getByRole('list', { name: 'Circuit breakers' })
    .getByRole('listitem')
    .filter({ hasText: `→ ${dependency}` });

/** Flips a fault switch in the console, and waits until the console shows it flipped. */
async function setFault(page: Page, service: string, kind: 'none' | 'down') {
  await actIn(page);
  const row = page.getByRole('table', { name: 'Services' }).getByRole('row', { name: new RegExp(`^${service}`) });
  await row.getByLabel(`Fault for ${service}`).selectOption(kind);
  await row.getByRole('button', { name: `Apply to ${service}` }).click();
  await seeText(row.locator('td').nth(3), kind);
}

async function fillOrder(page: Page) {
  await page.getByLabel('Delivery address').fill('12 Teheran-ro, Seoul');
  await page.getByLabel('Phone number').fill('010-1234-5678');
}

const myOrder = (page: Page, id: number) =>
  page
    .getByRole('list', { name: 'My orders' })
    .getByRole('listitem')
    .filter({ hasText: `Order #${id}` });

test('a customer signs in on a phone, places an order and sees it reach "Delivery Started"', { skip }, async () => {
  await actIn(kim);
  await kim.goto(system.urls.gateway);
  await kim.getByRole('heading', { name: 'Sign in to 12street' }).waitFor();
  await screenshot(kim, 'login');

  await signInAs(kim, system.urls.gateway, 'kim');
  await kim.getByRole('heading', { name: 'Shop', level: 1 }).waitFor();
  await kim.getByRole('button', { name: 'Choose Headphones' }).click();
  await seeFocused(kim.getByLabel('Quantity'));
  await kim.getByLabel('Quantity').fill('2');
  await fillOrder(kim);
  await kim.getByRole('button', { name: 'Place order' }).click();

  await kim.getByRole('status').filter({ hasText: 'Order #1 placed' }).waitFor();
  await seeText(myOrder(kim, 1), 'Delivery Started');
  await seeText(myOrder(kim, 1), '2 × Headphones');
  await kim
    .getByRole('status')
    .filter({ hasText: /^Live$/ })
    .waitFor();
  const width = await kim.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(width <= PHONE.width, `nothing is wider than the phone's screen (${width} px)`);
  await screenshot(kim, 'storefront');
});

test('invalid input is refused by the API (400) and explained at the field', { skip }, async () => {
  const place = kim.getByRole('button', { name: 'Place order' });
  await kim.getByLabel('Quantity').fill('0');
  await place.click();
  await seeText(kim.getByRole('alert'), 'Please check the order');
  await seeAttribute(kim.getByLabel('Quantity'), 'aria-invalid', 'true');
  assert.match(await descriptionOf(kim.getByLabel('Quantity')), /whole number from 1 to 10,000/);

  await kim.getByLabel('Quantity').fill('1');
  await kim.getByLabel('Phone number').fill('call me');
  await place.click();
  await seeAttribute(kim.getByLabel('Phone number'), 'aria-invalid', 'true');
  await seeAttribute(kim.getByLabel('Quantity'), 'aria-invalid', null);
  assert.match(await descriptionOf(kim.getByLabel('Phone number')), /digits, spaces/);
  await kim.getByLabel('Phone number').fill('010-1234-5678');
});

test('the customer cancels the order and watches the compensation run to "Order Canceled"', { skip }, async () => {
  await myOrder(kim, 1).getByRole('link').click();
  await seeFocused(kim.getByRole('heading', { name: 'Order #1', level: 1 }));
  await seeText(kim.locator('.big-status'), 'Delivery Started');
  await kim.getByRole('button', { name: 'Cancel order' }).click();

  await kim.getByRole('status').filter({ hasText: 'Cancellation requested' }).waitFor();
  await seeText(kim.locator('.big-status'), 'Order Canceled');
  const compensation = kim.getByRole('region', { name: 'Compensation' });
  for (const step of ['Order canceled', 'Payment canceled', 'Coupon canceled', 'Delivery canceled']) {
    await seeText(compensation.getByRole('listitem').filter({ hasText: step }), 'done at');
  }
  await seeCount(kim.getByRole('button', { name: 'Cancel order' }), 0);
  await screenshot(kim, 'order-detail');
});

test('ops follows the canceled order across every service: all eight events on the timeline', { skip }, async () => {
  await actIn(ops);
  await signInAs(ops, system.urls.gateway, 'ops');
  await ops.getByRole('heading', { name: 'Saga console', level: 1 }).waitFor();
  await ops.getByRole('button', { name: 'Payments (payment)' }).click();
  await seeText(ops.getByRole('table', { name: /Payments/ }), 'Pay Canceled');
  await ops
    .getByRole('table', { name: /Payments/ })
    .getByRole('link', { name: '#1' })
    .click();

  await ops.getByRole('heading', { name: 'Order #1 across the services' }).waitFor();
  const timeline = ops.getByRole('table', { name: 'Event timeline' });
  await seeCount(timeline.getByRole('row'), 1 + ALL_EVENTS.length);
  for (const eventType of ALL_EVENTS) await seeText(timeline, eventType);
  await seeText(timeline.getByRole('row').filter({ hasText: 'PaymentApproved' }), 'amount 700000');
  await seeText(ops.getByRole('region', { name: 'Payment' }), 'Pay Canceled');
  await seeText(ops.getByRole('region', { name: 'Delivery' }), 'Delivery Canceled');
  await seeText(ops.getByRole('region', { name: 'Coupon' }), 'Coupon Canceled');
  await screenshot(ops, 'saga-timeline');
});

test('ops takes marketing down: the delivery waits for its coupon, then starts by itself', { skip }, async () => {
  await ops.getByRole('link', { name: 'Saga console' }).click();
  await setFault(ops, 'marketing', 'down');

  await actIn(kim);
  await kim.getByRole('link', { name: 'Back to the shop' }).click();
  await fillOrder(kim);
  await kim.getByRole('button', { name: 'Place order' }).click();
  await kim.getByRole('status').filter({ hasText: 'Order #2 placed' }).waitFor();
  await seeText(myOrder(kim, 2), 'Payment Approved');

  await actIn(ops);
  await ops.getByRole('button', { name: 'Deliveries (delivery)' }).click();
  await seeText(ops.getByRole('table', { name: /Deliveries/ }), 'Awaiting Coupon');
  await seeText(breakerOf(ops, 'marketing'), 'open');

  await setFault(ops, 'marketing', 'none');
  await seeText(myOrder(kim, 2), 'Delivery Started');
  await seeText(ops.getByRole('table', { name: /Deliveries/ }), 'Delivery Started');
});

test('ops takes payment down: the breaker opens and orders are refused with a clear message', { skip }, async () => {
  await setFault(ops, 'payment', 'down');
  await actIn(kim);
  const refusal = kim.getByRole('alert');
  const place = kim.getByRole('button', { name: 'Place order' });
  for (let attempt = 0; attempt < 6; attempt++) {
    await place.click();
    await place.waitFor(); // named "Placing order…" while the request is on its way
    await seeText(refusal, 'Payment is unavailable');
    if ((await refusal.textContent())?.includes('circuit open')) break;
  }
  await seeText(refusal, 'Payment is unavailable (circuit open)');
  await seeText(refusal, 'Your order was not placed and nothing was charged');
  await screenshot(kim, 'storefront-payment-unavailable');

  await actIn(ops);
  await seeText(breakerOf(ops, 'payment'), 'open');
  await seeText(ops.getByRole('table', { name: 'Services' }).getByRole('row', { name: /^payment/ }), 'down');
  await screenshot(ops, 'console-faults');
  await setFault(ops, 'payment', 'none');
});
