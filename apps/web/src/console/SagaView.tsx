import { useEffect, useRef, useState } from 'preact/hooks';
import type { OrderStatusBody } from '../api/types.ts';
import { useApp } from '../context.ts';
import { followLink } from '../router.ts';
import { formatTime } from '../ui/format.ts';
import { LiveBadge } from '../ui/LiveBadge.tsx';
import { SagaSteps } from '../ui/SagaSteps.tsx';
import { StatusBadge } from '../ui/StatusBadge.tsx';
import { useEventStream } from '../ui/useEventStream.ts';
import { RecordCard } from './RecordCard.tsx';
import { keyFieldsOf, type Records, recordsOf } from './records.ts';

/**
 * One order across the whole system, live: the events every service published, in order, and
 * what each service's own store says about the order now. The view's stream says when something
 * happened; the records are read again then.
 */
export function SagaView({ orderId }: { orderId: number }) {
  const { api, session, expired } = useApp();
  const [view, setView] = useState<OrderStatusBody>();
  const [records, setRecords] = useState<Records>();
  const asked = useRef(0);
  const pending = useRef<ReturnType<typeof setTimeout>>(undefined);

  const reload = () => {
    clearTimeout(pending.current);
    pending.current = setTimeout(async () => {
      const ask = ++asked.current;
      const found = await recordsOf(api, orderId);
      if (ask === asked.current) setRecords(found);
    }, 100);
  };
  useEffect(() => {
    reload();
    return () => clearTimeout(pending.current);
  }, [orderId]);

  const state = useEventStream(
    `/orderStatus/stream?orderId=${orderId}`,
    session.token,
    (message) => {
      if (message.event !== 'orderStatus') return;
      setView(JSON.parse(message.data) as OrderStatusBody);
      reload();
    },
    expired,
  );

  return (
    <>
      <p class="back">
        <a href="/console" onClick={followLink}>
          ← Back to the console
        </a>
      </p>
      <div class="section-head">
        <h1 tabIndex={-1}>Order #{orderId} across the services</h1>
        <LiveBadge state={state} />
      </div>
      {!view ? (
        <p class="empty">Waiting for the order's first event…</p>
      ) : (
        <>
          <section class="card" aria-labelledby="current-title">
            <h2 id="current-title">
              Current status: <StatusBadge status={view.status} />
            </h2>
            <SagaSteps view={view} />
          </section>
          <section class="card" aria-labelledby="timeline-title">
            <h2 id="timeline-title">Event timeline</h2>
            <div class="table-wrap">
              <table class="timeline" aria-labelledby="timeline-title">
                <thead>
                  <tr>
                    <th scope="col">#</th>
                    <th scope="col">Time</th>
                    <th scope="col">Event</th>
                    <th scope="col">Service</th>
                    <th scope="col">Key fields</th>
                  </tr>
                </thead>
                <tbody>
                  {view.timeline.map((entry, i) => (
                    <tr key={entry.eventId}>
                      <td>{i + 1}</td>
                      <td>
                        <time dateTime={entry.occurredAt}>{formatTime(entry.occurredAt)}</time>
                      </td>
                      <td class="event-type">{entry.eventType}</td>
                      <td>{entry.service}</td>
                      <td>{keyFieldsOf(entry, view, records)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </section>
        </>
      )}
      <section aria-labelledby="records-title">
        <div class="section-head">
          <h2 id="records-title">Each service's record</h2>
          <button type="button" class="button" onClick={reload}>
            Read again
          </button>
        </div>
        <div class="records">
          <RecordCard title="Order" source={`GET /orders/${orderId}`} record={records?.order} />
          <RecordCard
            title="Payment"
            source={`GET /payments/search/findByOrderId?orderId=${orderId}`}
            record={records?.payment}
          />
          <RecordCard
            title="Delivery"
            source={`GET /stockDeliveries/search/findByOrderId?orderId=${orderId}`}
            record={records?.delivery}
          />
          <RecordCard
            title="Coupon"
            source={`GET /promotes/search/findByOrderId?orderId=${orderId}`}
            record={records?.promote}
          />
          <RecordCard title="Order status (view)" source={`GET /orderStatus/${orderId}`} record={view ?? null} />
        </div>
      </section>
    </>
  );
}
