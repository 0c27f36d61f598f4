/** Where the read model lives unless told otherwise; a prefix of its own isolates a deployment or a test. */
export const DEFAULT_ORDER_STATUS_KEY_PREFIX = '12street:order-status:';

export type OrderStatusKeys = ReturnType<typeof orderStatusKeys>;

/** Every key the Redis read model uses, all under one prefix so a run can be found (and removed) by SCAN. */
export function orderStatusKeys(prefix: string = DEFAULT_ORDER_STATUS_KEY_PREFIX) {
  return {
    prefix,
    /** Hash: eventId → envelope JSON, every event kept for the order. */
    eventsOf: (orderId: number) => `${prefix}order:${orderId}:events`,
    /** String: the order's view JSON with its updatedAt. */
    viewOf: (orderId: number) => `${prefix}order:${orderId}:view`,
    /** Sorted sets of orders for paged listing, scored by order id, by update time, and by its negation. */
    byOrderId: `${prefix}orders:by-order-id`,
    byUpdatedAt: `${prefix}orders:by-updated-at`,
    byUpdatedAtDesc: `${prefix}orders:by-updated-at-desc`,
    /** Sorted set of one user's orders, scored by order id. */
    ofUser: (userId: string) => `${prefix}user:${userId}:orders`,
  };
}

/**
 * Orders are zero-padded members, so orders updated in the same millisecond sort by order id
 * ascending in either direction, like the SQL store's tie-break.
 */
export const memberOf = (orderId: number) => String(orderId).padStart(16, '0');
export const orderIdOf = (member: string) => Number(member);
