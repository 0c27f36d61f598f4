import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { test } from 'node:test';
import { DEMO_ACCOUNTS } from '@12street/identity';
import { eventually, tempDir } from '@12street/testkit';
import fc from 'fast-check';
import { type FuzzRequest, MARK, operationsOf, type Principal, requests } from './fuzzRequests.ts';
import { type Json, signIn, startSystem } from './support.ts';

const RUNS = 10_000;
const PUBLIC = new Set(['/oauth/token', '/.well-known/jwks.json', '/openapi.json']);
const OPS_ONLY = ['/payments', '/stockDeliveries', '/promotes'];
/** Refusals that must leave no trace. A 409 to POST /orders is the exception: a refused order is kept as "Rejected". */
const refused = (r: FuzzRequest, status: number) =>
  status >= 400 && status < 500 && !(status === 409 && r.operation.path === '/orders');

/** Every value of a `userId` field anywhere in a document. */
function userIdsIn(node: Json, out: string[] = []): string[] {
  if (Array.isArray(node)) for (const n of node) userIdsIn(n, out);
  else if (node && typeof node === 'object') {
    for (const [key, value] of Object.entries(node)) {
      if (key === 'userId' && typeof value === 'string') out.push(value);
      else userIdsIn(value, out);
    }
  }
  return out;
}

/** The markers of the requests whose strings were stored, read from every service's database file. */
function storedMarkers(dataDir: string): Set<string> {
  const found = new Set<string>();
  for (const file of readdirSync(dataDir).filter((f) => f.endsWith('.db'))) {
    const db = new DatabaseSync(join(dataDir, file), { readOnly: true });
    const tables = db.prepare("select name from sqlite_master where type = 'table'").all() as { name: string }[];
    for (const { name } of tables) {
      const text = JSON.stringify(db.prepare(`select * from "${name}"`).all());
      for (const m of text.matchAll(/FZ\d+Z/g)) found.add(m[0]);
    }
    db.close();
  }
  return found;
}

test(`${RUNS} generated requests over every public route: no 5xx, only documented answers, refusals write nothing`, async (t) => {
  const dataDir = tempDir(t);
  const system = await startSystem(t, { dataDir });
  const gateway = system.gateway.app;
  const doc = (await gateway.inject({ url: '/openapi.json' })).json();
  const operations = operationsOf(doc);
  const base = system.urls.gateway;
  const kim = await signIn(base, 'kim');
  const [head, , signature] = kim.split('.');
  const opsClient = (
    await gateway.inject({
      method: 'POST',
      url: '/oauth/token',
      payload: {
        grant_type: 'client_credentials',
        client_id: 'ops-client',
        client_secret: DEMO_ACCOUNTS.clients[0]?.secret,
      },
    })
  ).json().access_token;
  const tokens: Record<Principal, string | undefined> = {
    kim,
    lee: await signIn(base, 'lee'),
    ops: await signIn(base, 'ops'),
    opsClient,
    none: undefined,
    garbage: 'not.a.token',
    tampered: `${head}.${Buffer.from(JSON.stringify({ sub: 'ops1', roles: ['ops'] })).toString('base64url')}.${signature}`,
  };
  const customerId: Partial<Record<Principal, string>> = { kim: 'u1', lee: 'u2' };
  const orders = new DatabaseSync(join(dataDir, 'order.db'), { readOnly: true });
  t.after(() => orders.close());
  const orderRows = () => Number((orders.prepare('select count(*) as n from orders').get() as { n: number }).n);

  const refusedMarkers = new Set<string>();
  const seen = new Map<string, Map<number, number>>();
  let sequence = 0;
  const started = performance.now();

  await fc.assert(
    fc.asyncProperty(
      requests(doc, {
        passwords: Object.fromEntries(DEMO_ACCOUNTS.users.map((u) => [u.username, u.password])),
        clientSecret: DEMO_ACCOUNTS.clients[0]?.secret ?? '',
      }),
      async (r) => {
        const marker = `FZ${++sequence}Z`;
        const token = tokens[r.principal];
        const before = r.operation.method === 'POST' && r.operation.path === '/orders' ? orderRows() : undefined;
        const reply = await gateway.inject({
          method: r.operation.method as 'GET',
          url: r.url,
          headers: {
            ...(token ? { authorization: `Bearer ${token}` } : {}),
            ...(r.contentType ? { 'content-type': r.contentType } : {}),
            ...(r.spoofed ? { 'x-user-id': 'u2', 'x-user-roles': 'ops' } : {}),
          },
          ...(r.body === undefined ? {} : { payload: r.body.replaceAll(MARK, marker) }),
        });
        const status = reply.statusCode;
        const where = `${r.operation.method} ${r.url} as ${r.principal} → ${status} ${reply.body.slice(0, 200)}`;
        const key = `${r.operation.method} ${r.operation.path}`;
        const counts = seen.get(key) ?? new Map<number, number>();
        counts.set(status, (counts.get(status) ?? 0) + 1);
        seen.set(key, counts);

        assert.ok(status < 500, `no 5xx: ${where}`);
        assert.ok(r.operation.responses.has(String(status)), `documented: ${where}`);
        const isPublic = PUBLIC.has(r.operation.path);
        if (!isPublic && ['none', 'garbage', 'tampered'].includes(r.principal)) {
          assert.ok(status === 401 || status === 429, `no token, no access: ${where}`);
        }
        const customer = customerId[r.principal];
        if (customer && OPS_ONLY.some((p) => r.url.startsWith(p))) assert.ok(status >= 400, `ops only: ${where}`);
        if (customer && status < 300 && !isPublic) {
          for (const userId of userIdsIn(reply.json())) assert.equal(userId, customer, `own data only: ${where}`);
        }
        if (refused(r, status)) {
          if (r.body?.includes(MARK)) refusedMarkers.add(marker);
          if (before !== undefined) assert.equal(orderRows(), before, `a refused order wrote a row: ${where}`);
        }
      },
    ),
    { numRuns: RUNS },
  );
  const elapsed = performance.now() - started;
  t.diagnostic(`${RUNS} requests in ${Math.round(elapsed)} ms`);

  for (const operation of operations) {
    const counts = seen.get(`${operation.method} ${operation.path}`);
    assert.ok(
      counts && [...counts.values()].reduce((a, b) => a + b) >= 100,
      `${operation.method} ${operation.path} was tried`,
    );
  }
  const accepted = [...seen.values()].flatMap((c) => [...c.entries()]).filter(([s]) => s < 300);
  assert.ok(accepted.length > 0 && refusedMarkers.size > 1000, 'the run both got through and was refused');

  // Whatever the refused requests set in motion has settled; none of their strings was stored anywhere.
  await eventually(
    async () => {
      for (const service of Object.values(system.services)) {
        if ((await service.kernel.outboxBacklog()).unsent > 0) return false;
      }
      return true;
    },
    { what: 'every outbox drained' },
  );
  const stored = storedMarkers(dataDir);
  assert.ok(stored.size > 0, 'accepted requests did store their strings (the scan works)');
  const leaked = [...refusedMarkers].filter((m) => stored.has(m));
  assert.deepEqual(leaked, [], 'refused requests wrote nothing');
});
