import { HttpProblem } from '@12street/platform';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { identityOf, routeConfigOf } from './guard.ts';

/** Requests allowed per window: per verified identity, per client address, and for the token endpoint. */
export type RateLimits = { perIdentity: number; perIp: number; tokenPerIp: number; windowMs: number };

export const DEFAULT_RATE_LIMITS: RateLimits = { perIdentity: 600, perIp: 300, tokenPerIp: 30, windowMs: 60_000 };

/** A caller with a verified token is counted by who it is; anyone else by where it calls from. */
function bucketOf(request: FastifyRequest): string {
  if (routeConfigOf(request).bucket === 'token') return `token:${request.ip}`;
  const identity = identityOf(request);
  return identity ? `sub:${identity.userId}` : `ip:${request.ip}`;
}

/** Second of the gateway's steps: too many requests in the window are refused with 429 and Retry-After. */
export function rateLimit(edge: FastifyInstance, limits: RateLimits) {
  const limited = edge.createRateLimit({
    timeWindow: limits.windowMs,
    keyGenerator: bucketOf,
    max: (_request, key) =>
      key.startsWith('sub:') ? limits.perIdentity : key.startsWith('token:') ? limits.tokenPerIp : limits.perIp,
  });
  return async (request: FastifyRequest) => {
    const result = await limited(request);
    if (result.isAllowed || !result.isExceeded) return;
    const retryAfter = Math.max(1, result.ttlInSeconds);
    throw new HttpProblem(
      429,
      'Too Many Requests',
      `at most ${result.max} requests in ${limits.windowMs / 1000} s; try again in ${retryAfter} s`,
      {},
      { 'retry-after': String(retryAfter) },
    );
  };
}
