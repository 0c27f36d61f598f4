import { Metadata, type StatusObject, status } from '@grpc/grpc-js';
import type { Logger } from 'pino';
import { PaymentRefused, PaymentUnavailable } from '../../application/ports.ts';
import { OrderAbandoned, OrderAlreadyCanceled, OrderNotFound } from '../../domain/order.ts';

/** The request broke the API's rules (the contracts' schemas). */
export class InvalidRequest extends Error {
  override readonly name = 'InvalidRequest';
}

export type GrpcStatus = Pick<StatusObject, 'code' | 'details'> & { metadata?: Metadata };

const withMetadata = (code: status, details: string, entries: Record<string, string> = {}): GrpcStatus => {
  const metadata = new Metadata();
  for (const [key, value] of Object.entries(entries)) metadata.set(key, value);
  return { code, details, metadata };
};

/**
 * The gRPC side of REST's mapDomainError, in one place: the same domain errors, the codes gRPC
 * clients expect. Anything unexpected is logged and answered INTERNAL without its message.
 */
export function grpcStatusOf(error: unknown, logger: Logger, method: string): GrpcStatus {
  if (error instanceof InvalidRequest) return withMetadata(status.INVALID_ARGUMENT, error.message);
  if (error instanceof OrderNotFound) return withMetadata(status.NOT_FOUND, error.message);
  if (error instanceof OrderAlreadyCanceled) return withMetadata(status.FAILED_PRECONDITION, error.message);
  if (error instanceof PaymentUnavailable) {
    return withMetadata(status.UNAVAILABLE, `payment unavailable (${error.reason}): ${error.message}`, {
      'unavailable-reason': error.reason,
      'retry-after-seconds': String(error.retryAfterSeconds),
    });
  }
  // REST answers both 409: payment's (or a racing worker's) decision stands, asking again won't change it.
  if (error instanceof PaymentRefused || error instanceof OrderAbandoned) {
    return withMetadata(status.ABORTED, error.message);
  }
  logger.error({ err: error, method }, 'gRPC call failed');
  return withMetadata(status.INTERNAL, 'internal error');
}
