import { type BreakerSettings, ORIGINAL_BREAKER } from '@12street/platform';
import Type, { type Static } from 'typebox';

/** Circuit-breaker settings from the environment; the defaults are the original's Hystrix ones. */
export const BreakerConfig = Type.Object({
  BREAKER_TIMEOUT_MS: Type.Integer({ minimum: 1, default: ORIGINAL_BREAKER.timeoutMs }),
  BREAKER_FAILURE_RATIO: Type.Number({ minimum: 0, maximum: 1, default: ORIGINAL_BREAKER.failureRatio }),
  BREAKER_WINDOW: Type.Integer({ minimum: 1, default: ORIGINAL_BREAKER.windowSize }),
  BREAKER_MINIMUM_CALLS: Type.Integer({ minimum: 1, default: ORIGINAL_BREAKER.minimumCalls }),
  BREAKER_HALF_OPEN_AFTER_MS: Type.Integer({ minimum: 1, default: ORIGINAL_BREAKER.halfOpenAfterMs }),
});

export const breakerSettings = (c: Static<typeof BreakerConfig>): BreakerSettings => ({
  timeoutMs: c.BREAKER_TIMEOUT_MS,
  failureRatio: c.BREAKER_FAILURE_RATIO,
  windowSize: c.BREAKER_WINDOW,
  minimumCalls: c.BREAKER_MINIMUM_CALLS,
  halfOpenAfterMs: c.BREAKER_HALF_OPEN_AFTER_MS,
});
