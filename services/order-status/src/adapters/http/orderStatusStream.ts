import { PassThrough } from 'node:stream';
import { Fields } from '@12street/contracts';
import { callerOf, type HttpApp, HttpProblem, mayAccess, onlyUser } from '@12street/platform';
import Type from 'typebox';
import type { OrderStatusQueries, StoredOrderStatus } from '../../application/ports.ts';
import { toOrderStatusBody } from './orderStatusRoutes.ts';

const StreamQuery = Type.Object({ orderId: Type.Optional(Fields.id) }, { additionalProperties: false });

export type OrderStatusStreamOptions = {
  queries: OrderStatusQueries;
  /**
   * How often a stream reads its views for changes. The view may be written by another replica
   * (Kafka spreads the orders over the consumers), so a stream reads the store instead of waiting
   * to be told by the projection in its own process.
   */
  checkEveryMs?: number;
  /** A comment this often keeps a quiet stream open through proxies (the gateway's body timeout is 10 s). */
  heartbeatMs?: number;
  /**
   * The gateway checked the token when the stream opened, not since: a stream ends after this long,
   * and the client opens a new one with the token it holds then (an expired one is refused).
   */
  maxStreamMs?: number;
  /** Without an orderId, ops and services follow the views that changed last, this many of them. */
  recentSize?: number;
};

const RETRY_MS = 2000;
/** A client that reads nothing is dropped rather than buffered for: it gets a fresh snapshot when it comes back. */
const MAX_BUFFERED_BYTES = 1024 * 1024;

/** A view changes only by gaining an event, and its timeline has one entry per event. */
const versionOf = (v: StoredOrderStatus) => `${v.orderId}:${v.timeline.length}:${v.updatedAt}`;

const frame = (event: string, id: string, data: unknown) =>
  `event: ${event}\nid: ${id}\ndata: ${JSON.stringify(data)}\n\n`;

/**
 * `GET /orderStatus/stream[?orderId=]`: server-sent events, one `orderStatus` event with the view
 * whenever a view the caller may see changes, and every such view once when the stream opens (so a
 * client that reconnects misses nothing). Customers follow their own orders; ops follow one order
 * or the latest changes.
 */
export function orderStatusStream(app: HttpApp, options: OrderStatusStreamOptions) {
  const { queries } = options;
  const checkEveryMs = options.checkEveryMs ?? 300;
  const heartbeatMs = options.heartbeatMs ?? 5000;
  const maxStreamMs = options.maxStreamMs ?? 5 * 60_000;
  const recentSize = options.recentSize ?? 50;
  const open = new Set<PassThrough>();
  // Fastify waits for open responses when it closes; a stream never ends by itself, so it is ended.
  app.addHook('preClose', async () => {
    for (const stream of open) stream.end();
  });

  app.get('/orderStatus/stream', { schema: { querystring: StreamQuery } }, async (request, reply) => {
    const caller = callerOf(request);
    const { orderId } = request.query;
    const owner = onlyUser(caller);
    let read: () => Promise<StoredOrderStatus[]>;
    if (orderId !== undefined) {
      const existing = await queries.orderStatusOf(orderId);
      if (existing && !mayAccess(caller, existing.userId))
        throw new HttpProblem(404, 'Not Found', `no status is known for order ${orderId}`);
      // An order not projected yet is waited for: it may be the one the client has just placed.
      read = async () => {
        const view = await queries.orderStatusOf(orderId);
        return view && mayAccess(caller, view.userId) ? [view] : [];
      };
    } else if (owner !== undefined) {
      read = () => queries.orderStatusesOfUser(owner);
    } else {
      read = async () =>
        (await queries.listOrderStatuses({ page: 0, size: recentSize, sortBy: 'updatedAt', direction: 'desc' })).items;
    }

    const stream = new PassThrough();
    open.add(stream);
    let sent = new Map<number, string>();
    let lastWrite = Date.now();
    let failing = false;
    let timer: NodeJS.Timeout | undefined;
    const openedAt = Date.now();
    const write = (text: string) => {
      stream.write(text);
      lastWrite = Date.now();
      if (stream.writableLength > MAX_BUFFERED_BYTES) stream.end();
    };
    const stop = () => {
      clearTimeout(timer);
      open.delete(stream);
    };
    stream.once('close', stop);
    reply.raw.once('close', () => {
      stop();
      stream.destroy();
    });

    const check = async () => {
      try {
        const views = await read();
        const seen = new Map<number, string>();
        for (const view of views) {
          const version = versionOf(view);
          seen.set(view.orderId, version);
          if (sent.get(view.orderId) !== version)
            write(frame('orderStatus', `${view.orderId}:${view.timeline.length}`, toOrderStatusBody(view)));
        }
        sent = seen;
        failing = false;
      } catch (error) {
        if (!failing) request.log.warn({ err: error }, 'order status stream could not read the views; retrying');
        failing = true;
      }
      if (!open.has(stream)) return;
      if (Date.now() - openedAt >= maxStreamMs) return void stream.end();
      if (Date.now() - lastWrite >= heartbeatMs) write(': keep-alive\n\n');
      timer = setTimeout(check, checkEveryMs);
    };

    reply
      .header('content-type', 'text/event-stream; charset=utf-8')
      .header('cache-control', 'no-store')
      .header('x-accel-buffering', 'no')
      // The connection ends with the stream: a kept-alive one would hold up closing the server.
      .header('connection', 'close');
    write(`retry: ${RETRY_MS}\n\n`);
    void check();
    return reply.send(stream);
  });
}
