/** What an account may do; the gateway lets customers at their own orders and ops at everything. */
export const ROLES = ['customer', 'ops'] as const;
export type Role = (typeof ROLES)[number];

/** A person who signs in with a username and a password. */
export type User = { userId: string; username: string; roles: Role[] };

/** A machine that signs in with its client id and secret (the client_credentials grant). */
export type Client = { clientId: string; roles: Role[] };

export const rolesFrom = (names: readonly string[]): Role[] => ROLES.filter((role) => names.includes(role));

/** The username or password is wrong; which of the two is not said. */
export class InvalidGrant extends Error {
  override readonly name = 'InvalidGrant';
  constructor() {
    super('the username or password is wrong');
  }
}

/** The client id or secret is wrong. */
export class InvalidClient extends Error {
  override readonly name = 'InvalidClient';
  constructor() {
    super('the client is unknown or its secret is wrong');
  }
}
