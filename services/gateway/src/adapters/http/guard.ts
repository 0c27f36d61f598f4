import { HttpProblem, type Role } from '@12street/platform';
import type { FastifyRequest } from 'fastify';
import { type Identity, KeysUnavailable, TokenRefused } from './tokenVerifier.ts';

/** Who may use a route: anyone (the token endpoint, the keys, the API description) or these roles. */
export type Access = 'anyone' | readonly Role[];
/** A route's part in the gateway's rules; the token endpoint has a stricter rate limit of its own. */
export type EdgeRouteConfig = { access?: Access; bucket?: 'token' };

type Outcome = { kind: 'open' } | { kind: 'verified'; identity: Identity } | { kind: 'refused'; problem: HttpProblem };

const REALM = '12street';
const outcomes = new WeakMap<object, Outcome>();

export const routeConfigOf = (request: FastifyRequest) => request.routeOptions.config as EdgeRouteConfig;

/** The identity the request's token proved, if it proved one. */
export function identityOf(request: object): Identity | undefined {
  const outcome = outcomes.get(request);
  return outcome?.kind === 'verified' ? outcome.identity : undefined;
}

/** RFC 6750 §3: a challenge that says what was wrong; quotes cannot be escaped in it, so none are kept. */
function challenge(error?: string, description?: string) {
  const parts = [`Bearer realm="${REALM}"`];
  if (error) parts.push(`error="${error}"`);
  if (description) parts.push(`error_description="${description.replaceAll('"', "'")}"`);
  return parts.join(', ');
}

const unauthorized = (detail: string, error?: string) =>
  new HttpProblem(401, 'Unauthorized', detail, {}, { 'www-authenticate': challenge(error, error && detail) });

const BEARER = /^Bearer +([A-Za-z0-9\-._~+/]+=*) *$/i;

async function check(authorization: string | undefined, verify: (token: string) => Promise<Identity>) {
  const token = BEARER.exec(authorization ?? '')?.[1];
  if (!token) return unauthorized('send an access token: Authorization: Bearer <token> (get one at POST /oauth/token)');
  try {
    return { kind: 'verified', identity: await verify(token) } as const;
  } catch (error) {
    if (error instanceof TokenRefused) return unauthorized(error.message, 'invalid_token');
    if (error instanceof KeysUnavailable) {
      return new HttpProblem(503, 'Service Unavailable', error.message, {}, { 'retry-after': '5' });
    }
    throw error;
  }
}

/**
 * First of the gateway's three steps: find out who is calling. The verdict is kept, not acted on,
 * so that the rate limit (second step) counts a caller with a bad token against its address.
 */
export function identify(verify: ((token: string) => Promise<Identity>) | undefined) {
  return async (request: FastifyRequest) => {
    if (!verify || routeConfigOf(request).access === 'anyone') {
      outcomes.set(request, { kind: 'open' });
      return;
    }
    const verdict = await check(request.headers.authorization, verify);
    outcomes.set(request, verdict instanceof HttpProblem ? { kind: 'refused', problem: verdict } : verdict);
  };
}

const ANY_ROLE: readonly Role[] = ['customer', 'ops'];

/** Third step: refuse who could not be identified (401) and who may not use the route (403). */
export function enforce() {
  return async (request: FastifyRequest) => {
    const outcome = outcomes.get(request);
    if (!outcome || outcome.kind === 'open') return;
    if (outcome.kind === 'refused') throw outcome.problem;
    const access = routeConfigOf(request).access;
    const allowed = Array.isArray(access) ? access : ANY_ROLE;
    if (!outcome.identity.roles.some((role) => allowed.includes(role))) {
      throw new HttpProblem(
        403,
        'Forbidden',
        `${request.url.split('?')[0]} is for ${allowed.join(' or ')} only`,
        {},
        { 'www-authenticate': challenge('insufficient_scope') },
      );
    }
  };
}
