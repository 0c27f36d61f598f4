import { useEffect, useRef, useState } from 'preact/hooks';
import { openEventStream, type StreamState } from '../api/eventStream.ts';
import type { SseMessage } from '../api/sseParser.ts';

/** Follows a server-sent event stream while the component is shown; null follows nothing. */
export function useEventStream(
  path: string | null,
  token: string,
  onMessage: (message: SseMessage) => void,
  onUnauthorized: () => void,
): StreamState {
  const [state, setState] = useState<StreamState>('connecting');
  // The latest callbacks, without reopening the stream each time the component renders.
  const handlers = useRef({ onMessage, onUnauthorized });
  handlers.current = { onMessage, onUnauthorized };
  useEffect(() => {
    if (path === null) return;
    return openEventStream(path, token, {
      onMessage: (message) => handlers.current.onMessage(message),
      onUnauthorized: () => handlers.current.onUnauthorized(),
      onState: setState,
    });
  }, [path, token]);
  return state;
}
