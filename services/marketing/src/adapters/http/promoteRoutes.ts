import { CancelCouponRequest, Fields, IssueCouponRequest, type PromoteBody } from '@12street/contracts';
import { type HttpApp, halResource } from '@12street/platform';
import type { PromoteQueries } from '../../application/ports.ts';
import type { CancelRequest, CouponRequest, Promote } from '../../domain/promote.ts';
import { SORTABLE_PROMOTE_FIELDS } from '../persistence/promoteStore.ts';

export type PromoteRouteDeps = {
  issueCoupon(request: CouponRequest): Promise<{ created: boolean; promote: Promote }>;
  cancelCoupon(request: CancelRequest): Promise<Promote>;
  queries: PromoteQueries;
};

const PATH = '/promotes';

export function toPromoteBody(p: Promote): PromoteBody {
  return {
    id: p.id ?? 0,
    orderId: p.orderId,
    userId: p.userId,
    username: p.username ?? '',
    phoneNo: p.phoneNo ?? '',
    couponId: p.couponId,
    couponKind: p.couponKind,
    couponUseYn: p.couponUseYn,
    promoteStatus: p.promoteStatus,
    createdAt: p.createdAt,
    updatedAt: p.updatedAt,
  };
}

export function promoteRoutes(app: HttpApp, deps: PromoteRouteDeps) {
  const promotes = halResource(app, {
    path: PATH,
    collectionRel: 'promotes',
    itemRel: 'promote',
    toBody: toPromoteBody,
    sortable: SORTABLE_PROMOTE_FIELDS,
    list: deps.queries.listPromotes,
    byId: deps.queries.promoteById,
    notFound: (id) => `promote ${id} does not exist`,
    search: { name: 'findByOrderId', param: 'orderId', schema: Fields.id, find: deps.queries.promotesForOrder },
  });

  app.post(PATH, { schema: { body: IssueCouponRequest } }, async (request, reply) => {
    const { created, promote } = await deps.issueCoupon(request.body);
    const body = promotes.represent(request, promote);
    if (created) reply.header('location', body._links.self?.href).status(201);
    return body;
  });

  app.post(`${PATH}/cancellations`, { schema: { body: CancelCouponRequest } }, async (request) => {
    const promote = await deps.cancelCoupon(request.body);
    return { orderId: promote.orderId, promoteStatus: promote.promoteStatus, couponId: promote.couponId };
  });
}
