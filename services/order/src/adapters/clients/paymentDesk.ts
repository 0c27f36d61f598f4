import type { ApprovePaymentRequest, PaymentBody, VoidPaymentRequest } from '@12street/contracts';
import { PAY_STATUS } from '@12street/contracts';
import {
  type Breaker,
  type BreakerSettings,
  DependencyUnavailable,
  HttpStatusError,
  requestJson,
} from '@12street/platform';
import { type PaymentDesk, PaymentRefused, PaymentUnavailable } from '../../application/ports.ts';

/**
 * The settle worker's calls wait longer than a customer would: it runs in the background, and a
 * void that gives up too early may still be applied by payment, which makes its outcome unknown.
 */
const SETTLE_CALL_TIMEOUT_MS = 5000;

/**
 * payment's REST resource. The customer's call goes through the circuit breaker, so a dead payment
 * service costs an order no more than the timeout (and nothing while the circuit is open); only
 * payment's own failures (5xx, no answer) trip it. The settle worker's calls go around it: the
 * worker retries on its own schedule anyway, and leaves the half-open trial to a customer's order.
 */
export function paymentDesk(paymentUrl: string, breaker: Breaker, settings: BreakerSettings): PaymentDesk {
  const settleSignal = () => AbortSignal.timeout(SETTLE_CALL_TIMEOUT_MS);
  return {
    async approvePayment(request: ApprovePaymentRequest) {
      try {
        await breaker.call((signal) => requestJson('POST', `${paymentUrl}/payments`, { body: request, signal }));
      } catch (error) {
        if (error instanceof HttpStatusError && error.status === 409) {
          throw new PaymentRefused(`payment refused order ${request.orderId}: ${detailOf(error)}`, { cause: error });
        }
        if (error instanceof DependencyUnavailable) throw unavailable(error, settings);
        throw error;
      }
    },
    async voidPayment(request: VoidPaymentRequest) {
      await requestJson('POST', `${paymentUrl}/payments/void`, { body: request, signal: settleSignal() });
    },
    async hasApprovedPayment(orderId: number) {
      const found = await requestJson<{ _embedded: { payments: PaymentBody[] } }>(
        'GET',
        `${paymentUrl}/payments/search/findByOrderId?orderId=${orderId}`,
        { signal: settleSignal() },
      );
      return found._embedded.payments.some((p) => p.payStatus === PAY_STATUS.approved);
    },
  };
}

function unavailable(error: DependencyUnavailable, settings: BreakerSettings): PaymentUnavailable {
  if (error.reason === 'circuit-open') {
    return new PaymentUnavailable(
      'circuit-open',
      'the circuit to payment is open after repeated failures, so payment was not asked',
      Math.max(1, Math.ceil(settings.halfOpenAfterMs / 1000)),
      { cause: error },
    );
  }
  if (error.reason === 'timeout') {
    return new PaymentUnavailable('timeout', `payment did not answer within ${settings.timeoutMs} ms`, 1, {
      cause: error,
    });
  }
  return new PaymentUnavailable('failed', `payment failed: ${causeOf(error.cause)}`, 1, { cause: error });
}

/** fetch says only "fetch failed"; why (refused, reset) is in its causes. */
function causeOf(error: unknown): string {
  const messages: string[] = [];
  for (let e = error; e instanceof Error && messages.length < 3; e = e.cause) messages.push(e.message);
  return messages.join(': ') || String(error);
}

function detailOf(error: HttpStatusError): string {
  const body = error.body as { detail?: unknown } | undefined;
  return typeof body?.detail === 'string' ? body.detail : error.message;
}
