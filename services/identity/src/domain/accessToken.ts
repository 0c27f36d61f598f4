import type { Role } from './account.ts';

/** Who issues tokens, for whom, and for how long they are good. */
export type TokenPolicy = { issuer: string; audience: string; ttlSeconds: number };

/** An access token's claims (RFC 9068 names); `sub` is the userId or the client id. */
export type AccessClaims = {
  iss: string;
  aud: string;
  sub: string;
  roles: Role[];
  client_id?: string;
  jti: string;
  iat: number;
  nbf: number;
  exp: number;
};

export function accessClaims(
  subject: { sub: string; roles: Role[]; clientId?: string },
  policy: TokenPolicy,
  now: Date,
  tokenId: string,
): AccessClaims {
  const iat = Math.floor(now.getTime() / 1000);
  return {
    iss: policy.issuer,
    aud: policy.audience,
    sub: subject.sub,
    roles: subject.roles,
    ...(subject.clientId ? { client_id: subject.clientId } : {}),
    jti: tokenId,
    iat,
    nbf: iat,
    exp: iat + policy.ttlSeconds,
  };
}
