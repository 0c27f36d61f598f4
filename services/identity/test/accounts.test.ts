import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { test } from 'node:test';
import { tempDir } from '@12street/testkit';
import pino from 'pino';
import { DEFAULT_SCRYPT_COST, DEMO_ACCOUNTS } from '../src/compose.ts';
import { identity } from './support.ts';

const [kim] = DEMO_ACCOUNTS.users;
const kimSignIn = { grant_type: 'password', username: 'kim', password: kim?.password ?? '' };

test('passwords and secrets are stored as scrypt hashes with a salt each, never as given', async (t) => {
  const id = await identity(t, { passwordCost: DEFAULT_SCRYPT_COST });
  const users = await id.db.selectFrom('users').selectAll().execute();
  assert.deepEqual(users.map((u) => u.user_id).sort(), ['ops1', 'u1', 'u2']);
  for (const user of users) {
    assert.match(user.password_hash, /^scrypt\$32768\$8\$1\$[A-Za-z0-9+/=]{24}\$[A-Za-z0-9+/=]{44}$/);
    const given = DEMO_ACCOUNTS.users.find((u) => u.userId === user.user_id)?.password ?? '';
    assert.ok(!user.password_hash.includes(given));
  }
  assert.equal((await id.form(kimSignIn)).statusCode, 200, 'and still verifies');

  const same = 'the-same-secret-for-both';
  const twins = await identity(t, {
    clients: [
      { clientId: 'a', secret: same, roles: ['ops'] },
      { clientId: 'b', secret: same, roles: ['ops'] },
    ],
  });
  const clients = await twins.db.selectFrom('clients').selectAll().execute();
  assert.equal(clients.length, 2);
  assert.notEqual(clients[0]?.secret_hash, clients[1]?.secret_hash, 'the same secret hashes differently');
  assert.ok(clients.every((c) => !c.secret_hash.includes(same)));
});

test('demo accounts are made on the first start of an empty store when asked, and only then', async (t) => {
  const dir = tempDir(t);
  const withoutDemo = await identity(t, { dir, demoAccounts: false });
  assert.equal((await withoutDemo.form(kimSignIn)).statusCode, 400, 'no demo accounts unless asked');
  await withoutDemo.service.stop();

  const first = await identity(t, { dir, demoAccounts: true });
  assert.equal((await first.form(kimSignIn)).statusCode, 200);
  await first.service.stop();
  const again = await identity(t, { dir, demoAccounts: true });
  assert.equal((await again.db.selectFrom('users').selectAll().execute()).length, 3, 'not made twice');

  const provisioned = await identity(t, {
    demoAccounts: true,
    clients: [{ clientId: 'ci', secret: 'a-secret-from-the-env', roles: ['ops'] }],
  });
  assert.equal((await provisioned.db.selectFrom('users').selectAll().execute()).length, 0, 'a store in use gets none');
});

test("a provisioned client's secret follows the configuration: after a change the old one stops working", async (t) => {
  const dir = tempDir(t);
  const grant = (secret: string) => ({ grant_type: 'client_credentials', client_id: 'batch', client_secret: secret });
  const before = await identity(t, {
    dir,
    clients: [{ clientId: 'batch', secret: 'old-secret-123456', roles: ['ops'] }],
  });
  assert.equal((await before.form(grant('old-secret-123456'))).statusCode, 200);
  await before.service.stop();
  const after = await identity(t, {
    dir,
    clients: [{ clientId: 'batch', secret: 'new-secret-654321', roles: ['ops'] }],
  });
  assert.equal((await after.form(grant('old-secret-123456'))).statusCode, 401);
  assert.equal((await after.form(grant('new-secret-654321'))).statusCode, 200);
});

test('no password or secret reaches the logs, even at trace level and when a sign-in fails', async (t) => {
  const lines: string[] = [];
  const logger = pino(
    { level: 'trace' },
    new Writable({
      write(chunk, _encoding, done) {
        lines.push(chunk.toString());
        done();
      },
    }),
  );
  const id = await identity(t, {
    logger,
    clients: [{ clientId: 'logged', secret: 'client-secret-xyz', roles: ['ops'] }],
  });
  await id.form(kimSignIn);
  await id.form({ ...kimSignIn, password: 'a-wrong-password-xyz' });
  await id.json({ grant_type: 'client_credentials', client_id: 'logged', client_secret: 'client-secret-xyz' });
  await id.json({ grant_type: 'password', username: 'kim', password: 42 });
  assert.ok(lines.length > 0, 'the service did log');
  const logs = lines.join('\n');
  for (const secret of ['a-wrong-password-xyz', 'client-secret-xyz', ...DEMO_ACCOUNTS.users.map((u) => u.password)]) {
    assert.ok(!logs.includes(secret), `"${secret}" was logged`);
  }
});
