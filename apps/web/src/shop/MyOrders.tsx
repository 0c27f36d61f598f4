import { useState } from 'preact/hooks';
import type { OrderBody, OrderStatusBody } from '../api/types.ts';
import { useApp } from '../context.ts';
import { followLink } from '../router.ts';
import { formatPrice, formatTime } from '../ui/format.ts';
import { LiveBadge } from '../ui/LiveBadge.tsx';
import { StatusBadge } from '../ui/StatusBadge.tsx';
import { useEventStream } from '../ui/useEventStream.ts';

type Row = { orderId: number; productName: string | null; qty: number | null; price: number | null; status: string };

/**
 * The customer's orders with each one's live status, from the order-status view. One stream covers
 * all of them: it sends every order once when it opens and then each change as it happens.
 */
export function MyOrders({ placed }: { placed: OrderBody[] }) {
  const { session, expired } = useApp();
  const [views, setViews] = useState<Map<number, OrderStatusBody>>(new Map());
  const state = useEventStream(
    '/orderStatus/stream',
    session.token,
    (message) => {
      if (message.event !== 'orderStatus') return;
      const view = JSON.parse(message.data) as OrderStatusBody;
      setViews((all) => new Map(all).set(view.orderId, view));
    },
    expired,
  );
  // An order just placed may not have reached the view yet: it shows as placed until it does.
  const rows: Row[] = [
    ...[...views.values()].map((v) => ({
      orderId: v.orderId,
      productName: v.productName,
      qty: v.qty,
      price: v.productPrice,
      status: v.status,
    })),
    ...placed
      .filter((o) => !views.has(o.id))
      .map((o) => ({
        orderId: o.id,
        productName: o.productName,
        qty: o.qty,
        price: o.productPrice,
        status: 'Order Placed',
      })),
  ].sort((a, b) => b.orderId - a.orderId);

  return (
    <section class="card my-orders" aria-labelledby="my-orders-title">
      <div class="section-head">
        <h2 id="my-orders-title">My orders</h2>
        <LiveBadge state={state} />
      </div>
      {rows.length === 0 ? (
        <p class="empty">No orders yet.</p>
      ) : (
        <ul class="order-list" aria-label="My orders">
          {rows.map((row) => {
            const view = views.get(row.orderId);
            return (
              <li key={row.orderId} class="order-row">
                <a href={`/shop/orders/${row.orderId}`} onClick={followLink} class="order-link">
                  Order #{row.orderId}
                  <span class="visually-hidden">, {row.status}</span>
                </a>
                <span class="order-what">
                  {row.qty ?? '?'} × {row.productName ?? '…'} · {formatPrice((row.price ?? 0) * (row.qty ?? 0))}
                </span>
                <StatusBadge status={row.status} />
                <span class="order-when">
                  {view ? `updated ${formatTime(view.updatedAt)}` : 'waiting for the first event'}
                </span>
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}
