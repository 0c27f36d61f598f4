import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DEMO_ACCOUNTS } from '../src/compose.ts';
import { AUDIENCE, ISSUER, identity, PROBLEM } from './support.ts';

const [kim] = DEMO_ACCOUNTS.users;
const [opsClient] = DEMO_ACCOUNTS.clients;
const password = { grant_type: 'password', username: 'kim', password: kim?.password ?? '' };
const clientCredentials = {
  grant_type: 'client_credentials',
  client_id: opsClient?.clientId ?? '',
  client_secret: opsClient?.secret ?? '',
};

test('a person signs in with username and password, as a form or as JSON, for a short-lived ES256 token', async (t) => {
  const id = await identity(t);
  for (const reply of [await id.form(password), await id.json(password)]) {
    assert.equal(reply.statusCode, 200, reply.body);
    assert.equal(reply.headers['cache-control'], 'no-store');
    const body = reply.json();
    assert.equal(body.token_type, 'Bearer');
    assert.equal(body.expires_in, 900);
    const { payload, protectedHeader } = await id.verify(body.access_token);
    assert.equal(protectedHeader.alg, 'ES256');
    assert.equal(protectedHeader.typ, 'at+jwt');
    assert.equal(protectedHeader.kid, (await id.jwks()).keys[0].kid);
    assert.equal(payload.sub, 'u1');
    assert.deepEqual(payload.roles, ['customer']);
    assert.equal(payload.iss, ISSUER);
    assert.equal(payload.aud, AUDIENCE);
    assert.equal(payload.nbf, payload.iat);
    assert.equal((payload.exp ?? 0) - (payload.iat ?? 0), 900);
    assert.ok(Math.abs((payload.iat ?? 0) - Date.now() / 1000) < 5);
  }
});

test('a machine signs in with client credentials, in the body or a Basic header, for an ops token', async (t) => {
  const id = await identity(t, { tokenTtlSeconds: 300 });
  const basic = Buffer.from(`${clientCredentials.client_id}:${clientCredentials.client_secret}`).toString('base64');
  for (const reply of [
    await id.form(clientCredentials),
    await id.form({ grant_type: 'client_credentials' }, { authorization: `Basic ${basic}` }),
  ]) {
    assert.equal(reply.statusCode, 200, reply.body);
    assert.equal(reply.json().expires_in, 300);
    const { payload } = await id.verify(reply.json().access_token);
    assert.equal(payload.sub, 'ops-client');
    assert.equal(payload.client_id, 'ops-client');
    assert.deepEqual(payload.roles, ['ops']);
  }
});

test('a wrong password and an unknown user get the same 400 invalid_grant, not a hint which', async (t) => {
  const id = await identity(t);
  const wrong = await id.form({ ...password, password: 'not-it' });
  const unknown = await id.form({ ...password, username: 'nobody' });
  for (const reply of [wrong, unknown]) {
    assert.equal(reply.statusCode, 400);
    assert.equal(reply.headers['content-type'], PROBLEM);
    assert.equal(reply.json().error, 'invalid_grant');
    assert.equal(reply.headers['cache-control'], 'no-store');
  }
  assert.equal(wrong.json().detail, unknown.json().detail);
  assert.equal((await id.form({ ...password, username: 'KIM' })).statusCode, 400, 'names match exactly');
});

test('a wrong client secret gets 401 invalid_client with a Basic challenge', async (t) => {
  const id = await identity(t);
  for (const fields of [
    { ...clientCredentials, client_secret: 'not-it' },
    { ...clientCredentials, client_id: 'nobody' },
  ]) {
    const reply = await id.form(fields);
    assert.equal(reply.statusCode, 401);
    assert.equal(reply.headers['content-type'], PROBLEM);
    assert.equal(reply.json().error, 'invalid_client');
    assert.match(reply.headers['www-authenticate'] as string, /^Basic realm="12street"/);
  }
  const garbled = await id.form(
    { grant_type: 'client_credentials' },
    { authorization: `Basic ${Buffer.from('no-colon').toString('base64')}` },
  );
  assert.equal(garbled.statusCode, 401);
});

test('malformed token requests are 400 with the OAuth error that fits, never a 500', async (t) => {
  const id = await identity(t);
  const cases: [string, () => ReturnType<typeof id.form>, string][] = [
    ['no grant_type', () => id.form({ username: 'kim', password: 'x' }), 'invalid_request'],
    ['an unknown grant', () => id.form({ grant_type: 'authorization_code', code: 'x' }), 'unsupported_grant_type'],
    ['no password', () => id.form({ grant_type: 'password', username: 'kim' }), 'invalid_request'],
    ['an empty username', () => id.form({ ...password, username: '' }), 'invalid_request'],
    ['a password too long', () => id.form({ ...password, password: 'x'.repeat(1025) }), 'invalid_request'],
    ['a number for a name', () => id.json({ ...password, username: 42 }), 'invalid_request'],
    ['a JSON array', () => id.json([password]), 'invalid_request'],
    [
      'a parameter twice',
      () =>
        id.service.app.inject({
          method: 'POST',
          url: '/oauth/token',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          payload: 'grant_type=password&username=kim&username=lee&password=x',
        }),
      'invalid_request',
    ],
    [
      'two ways of client authentication',
      () =>
        id.form(clientCredentials, {
          authorization: `Basic ${Buffer.from('ops-client:x').toString('base64')}`,
        }),
      'invalid_request',
    ],
  ];
  for (const [what, send, error] of cases) {
    const reply = await send();
    assert.equal(reply.statusCode, 400, `${what}: ${reply.body}`);
    assert.equal(reply.headers['content-type'], PROBLEM, what);
    assert.equal(reply.json().error, error, what);
  }
  const send = (contentType: string, payload: string) =>
    id.service.app.inject({ method: 'POST', url: '/oauth/token', headers: { 'content-type': contentType }, payload });
  assert.equal((await send('text/plain', 'grant_type=password')).json().error, 'invalid_request');
  assert.equal((await send('application/xml', '<grant_type/>')).statusCode, 415);
  assert.equal((await send('application/json', '{"grant_type":')).statusCode, 400);
});
