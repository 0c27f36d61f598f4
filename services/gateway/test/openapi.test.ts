import assert from 'node:assert/strict';
import { test } from 'node:test';
import { testLogger } from '@12street/testkit';
import { createGateway } from '../src/compose.ts';

// biome-ignore lint/suspicious/noExplicitAny: the test walks an arbitrary JSON document.
type Json = any;

const EXPECTED: Record<string, string[]> = {
  '/orders': ['get', 'post'],
  '/orders/{id}': ['get', 'patch'],
  '/orders/{id}/cancel': ['post'],
  '/orders/search/findByUserId': ['get'],
  '/payments': ['get', 'post'],
  '/payments/{id}': ['get'],
  '/payments/void': ['post'],
  '/payments/search/findByOrderId': ['get'],
  '/stockDeliveries': ['get'],
  '/stockDeliveries/{id}': ['get'],
  '/stockDeliveries/search/findByOrderId': ['get'],
  '/promotes': ['get', 'post'],
  '/promotes/cancellations': ['post'],
  '/promotes/{id}': ['get'],
  '/promotes/search/findByOrderId': ['get'],
  '/orderStatus': ['get'],
  '/orderStatus/{orderId}': ['get'],
  '/orderStatus/search/findByUserId': ['get'],
  '/oauth/token': ['post'],
  '/.well-known/jwks.json': ['get'],
  '/openapi.json': ['get'],
};

const PUBLIC = new Set(['/oauth/token', '/.well-known/jwks.json', '/openapi.json']);

async function openApi(t: { after(fn: () => void): void }): Promise<Json> {
  const gateway = createGateway({
    logger: testLogger('gateway'),
    upstreams: {
      order: 'http://x',
      payment: 'http://x',
      delivery: 'http://x',
      marketing: 'http://x',
      orderStatus: 'http://x',
      identity: 'http://x',
    },
    auth: 'disabled',
    openApi: { version: '9.9.9' },
  });
  t.after(() => gateway.stop());
  const reply = await gateway.app.inject({ method: 'GET', url: '/openapi.json' });
  assert.equal(reply.statusCode, 200);
  return reply.json();
}

function refsIn(node: Json, out: string[] = []): string[] {
  if (Array.isArray(node)) for (const n of node) refsIn(n, out);
  else if (node && typeof node === 'object') {
    for (const [key, value] of Object.entries(node)) {
      if (key === '$ref') out.push(value as string);
      else refsIn(value, out);
    }
  }
  return out;
}

const resolve = (doc: Json, ref: string) =>
  ref
    .slice(2)
    .split('/')
    .reduce((node, part) => node?.[part.replaceAll('~1', '/').replaceAll('~0', '~')], doc);

test('the OpenAPI document is 3.1 and describes every public path and method', async (t) => {
  const doc = await openApi(t);
  assert.equal(doc.openapi, '3.1.0');
  assert.equal(doc.info.version, '9.9.9');
  for (const [path, methods] of Object.entries(EXPECTED)) {
    assert.ok(doc.paths[path], `path ${path}`);
    assert.deepEqual(Object.keys(doc.paths[path]).sort(), [...methods].sort(), path);
  }
  for (const [path, item] of Object.entries<Json>(doc.paths)) {
    const templated = [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
    for (const [method, operation] of Object.entries<Json>(item)) {
      if (path !== '/openapi.json') assert.ok(operation.responses['503'], `${method} ${path} can be unavailable`);
      assert.ok(operation.responses['429'], `${method} ${path} is rate limited`);
      const params = (operation.parameters ?? []).map((p: Json) => (p.$ref ? resolve(doc, p.$ref) : p));
      for (const name of templated) {
        assert.ok(
          params.some((p: Json) => p.in === 'path' && p.name === name),
          `${method} ${path} declares {${name}}`,
        );
      }
    }
  }
});

test('the document answers with the status codes each call can give', async (t) => {
  const { paths } = await openApi(t);
  const codes = (path: string, method: string) => Object.keys(paths[path][method].responses).sort();
  const guarded = ['401', '403', '429', '502', '503', '504'];
  const withBody = ['413', '415'];
  const sorted = (...lists: string[][]) => lists.flat().sort();
  assert.deepEqual(codes('/orders', 'post'), sorted(['201', '400', '409'], guarded, withBody));
  assert.deepEqual(codes('/orders/{id}', 'get'), sorted(['200', '400', '404'], guarded));
  assert.deepEqual(codes('/payments', 'post'), sorted(['200', '201', '400', '409'], guarded, withBody));
  assert.deepEqual(codes('/orderStatus', 'get'), sorted(['200', '400'], guarded));
  assert.deepEqual(
    codes('/oauth/token', 'post'),
    sorted(['200', '400', '401', '413', '415', '429', '502', '503', '504']),
  );
});

test('every operation needs a bearer token except getting one, the keys and the description', async (t) => {
  const doc = await openApi(t);
  assert.deepEqual(doc.security, [{ bearerAuth: [] }]);
  assert.equal(doc.components.securitySchemes.bearerAuth.scheme, 'bearer');
  for (const [path, item] of Object.entries<Json>(doc.paths)) {
    for (const [method, operation] of Object.entries<Json>(item)) {
      assert.deepEqual(operation.security, PUBLIC.has(path) ? [] : undefined, `${method} ${path}`);
    }
  }
});

test('every $ref in the document resolves within it, and the schemas come from the contracts', async (t) => {
  const doc = await openApi(t);
  const refs = refsIn(doc);
  assert.ok(refs.length > 50);
  for (const ref of new Set(refs)) {
    assert.ok(ref.startsWith('#/'), `${ref} is local`);
    assert.ok(resolve(doc, ref) !== undefined, `${ref} resolves`);
  }
  const { schemas } = doc.components;
  for (const name of [
    'PlaceOrderRequest',
    'PatchOrderRequest',
    'CancelOrderRequest',
    'OrderBody',
    'PaymentBody',
    'ApprovePaymentRequest',
    'StockDeliveryBody',
    'PromoteBody',
    'IssueCouponRequest',
    'CancelCouponRequest',
    'OrderStatusBody',
    'ProblemDetails',
    'OrderStatusPage',
  ]) {
    assert.ok(schemas[name], name);
  }
  assert.equal(schemas.PlaceOrderRequest.additionalProperties, false);
  assert.equal(schemas.PlaceOrderRequest.properties.phoneNo.pattern, '^[0-9+() -]+$');
  assert.deepEqual(schemas.OrderStatusPage.properties._embedded.required, ['orderStatuses']);
  assert.equal(JSON.stringify(doc).includes('~kind'), false, 'no TypeBox internals leak');
});
