import { parseRoles, type Role } from '@12street/platform';
import { createRemoteJWKSet, errors, jwtVerify } from 'jose';

export type AuthSettings = {
  /** Where the identity service publishes its keys (JWKS). */
  jwksUrl: string;
  issuer: string;
  audience: string;
  /** How soon an unknown key id may make the gateway fetch the keys again (default 30 s). */
  jwksCooldownMs?: number;
  /** How long the fetched keys are trusted before they are fetched again (default 10 min). */
  jwksMaxAgeMs?: number;
  clockToleranceSeconds?: number;
};

export type Identity = { userId: string; roles: Role[] };

/** The token does not prove who is calling: the client should get a new one. */
export class TokenRefused extends Error {
  override readonly name = 'TokenRefused';
}

/** The keys could not be fetched: not the client's fault, and worth trying again soon. */
export class KeysUnavailable extends Error {
  override readonly name = 'KeysUnavailable';
}

/** Only asymmetric algorithms: "none" and HMAC (where a public key could pass for the secret) never verify. */
const ALGORITHMS = ['ES256', 'RS256'];
/** A subject goes into a header for the services; printable ASCII only, and as long as a userId may be. */
const SUBJECT = /^[\x20-\x7e]{1,100}$/;
const fetchFailure = new Set(['ERR_JWKS_TIMEOUT', 'ERR_JOSE_GENERIC', 'ERR_JWKS_INVALID']);

export function tokenVerifier(settings: AuthSettings) {
  const keys = createRemoteJWKSet(new URL(settings.jwksUrl), {
    cooldownDuration: settings.jwksCooldownMs ?? 30_000,
    cacheMaxAge: settings.jwksMaxAgeMs ?? 10 * 60_000,
    timeoutDuration: 2000,
  });
  return async (token: string): Promise<Identity> => {
    try {
      const { payload } = await jwtVerify(token, keys, {
        algorithms: ALGORITHMS,
        issuer: settings.issuer,
        audience: settings.audience,
        typ: 'at+jwt',
        requiredClaims: ['sub', 'iat', 'nbf', 'exp'],
        clockTolerance: settings.clockToleranceSeconds ?? 30,
      });
      const roles = Array.isArray(payload.roles) ? parseRoles(payload.roles) : [];
      if (!payload.sub || !SUBJECT.test(payload.sub)) throw new TokenRefused('the token names no usable subject');
      return { userId: payload.sub, roles };
    } catch (error) {
      if (error instanceof TokenRefused) throw error;
      if (!(error instanceof errors.JOSEError) || fetchFailure.has(error.code)) {
        throw new KeysUnavailable('the keys that verify tokens could not be fetched', { cause: error });
      }
      throw new TokenRefused(describe(error));
    }
  };
}

/** What went wrong, in words safe to tell the client. */
function describe(error: errors.JOSEError): string {
  if (error instanceof errors.JWTExpired) return 'the token has expired';
  if (error instanceof errors.JWTClaimValidationFailed) return `the token's "${error.claim}" claim is not acceptable`;
  if (error instanceof errors.JOSEAlgNotAllowed) return "the token's algorithm is not accepted";
  if (error instanceof errors.JWKSNoMatchingKey) return 'the token was signed with an unknown key';
  if (error instanceof errors.JWSSignatureVerificationFailed) return "the token's signature does not verify";
  return 'the token is malformed';
}
