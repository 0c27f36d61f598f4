import type { ServerWritableStream } from '@grpc/grpc-js';
import type { Logger } from 'pino';
import type { OrderQueries } from '../../application/ports.ts';
import { ORDER_STATES, OrderNotFound } from '../../domain/order.ts';
import { type GrpcStatus, grpcStatusOf } from './grpcStatus.ts';
import { type OrderStatusChangeMessage, orderIdOf, toStatusChange } from './orderMessages.ts';

export type WatchDeps = { queries: OrderQueries; intervalMs: number; logger: Logger };

/** The watches still open, so that stopping the server can end them instead of waiting on them. */
export type Watches = Set<(final: GrpcStatus) => void>;

/**
 * Streams the order's status, then each change, until it is canceled (the stream ends OK) or the
 * client hangs up. It polls the order's own queries every intervalMs, one poll at a time: order
 * keeps no change feed of its own. A subscription to order-status (or to order's OrderCanceled in
 * the outbox) could replace the polling once order has a way to consume events.
 */
export function watchOrder(deps: WatchDeps, watches: Watches) {
  return (call: ServerWritableStream<{ id?: unknown }, OrderStatusChangeMessage>) => {
    let done = false;
    let timer: NodeJS.Timeout | undefined;
    let lastStatus: string | undefined;

    const finish = (final?: GrpcStatus) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      watches.delete(finish);
      if (call.cancelled) return;
      if (final) call.emit('error', final);
      else call.end();
    };
    call.on('cancelled', () => finish());

    let id: number;
    try {
      id = orderIdOf(call.request);
    } catch (error) {
      finish(grpcStatusOf(error, deps.logger, 'WatchOrder'));
      return;
    }
    watches.add(finish);

    const poll = async () => {
      try {
        const order = await deps.queries.orderById(id);
        if (done) return;
        if (!order) return finish(grpcStatusOf(new OrderNotFound(id), deps.logger, 'WatchOrder'));
        if (order.orderStatus !== lastStatus) {
          lastStatus = order.orderStatus;
          call.write(toStatusChange({ ...order, id }));
        }
        if (order.orderStatus === ORDER_STATES.canceled) return finish();
        timer = setTimeout(poll, deps.intervalMs);
      } catch (error) {
        finish(grpcStatusOf(error, deps.logger, 'WatchOrder'));
      }
    };
    void poll();
  };
}
