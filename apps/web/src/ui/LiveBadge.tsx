import type { StreamState } from '../api/eventStream.ts';

const WORDS: Record<StreamState, string> = {
  connecting: 'Connecting…',
  live: 'Live',
  reconnecting: 'Reconnecting…',
  unavailable: 'Live updates unavailable',
};

/** Whether the screen is following the system right now; read out when it changes. */
export function LiveBadge({ state }: { state: StreamState }) {
  return (
    <span class={`live live-${state}`} role="status">
      <span class="live-dot" aria-hidden="true" />
      {WORDS[state]}
    </span>
  );
}
