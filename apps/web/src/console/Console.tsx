import { SystemOverview } from './SystemOverview.tsx';
import { Tables } from './Tables.tsx';

/** The ops console: the running system, its fault switches, and every service's table. */
export function Console() {
  return (
    <>
      <h1 tabIndex={-1}>Saga console</h1>
      <p class="lead">
        Break a service with its fault switch and watch the breakers and the outbox; open any order to follow its saga
        across every service.
      </p>
      <SystemOverview />
      <Tables />
    </>
  );
}
