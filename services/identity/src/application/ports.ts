import type { Clock, InTransaction, NewId, Tx } from '@12street/platform';
import type { AccessClaims, TokenPolicy } from '../domain/accessToken.ts';
import type { Client, User } from '../domain/account.ts';

export type StoredUser = User & { passwordHash: string };
export type StoredClient = Client & { secretHash: string };

/** What signing in reads. */
export type AccountQueries = {
  userNamed(username: string): Promise<StoredUser | undefined>;
  clientWithId(clientId: string): Promise<StoredClient | undefined>;
};

/** What setting accounts up writes. */
export type AccountStore = {
  hasAccounts(tx: Tx): Promise<boolean>;
  addUser(tx: Tx, user: StoredUser): Promise<void>;
  /** Adds the client, or replaces the secret and roles of the one with its id. */
  saveClient(tx: Tx, client: StoredClient): Promise<void>;
};

/** One-way hashes of passwords and client secrets. */
export type SecretHasher = {
  hash(secret: string): Promise<string>;
  /** With no stored hash it still does the work, so an unknown name takes as long as a known one. */
  matches(secret: string, stored: string | undefined): Promise<boolean>;
};

export type SignToken = (claims: AccessClaims) => Promise<string>;

export type IssuedToken = { accessToken: string; expiresIn: number };

export type TokenDeps = {
  accounts: AccountQueries;
  secrets: SecretHasher;
  signToken: SignToken;
  policy: TokenPolicy;
  clock: Clock;
  newId: NewId;
};

export type SetupDeps = { inTransaction: InTransaction; store: AccountStore; secrets: SecretHasher };
