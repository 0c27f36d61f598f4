import { accessClaims } from '../domain/accessToken.ts';
import { InvalidGrant } from '../domain/account.ts';
import type { IssuedToken, TokenDeps } from './ports.ts';

/** The password grant: a person's username and password for a short-lived access token. */
export function issueUserToken(deps: TokenDeps) {
  return async (username: string, password: string): Promise<IssuedToken> => {
    const user = await deps.accounts.userNamed(username);
    const matches = await deps.secrets.matches(password, user?.passwordHash);
    if (!user || !matches) throw new InvalidGrant();
    const claims = accessClaims({ sub: user.userId, roles: user.roles }, deps.policy, deps.clock(), deps.newId());
    return { accessToken: await deps.signToken(claims), expiresIn: deps.policy.ttlSeconds };
  };
}
