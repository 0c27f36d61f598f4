import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import type { GatewayOptions } from '@12street/gateway';
import { tempDir } from '@12street/testkit';
import { gatewayWithoutServices } from './support.ts';

// How the gateway serves the built web app: no browser needed, a stand-in build in a temp dir.
const API_CSP = "default-src 'none';frame-ancestors 'none'";
const INDEX = '<!doctype html><title>12street</title><script type="module" src="/assets/app-1a2b.js"></script>';
const PAGE = { accept: 'text/html,application/xhtml+xml,*/*;q=0.8' };

function fakeBuild(t: { after(fn: () => void): void }) {
  const root = tempDir(t);
  mkdirSync(join(root, 'assets'));
  writeFileSync(join(root, 'index.html'), INDEX);
  writeFileSync(join(root, 'assets', 'app-1a2b.js'), 'console.log("app")');
  writeFileSync(join(root, 'favicon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
  return root;
}

async function gateway(t: { after(fn: () => Promise<void>): void }, webApp: GatewayOptions['webApp']) {
  const gw = await gatewayWithoutServices(t, webApp);
  return gw.app.listen({ port: 0, host: '127.0.0.1' });
}

test('the app is served at / without a token, under a policy that allows its own scripts and styles only', async (t) => {
  const url = await gateway(t, fakeBuild(t));
  const reply = await fetch(url, { headers: PAGE });
  assert.equal(reply.status, 200);
  assert.match(reply.headers.get('content-type') ?? '', /^text\/html/);
  assert.equal(await reply.text(), INDEX);
  const csp = reply.headers.get('content-security-policy') ?? '';
  assert.match(csp, /script-src 'self'/);
  assert.match(csp, /style-src 'self'/);
  assert.match(csp, /connect-src 'self'/);
  assert.match(csp, /frame-ancestors 'none'/);
  assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval/);
  assert.equal(reply.headers.get('cache-control'), 'no-cache', 'a new build is picked up at once');
});

test("a page reloaded at the app's own path gets the app; unknown API paths keep their problem 404", async (t) => {
  const url = await gateway(t, fakeBuild(t));
  for (const path of ['/shop', '/shop/orders/12', '/console/orders/3', '/login', '/index.html']) {
    const reply = await fetch(`${url}${path}`, { headers: PAGE });
    assert.equal(reply.status, 200, path);
    assert.equal(await reply.text(), INDEX, path);
  }
  for (const [path, headers] of [
    ['/nothing', { accept: 'application/json' }],
    ['/ops/overview', PAGE],
    ['/health/nothing', PAGE],
    ['/assets/missing-0000.js', PAGE],
  ] as const) {
    const reply = await fetch(`${url}${path}`, { headers });
    assert.equal(reply.status, 404, path);
    assert.equal(reply.headers.get('content-type'), 'application/problem+json; charset=utf-8', path);
    assert.equal(reply.headers.get('content-security-policy'), API_CSP, path);
  }
  const post = await fetch(`${url}/shop`, { method: 'POST', headers: PAGE });
  assert.equal(post.status, 404, 'only pages are read, nothing is posted to the app');
});

test('built assets are kept for good (their names change with their content); other files are revalidated', async (t) => {
  const url = await gateway(t, fakeBuild(t));
  const asset = await fetch(`${url}/assets/app-1a2b.js`);
  assert.equal(asset.status, 200);
  assert.match(asset.headers.get('content-type') ?? '', /javascript/);
  assert.match(asset.headers.get('cache-control') ?? '', /max-age=31536000.*immutable/);
  const icon = await fetch(`${url}/favicon.svg`);
  assert.equal(icon.status, 200);
  assert.equal(icon.headers.get('cache-control'), 'no-cache');
  const outside = await fetch(`${url}/assets/..%2findex.html`);
  assert.notEqual(outside.status, 200, 'nothing outside assets/ is served from there');
});

test('without a build the gateway says how to make one; the API works as before', async (t) => {
  const url = await gateway(t, tempDir(t));
  const reply = await fetch(url, { headers: PAGE });
  assert.equal(reply.status, 200);
  assert.match(await reply.text(), /npm run build -w @12street\/web/);
  assert.equal((await fetch(`${url}/openapi.json`)).status, 200);
});

test('webApp: false serves no app at all', async (t) => {
  const url = await gateway(t, false);
  assert.equal((await fetch(url, { headers: PAGE })).status, 404);
  assert.equal((await fetch(`${url}/shop`, { headers: PAGE })).status, 404);
});
