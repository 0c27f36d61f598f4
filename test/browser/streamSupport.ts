import { eventually } from '@12street/testkit';
import { type SseMessage, sseParser } from '../../apps/web/src/api/sseParser.ts';

// biome-ignore lint/suspicious/noExplicitAny: tests read JSON documents field by field.
type Json = any;

/**
 * Reads a server-sent event stream the way the web app does (fetch with the token in a header,
 * the app's own parser), keeping every message and the raw text for the test to look at.
 */
export async function readEvents(t: { after(fn: () => void): void }, url: string, token?: string) {
  const controller = new AbortController();
  t.after(() => controller.abort());
  const response = await fetch(url, {
    headers: { accept: 'text/event-stream', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    signal: controller.signal,
  });
  const messages: SseMessage[] = [];
  let raw = '';
  let ended = false;
  const push = sseParser((m) => messages.push(m));
  const done = (async () => {
    if (!response.body) return;
    const decoder = new TextDecoder();
    try {
      for await (const chunk of response.body) {
        const text = decoder.decode(chunk, { stream: true });
        raw += text;
        push(text);
      }
    } catch {
      // aborted by the test, or cut by the server
    }
    ended = true;
  })();
  let seen = 0;
  return {
    response,
    messages,
    get raw() {
      return raw;
    },
    get ended() {
      return ended;
    },
    done,
    /** The next message of this type whose data passes the check (earlier ones are passed over). */
    async next(event: string, check: (data: Json) => boolean = () => true, timeoutMs = 10_000): Promise<Json> {
      return eventually(
        () => {
          while (seen < messages.length) {
            const message = messages[seen++] as SseMessage;
            if (message.event !== event) continue;
            const data = JSON.parse(message.data);
            if (check(data)) return data;
          }
          return undefined;
        },
        { what: `a "${event}" event that passes the check`, timeoutMs },
      );
    },
    /** Any message of this type so far (or soon) whose data passes the check, in whatever order they came. */
    async some(event: string, check: (data: Json) => boolean, timeoutMs = 10_000): Promise<Json> {
      return eventually(
        () =>
          messages
            .filter((m) => m.event === event)
            .map((m) => JSON.parse(m.data))
            .find(check),
        { what: `a "${event}" event that passes the check`, timeoutMs },
      );
    },
    close: () => controller.abort(),
  };
}
