import { CancelOrderRequest, IdParams, PlaceOrderRequest } from '@12street/contracts';
import type { TSchema } from 'typebox';
import Value from 'typebox/value';
import type { Order, OrderDetails } from '../../domain/order.ts';
import { InvalidRequest } from './grpcStatus.ts';

/** What street.order.v1.Order carries: the REST body's fields. */
export type OrderMessage = OrderDetails & { id: number; orderStatus: string; createdAt: string };
export type OrderStatusChangeMessage = { id: number; orderStatus: string; changedAt: string };

/** Validated with the very schema REST validates its body with, so both edges accept the same orders. */
function checked<T>(schema: TSchema, value: unknown): T {
  if (Value.Check(schema, value)) return value as T;
  const first = Value.Errors(schema, value)[0];
  throw new InvalidRequest(first ? `${first.instancePath || '/'} ${first.message}` : 'invalid request');
}

export const placeOrderRequestOf = (message: unknown): OrderDetails =>
  checked<PlaceOrderRequest>(PlaceOrderRequest, message);

export const orderIdOf = (message: { id?: unknown }): number =>
  checked<{ id: number }>(IdParams, { id: message.id }).id;

/** proto3 has no absent string: an empty reason is no reason (the default one is used). */
export function cancelRequestOf(message: { id?: unknown; reason?: unknown }): { id: number; reason?: string } {
  const id = orderIdOf(message);
  if (message.reason === '' || message.reason === undefined) return { id };
  return { id, ...checked<{ reason?: string }>(CancelOrderRequest, { reason: message.reason }) };
}

export function toOrderMessage(order: Order & { id: number }): OrderMessage {
  return { id: order.id, ...order.details, orderStatus: order.orderStatus, createdAt: order.createdAt };
}

export function toStatusChange(order: Order & { id: number }): OrderStatusChangeMessage {
  return { id: order.id, orderStatus: order.orderStatus, changedAt: order.updatedAt };
}
