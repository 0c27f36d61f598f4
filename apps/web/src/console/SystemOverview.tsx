import { useState } from 'preact/hooks';
import type { OpsOverview } from '../api/types.ts';
import { useApp } from '../context.ts';
import { formatTime } from '../ui/format.ts';
import { LiveBadge } from '../ui/LiveBadge.tsx';
import { StatusBadge } from '../ui/StatusBadge.tsx';
import { useEventStream } from '../ui/useEventStream.ts';
import { FaultControl } from './FaultControl.tsx';

const faultWords = (fault: OpsOverview['services'][number]['fault']) =>
  fault.kind === 'slow' ? `slow (${fault.delayMs} ms)` : fault.kind;

/**
 * The running system: each service's health, outbox backlog and fault switch, and the circuit
 * breakers, pushed by the gateway whenever they change (embedded mode only).
 */
export function SystemOverview() {
  const { session, expired } = useApp();
  const [overview, setOverview] = useState<OpsOverview>();
  const state = useEventStream(
    '/ops/overview/stream',
    session.token,
    (message) => {
      if (message.event === 'overview') setOverview(JSON.parse(message.data) as OpsOverview);
    },
    expired,
  );

  if (state === 'unavailable') {
    return (
      <section class="card" aria-labelledby="system-title">
        <h2 id="system-title">System</h2>
        <p>
          The system overview and fault switches exist in embedded mode only (<code>npm start</code>). In distributed
          mode each service reports at <code>/health/ready</code> and <code>/metrics</code>: breaker state, outbox
          backlog and consumer lag (<code>street_consumer_lag</code>).
        </p>
      </section>
    );
  }
  return (
    <section class="card system" aria-labelledby="system-title">
      <div class="section-head">
        <h2 id="system-title">System</h2>
        <LiveBadge state={state} />
      </div>
      {!overview ? (
        <p class="empty">Reading the system…</p>
      ) : (
        <>
          <h3 id="breakers-title">Circuit breakers</h3>
          <ul class="breakers" aria-labelledby="breakers-title">
            {overview.breakers.map((b) => (
              <li key={b.dependency} class={`breaker breaker-${b.state}`}>
                <span class="breaker-name">
                  {b.caller} → {b.dependency}
                </span>
                <StatusBadge status={b.state} />
                <span class="breaker-since">{b.since ? `since ${formatTime(b.since)}` : 'since start'}</span>
              </li>
            ))}
          </ul>
          <div class="table-wrap">
            <table class="services">
              <caption>Services</caption>
              <thead>
                <tr>
                  <th scope="col">Service</th>
                  <th scope="col">Ready</th>
                  <th scope="col">Outbox backlog</th>
                  <th scope="col">Dead letters</th>
                  <th scope="col">Fault now</th>
                  <th scope="col">Fault switch</th>
                </tr>
              </thead>
              <tbody>
                {overview.services.map((s) => (
                  <tr key={s.name}>
                    <th scope="row">{s.name}</th>
                    <td>
                      <StatusBadge status={s.ready ? 'ready' : 'not ready'} />
                    </td>
                    <td>
                      {s.outbox === null
                        ? 'no outbox'
                        : `${s.outbox.unsent} unsent${s.outbox.oldestAt ? `, oldest ${formatTime(s.outbox.oldestAt)}` : ''}`}
                    </td>
                    <td>{s.deadLettersParked ?? '—'}</td>
                    <td>
                      <StatusBadge status={faultWords(s.fault)} />
                    </td>
                    <td>
                      <FaultControl service={s.name} current={s.fault} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <p class="note">
            <strong>Consumer lag:</strong> {overview.consumerLag.note}
          </p>
        </>
      )}
    </section>
  );
}
