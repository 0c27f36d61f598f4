import { accessClaims } from '../domain/accessToken.ts';
import { InvalidClient } from '../domain/account.ts';
import type { IssuedToken, TokenDeps } from './ports.ts';

/** The client_credentials grant: a machine's id and secret for a short-lived access token. */
export function issueClientToken(deps: TokenDeps) {
  return async (clientId: string, secret: string): Promise<IssuedToken> => {
    const client = await deps.accounts.clientWithId(clientId);
    const matches = await deps.secrets.matches(secret, client?.secretHash);
    if (!client || !matches) throw new InvalidClient();
    const claims = accessClaims(
      { sub: client.clientId, roles: client.roles, clientId: client.clientId },
      deps.policy,
      deps.clock(),
      deps.newId(),
    );
    return { accessToken: await deps.signToken(claims), expiresIn: deps.policy.ttlSeconds };
  };
}
