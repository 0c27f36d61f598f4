import { useState } from 'preact/hooks';
import { ApiError } from '../api/http.ts';
import type { OrderStatusBody } from '../api/types.ts';
import { useApp } from '../context.ts';
import { followLink } from '../router.ts';
import { formatPrice, formatTime } from '../ui/format.ts';
import { LiveBadge } from '../ui/LiveBadge.tsx';
import { ProblemMessage } from '../ui/ProblemMessage.tsx';
import { SagaSteps } from '../ui/SagaSteps.tsx';
import { StatusBadge } from '../ui/StatusBadge.tsx';
import { isCanceling } from '../ui/saga.ts';
import { useEventStream } from '../ui/useEventStream.ts';

/** One of the customer's orders, live: its saga step by step, and the button that undoes it. */
export function OrderDetail({ orderId }: { orderId: number }) {
  const { api, session, expired } = useApp();
  const [view, setView] = useState<OrderStatusBody>();
  const [canceling, setCanceling] = useState(false);
  const [cancelFailure, setCancelFailure] = useState<unknown>();
  const [cancelAsked, setCancelAsked] = useState(false);
  const state = useEventStream(
    `/orderStatus/stream?orderId=${orderId}`,
    session.token,
    (message) => {
      if (message.event === 'orderStatus') setView(JSON.parse(message.data) as OrderStatusBody);
    },
    expired,
  );

  const cancel = async () => {
    setCanceling(true);
    setCancelFailure(undefined);
    try {
      await api.post(`/orders/${orderId}/cancel`, { reason: 'canceled by the customer in the shop' });
      setCancelAsked(true);
    } catch (error) {
      setCancelFailure(error);
    } finally {
      setCanceling(false);
    }
  };

  const canCancel = view !== undefined && !isCanceling(view.status) && !cancelAsked;
  return (
    <>
      <p class="back">
        <a href="/shop" onClick={followLink}>
          ← Back to the shop
        </a>
      </p>
      <div class="section-head">
        <h1 tabIndex={-1}>Order #{orderId}</h1>
        <LiveBadge state={state} />
      </div>
      {state === 'unavailable' ? (
        <ProblemMessage error="This order does not exist, or it is not yours." title="Order not found" />
      ) : !view ? (
        <p class="empty">Waiting for the order's first event…</p>
      ) : (
        <div class="detail">
          <section class="card" aria-labelledby="summary-title">
            <h2 id="summary-title">Status</h2>
            <p class="big-status">
              <StatusBadge status={view.status} />
            </p>
            <dl class="facts">
              <dt>Product</dt>
              <dd>
                {view.qty} × {view.productName} ({formatPrice(view.productPrice)} each)
              </dd>
              <dt>Total</dt>
              <dd>{formatPrice((view.productPrice ?? 0) * (view.qty ?? 0))}</dd>
              <dt>Deliver to</dt>
              <dd>{view.address ?? '—'}</dd>
              <dt>Payment</dt>
              <dd>{view.payStatus ?? '—'}</dd>
              <dt>Coupon</dt>
              <dd>
                {view.couponId ? `#${view.couponId} ${view.couponKind ?? ''}` : '—'} {view.promoteStatus ?? ''}
              </dd>
              <dt>Delivery</dt>
              <dd>{view.deliveryStatus ?? '—'}</dd>
              <dt>Last change</dt>
              <dd>{formatTime(view.updatedAt)}</dd>
            </dl>
            {cancelAsked ? (
              <div class="message message-ok" role="status">
                <p class="message-title">Cancellation requested</p>
                <p>Each step is now undone in turn: payment, coupon, then delivery. Watch it below.</p>
              </div>
            ) : null}
            {cancelFailure ? (
              <ProblemMessage
                error={cancelFailure}
                title={
                  cancelFailure instanceof ApiError && cancelFailure.status === 409
                    ? 'Already canceled'
                    : 'The order could not be canceled'
                }
              />
            ) : null}
            {canCancel ? (
              <button type="button" class="button button-danger" onClick={cancel} disabled={canceling}>
                {canceling ? 'Canceling…' : 'Cancel order'}
              </button>
            ) : null}
          </section>
          <section class="card" aria-labelledby="progress-title">
            <h2 id="progress-title">Progress</h2>
            <SagaSteps view={view} />
          </section>
        </div>
      )}
    </>
  );
}
