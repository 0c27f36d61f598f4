import { parseRoles, type Role } from '@12street/platform';
import { createRemoteJWKSet, errors, jwtVerify } from 'jose';
import {
  DEFAULT_VERIFIED_TOKENS,
  rememberVerifiedTokens,
  type Verification,
  type VerifiedTokensOptions,
} from './verifiedTokens.ts';

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
  /** How many verified tokens are remembered, and for how long at most (default 10,000 and 60 s). */
  verifiedTokens?: VerifiedTokensOptions;
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

/** Verifies each token in full: signature against the published keys, then the claims. */
export function fullTokenCheck(settings: AuthSettings) {
  const keys = createRemoteJWKSet(new URL(settings.jwksUrl), {
    cooldownDuration: settings.jwksCooldownMs ?? 30_000,
    cacheMaxAge: settings.jwksMaxAgeMs ?? 10 * 60_000,
    timeoutDuration: 2000,
  });
  return async (token: string): Promise<Verification> => {
    try {
      let key: CryptoKey | undefined;
      const { payload, protectedHeader } = await jwtVerify(
        token,
        async (header, jws) => {
          key = await keys(header, jws);
          return key;
        },
        {
          algorithms: ALGORITHMS,
          issuer: settings.issuer,
          audience: settings.audience,
          typ: 'at+jwt',
          requiredClaims: ['sub', 'iat', 'nbf', 'exp'],
          clockTolerance: settings.clockToleranceSeconds ?? 30,
        },
      );
      const roles = Array.isArray(payload.roles) ? parseRoles(payload.roles) : [];
      if (!payload.sub || !SUBJECT.test(payload.sub)) throw new TokenRefused('the token names no usable subject');
      return {
        identity: { userId: payload.sub, roles },
        expiresAt: (payload.exp as number) * 1000,
        // jose keeps one key object per fetched key set: another object means the keys were fetched again.
        keyStillTrusted: async () => (await keys(protectedHeader)) === key,
      };
    } catch (error) {
      if (error instanceof TokenRefused) throw error;
      if (!(error instanceof errors.JOSEError) || fetchFailure.has(error.code)) {
        throw new KeysUnavailable('the keys that verify tokens could not be fetched', { cause: error });
      }
      throw new TokenRefused(describe(error));
    }
  };
}

/** The gateway's token check: in full the first time, from memory while the token stays valid. */
export function tokenVerifier(settings: AuthSettings) {
  return rememberVerifiedTokens(fullTokenCheck(settings), settings.verifiedTokens ?? DEFAULT_VERIFIED_TOKENS);
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
