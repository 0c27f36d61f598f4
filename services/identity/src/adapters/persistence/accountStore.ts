import { sqlOf } from '@12street/platform';
import type { Generated, Kysely } from 'kysely';
import type { AccountQueries, AccountStore, StoredClient, StoredUser } from '../../application/ports.ts';
import { rolesFrom } from '../../domain/account.ts';

interface UsersTable {
  id: Generated<number>;
  user_id: string;
  username: string;
  password_hash: string;
  roles: string;
  created_at: string;
}

interface ClientsTable {
  id: Generated<number>;
  client_id: string;
  secret_hash: string;
  roles: string;
  updated_at: string;
}

export interface IdentityDatabase {
  users: UsersTable;
  clients: ClientsTable;
}

const rolesOf = (text: string) => rolesFrom(text.split(','));

export function accountStore(clock: () => Date): AccountStore {
  return {
    async hasAccounts(tx) {
      const db = sqlOf<IdentityDatabase>(tx);
      const user = await db.selectFrom('users').select('id').limit(1).executeTakeFirst();
      const client = await db.selectFrom('clients').select('id').limit(1).executeTakeFirst();
      return user !== undefined || client !== undefined;
    },
    async addUser(tx, user) {
      await sqlOf<IdentityDatabase>(tx)
        .insertInto('users')
        .values({
          user_id: user.userId,
          username: user.username,
          password_hash: user.passwordHash,
          roles: user.roles.join(','),
          created_at: clock().toISOString(),
        })
        .execute();
    },
    async saveClient(tx, client) {
      const db = sqlOf<IdentityDatabase>(tx);
      const row = { secret_hash: client.secretHash, roles: client.roles.join(','), updated_at: clock().toISOString() };
      const existing = await db
        .selectFrom('clients')
        .select('id')
        .where('client_id', '=', client.clientId)
        .executeTakeFirst();
      if (existing) await db.updateTable('clients').set(row).where('id', '=', existing.id).execute();
      else
        await db
          .insertInto('clients')
          .values({ client_id: client.clientId, ...row })
          .execute();
    },
  };
}

export function accountQueries(db: Kysely<IdentityDatabase>): AccountQueries {
  // MySQL compares strings without case by default; a name must match exactly on every engine.
  return {
    async userNamed(username): Promise<StoredUser | undefined> {
      const row = await db.selectFrom('users').selectAll().where('username', '=', username).executeTakeFirst();
      if (row?.username !== username) return undefined;
      return {
        userId: row.user_id,
        username: row.username,
        roles: rolesOf(row.roles),
        passwordHash: row.password_hash,
      };
    },
    async clientWithId(clientId): Promise<StoredClient | undefined> {
      const row = await db.selectFrom('clients').selectAll().where('client_id', '=', clientId).executeTakeFirst();
      if (row?.client_id !== clientId) return undefined;
      return { clientId: row.client_id, roles: rolesOf(row.roles), secretHash: row.secret_hash };
    },
  };
}
