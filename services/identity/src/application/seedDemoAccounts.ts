import type { Role } from '../domain/account.ts';
import type { SetupDeps } from './ports.ts';

/**
 * The embedded mode's demo accounts, with passwords everyone can read: for trying the system on
 * one machine only. They are created on the first start of an empty store, never in production.
 */
export const DEMO_ACCOUNTS = {
  users: [
    { userId: 'u1', username: 'kim', password: 'kim-demo-password', roles: ['customer'] as Role[] },
    { userId: 'u2', username: 'lee', password: 'lee-demo-password', roles: ['customer'] as Role[] },
    { userId: 'ops1', username: 'ops', password: 'ops-demo-password', roles: ['ops'] as Role[] },
  ],
  clients: [{ clientId: 'ops-client', secret: 'ops-client-demo-secret', roles: ['ops'] as Role[] }],
};

export function seedDemoAccounts(deps: SetupDeps) {
  return async (): Promise<boolean> => {
    if (await deps.inTransaction((tx) => deps.store.hasAccounts(tx))) return false;
    const users = await Promise.all(
      DEMO_ACCOUNTS.users.map(async ({ password, ...user }) => ({
        ...user,
        passwordHash: await deps.secrets.hash(password),
      })),
    );
    const clients = await Promise.all(
      DEMO_ACCOUNTS.clients.map(async ({ secret, ...client }) => ({
        ...client,
        secretHash: await deps.secrets.hash(secret),
      })),
    );
    return deps.inTransaction(async (tx) => {
      if (await deps.store.hasAccounts(tx)) return false;
      for (const user of users) await deps.store.addUser(tx, user);
      for (const client of clients) await deps.store.saveClient(tx, client);
      return true;
    });
  };
}
