import type { CancelCouponRequest, IssueCouponRequest, PromoteBody } from '@12street/contracts';
import { type Breaker, HttpStatusError, requestJson } from '@12street/platform';
import { type CouponDesk, CouponRefused } from '../../application/ports.ts';

/** marketing's REST resource behind a circuit breaker; only its own failures (5xx, no answer) trip it. */
export function marketingCouponDesk(marketingUrl: string, breaker: Breaker): CouponDesk {
  return {
    async issueCoupon(request: IssueCouponRequest) {
      try {
        const promote = await breaker.call((signal) =>
          requestJson<PromoteBody>('POST', `${marketingUrl}/promotes`, { body: request, signal }),
        );
        return { couponId: promote.couponId, couponKind: promote.couponKind, couponUseYn: promote.couponUseYn };
      } catch (error) {
        if (error instanceof HttpStatusError && error.status === 409) {
          throw new CouponRefused(`marketing refused the coupon for order ${request.orderId}`, { cause: error });
        }
        throw error;
      }
    },
    async cancelCoupon(request: CancelCouponRequest) {
      await breaker.call((signal) =>
        requestJson('POST', `${marketingUrl}/promotes/cancellations`, { body: request, signal }),
      );
    },
  };
}
