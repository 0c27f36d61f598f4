import { connect, createServer, type Socket } from 'node:net';

/**
 * A TCP proxy in front of payment that order is pointed at: distributed mode has no fault switch,
 * so "payment is slow" is made here, by holding payment's answers back. Requests pass at once (a
 * payment the caller gave up on is still carried out, as with a really slow server); answers wait
 * `delay()` ms, in order. When payment is down, the caller's connection drops as it would.
 */
export async function slowProxy() {
  let delay: () => number = () => 0;
  let target: URL | undefined;
  const open = new Set<Socket>();
  const server = createServer((client) => {
    if (!target) return void client.destroy();
    const upstream = connect(Number(target.port), target.hostname);
    open.add(client);
    open.add(upstream);
    let releaseAt = 0;
    let held = 0;
    let ended = false;
    const endWhenReleased = () => {
      if (ended && held === 0) client.end();
    };
    client.pipe(upstream);
    upstream.on('data', (chunk: Buffer) => {
      const wait = delay();
      if (wait <= 0 && held === 0) {
        client.write(chunk);
        return;
      }
      releaseAt = Math.max(releaseAt, Date.now() + wait);
      held += 1;
      setTimeout(() => {
        held -= 1;
        if (!client.destroyed) client.write(chunk);
        endWhenReleased();
      }, releaseAt - Date.now());
    });
    upstream.on('end', () => {
      ended = true;
      endWhenReleased();
    });
    const close = () => {
      client.destroy();
      upstream.destroy();
      open.delete(client);
      open.delete(upstream);
    };
    upstream.on('error', close);
    client.on('error', close);
    client.on('close', close);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    /** Where payment is: known only once it started, after order was told to call the proxy. */
    pointAt(url: string) {
      target = new URL(url);
    },
    /** From now on every answer waits this long (drawn per answer); () => 0 makes payment fast again. */
    slowDown(next: () => number) {
      delay = next;
    },
    async close() {
      for (const socket of open) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

export type SlowProxy = Awaited<ReturnType<typeof slowProxy>>;
