import type { Paging } from './hal.ts';
import { HttpProblem } from './problem.ts';

/**
 * Who is calling a service, as the gateway vouches for it. The gateway verifies the access token,
 * strips any of these headers a client sent and sets them from the token; services sit on the
 * private network behind it and read them here. A request without them comes from inside (another
 * service, a worker, a test) and may do everything.
 */
export const IDENTITY_HEADERS = { userId: 'x-user-id', roles: 'x-user-roles' } as const;

export const ROLES = ['customer', 'ops'] as const;
export type Role = (typeof ROLES)[number];

export type Caller =
  | { kind: 'internal' }
  | { kind: 'ops'; userId: string }
  /** Anyone vouched for who is not ops is held to a customer's rights, whatever else they claim. */
  | { kind: 'customer'; userId: string };

type Headers = Record<string, string | string[] | undefined>;

const single = (value: string | string[] | undefined) => (Array.isArray(value) ? value.join(',') : value);

/** The known roles among those named (a header's comma-separated list, or a token's claim). */
export function parseRoles(names: string | readonly unknown[] | undefined): Role[] {
  const named: readonly unknown[] = typeof names === 'string' ? names.split(',').map((r) => r.trim()) : (names ?? []);
  return ROLES.filter((role) => named.includes(role));
}

export function callerOf(request: { headers: Headers }): Caller {
  const userId = single(request.headers[IDENTITY_HEADERS.userId]);
  const roles = single(request.headers[IDENTITY_HEADERS.roles]);
  if (userId === undefined && roles === undefined) return { kind: 'internal' };
  return parseRoles(roles).includes('ops')
    ? { kind: 'ops', userId: userId ?? '' }
    : { kind: 'customer', userId: userId ?? '' };
}

/** The headers the gateway sets for a verified identity. */
export const identityHeaders = (identity: { userId: string; roles: readonly Role[] }) => ({
  [IDENTITY_HEADERS.userId]: identity.userId,
  [IDENTITY_HEADERS.roles]: identity.roles.join(','),
});

/** The one user whose data a caller may see, or undefined when it may see everyone's. */
export const onlyUser = (caller: Caller): string | undefined =>
  caller.kind === 'customer' ? caller.userId : undefined;

/** Whether something belonging to `ownerId` is the caller's to see and change. */
export const mayAccess = (caller: Caller, ownerId: string | null | undefined): boolean =>
  caller.kind !== 'customer' || (caller.userId !== '' && ownerId === caller.userId);

/** A customer acts only for themselves: writing in another user's name is forbidden. */
export function requireActingFor(caller: Caller, userId: string): void {
  if (!mayAccess(caller, userId)) {
    throw new HttpProblem(403, 'Forbidden', `a customer can only act for themselves, not for user "${userId}"`);
  }
}

/**
 * One page of a customer's own items, sorted as asked. The items come whole (one customer's, few)
 * and already in id order, which breaks ties, as the stores' own paging does.
 */
export function pageOfOwn<T>(
  items: readonly T[],
  paging: Paging,
  fieldOf: (item: T, field: string) => unknown,
): { items: T[]; totalElements: number } {
  const sign = paging.direction === 'desc' ? -1 : 1;
  const compare = (a: unknown, b: unknown) => {
    if (a === b) return 0;
    if (a === null || a === undefined) return -1;
    if (b === null || b === undefined) return 1;
    return (a as number | string) < (b as number | string) ? -1 : 1;
  };
  const sorted = [...items].sort((a, b) => sign * compare(fieldOf(a, paging.sortBy), fieldOf(b, paging.sortBy)));
  const start = paging.page * paging.size;
  return { items: sorted.slice(start, start + paging.size), totalElements: items.length };
}
