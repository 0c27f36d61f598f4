export type SseMessage = { event: string; data: string; id: string | undefined };

/**
 * A server-sent events parser (the HTML standard's "event stream interpretation"), fed text as it
 * arrives: lines end with CRLF, LF or CR, a blank line dispatches, `:` starts a comment.
 */
export function sseParser(onMessage: (message: SseMessage) => void, onRetry: (ms: number) => void = () => {}) {
  let buffer = '';
  let data: string[] = [];
  let event = '';
  let id: string | undefined;

  const line = (text: string) => {
    if (text === '') {
      if (data.length > 0) onMessage({ event: event || 'message', data: data.join('\n'), id });
      data = [];
      event = '';
      return;
    }
    if (text.startsWith(':')) return;
    const colon = text.indexOf(':');
    const field = colon < 0 ? text : text.slice(0, colon);
    let value = colon < 0 ? '' : text.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'data') data.push(value);
    else if (field === 'event') event = value;
    else if (field === 'id' && !value.includes('\0')) id = value;
    else if (field === 'retry' && /^\d+$/.test(value)) onRetry(Number(value));
  };

  return (chunk: string) => {
    buffer += chunk;
    for (;;) {
      const end = /\r\n|\r|\n/.exec(buffer);
      // A CR that ends the chunk may be the first half of a CRLF: wait for the next chunk.
      if (!end || (end[0] === '\r' && end.index === buffer.length - 1)) return;
      const text = buffer.slice(0, end.index);
      buffer = buffer.slice(end.index + end[0].length);
      line(text);
    }
  };
}
