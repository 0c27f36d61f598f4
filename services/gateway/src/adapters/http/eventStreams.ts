import type { ServerResponse } from 'node:http';
import type { HttpApp } from '@12street/platform';

/**
 * An event stream passing through (text/event-stream, e.g. /orderStatus/stream) never ends by
 * itself, and the gateway would wait for it when it closes: closing ends them, and the clients
 * reconnect to whichever gateway is there.
 */
export function endEventStreamsOnClose(app: HttpApp) {
  const open = new Set<ServerResponse>();
  app.addHook('onSend', async (_request, reply, payload) => {
    if (String(reply.getHeader('content-type') ?? '').startsWith('text/event-stream')) {
      const response = reply.raw;
      open.add(response);
      response.once('close', () => open.delete(response));
    }
    return payload;
  });
  app.addHook('preClose', async () => {
    for (const response of open) response.destroy();
  });
}
