import { type SseMessage, sseParser } from './sseParser.ts';

export type StreamState = 'connecting' | 'live' | 'reconnecting' | 'unavailable';

export type StreamHandlers = {
  onMessage(message: SseMessage): void;
  onState?(state: StreamState): void;
  /** The token was refused (expired): the stream stops, the user signs in again. */
  onUnauthorized?(): void;
};

const MAX_BACKOFF_MS = 30_000;

const pause = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => {
      clearTimeout(timer);
      resolve();
    });
  });

/**
 * Server-sent events read with fetch(), so the access token travels in the Authorization header
 * like on every other call. EventSource cannot send headers; a token in the URL would end up in
 * access logs, proxies and the browser's history, and would have to be accepted by the gateway as
 * a second way in. The server pushes; the browser never asks on a timer: after the stream ends it
 * reconnects (at once after a clean end, with back-off after a failure) and gets a fresh snapshot.
 * Returns the function that closes the stream for good.
 */
export function openEventStream(path: string, token: string, handlers: StreamHandlers): () => void {
  const controller = new AbortController();
  const { signal } = controller;
  let retryMs = 2000;
  let failures = 0;

  const readAll = async (body: ReadableStream<Uint8Array>) => {
    const push = sseParser(handlers.onMessage, (ms) => {
      retryMs = ms;
    });
    const decoder = new TextDecoder();
    const reader = body.getReader();
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      push(decoder.decode(value, { stream: true }));
    }
  };

  const run = async () => {
    while (!signal.aborted) {
      handlers.onState?.(failures === 0 ? 'connecting' : 'reconnecting');
      try {
        const response = await fetch(path, {
          headers: { authorization: `Bearer ${token}`, accept: 'text/event-stream' },
          cache: 'no-store',
          signal,
        });
        if (response.status === 401) return handlers.onUnauthorized?.();
        if (response.status === 403 || response.status === 404) return handlers.onState?.('unavailable');
        if (!response.ok || !response.body) throw new Error(`the stream answered ${response.status}`);
        failures = 0;
        handlers.onState?.('live');
        await readAll(response.body);
      } catch {
        if (signal.aborted) return;
        failures++;
      }
      // A clean end (the server closes streams now and then) is followed at once, almost.
      await pause(failures === 0 ? 200 : Math.min(MAX_BACKOFF_MS, retryMs * 2 ** Math.min(failures - 1, 4)), signal);
    }
  };
  void run();
  return () => controller.abort();
}
