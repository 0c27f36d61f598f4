import { CancelCouponRequest, IdParams, IssueCouponRequest, OrderIdQuery, type PromoteBody } from '@12street/contracts';
import {
  type HttpApp,
  HttpProblem,
  halCollection,
  halItem,
  PagingQuery,
  parsePaging,
  publicBaseUrl,
} from '@12street/platform';
import type { PromoteQueries } from '../../application/ports.ts';
import type { CancelRequest, CouponRequest, Promote } from '../../domain/promote.ts';
import { SORTABLE_PROMOTE_FIELDS } from '../persistence/promoteStore.ts';

export type PromoteRouteDeps = {
  issueCoupon(request: CouponRequest): Promise<{ created: boolean; promote: Promote }>;
  cancelCoupon(request: CancelRequest): Promise<Promote>;
  queries: PromoteQueries;
};

const PATH = '/promotes';
const REL = 'promotes';

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
  const item = (base: string, p: Promote) => halItem(base, PATH, 'promote', p.id ?? 0, toPromoteBody(p));

  app.get(PATH, { schema: { querystring: PagingQuery } }, async (request) => {
    const paging = parsePaging(request.query, SORTABLE_PROMOTE_FIELDS);
    const page = await deps.queries.listPromotes(paging);
    const base = publicBaseUrl(request);
    return halCollection({
      base,
      path: PATH,
      rel: REL,
      items: page.items.map((p) => item(base, p)),
      paging,
      totalElements: page.totalElements,
      searchable: true,
    });
  });

  app.get(`${PATH}/:id`, { schema: { params: IdParams } }, async (request) => {
    const promote = await deps.queries.promoteById(request.params.id);
    if (!promote) throw new HttpProblem(404, 'Not Found', `promote ${request.params.id} does not exist`);
    return item(publicBaseUrl(request), promote);
  });

  app.get(`${PATH}/search`, async (request) => {
    const base = publicBaseUrl(request);
    return {
      _links: {
        findByOrderId: { href: `${base}${PATH}/search/findByOrderId{?orderId}`, templated: true },
        self: { href: `${base}${PATH}/search` },
      },
    };
  });

  app.get(`${PATH}/search/findByOrderId`, { schema: { querystring: OrderIdQuery } }, async (request) => {
    const base = publicBaseUrl(request);
    const promotes = await deps.queries.promotesForOrder(request.query.orderId);
    return {
      _embedded: { [REL]: promotes.map((p) => item(base, p)) },
      _links: { self: { href: `${base}${PATH}/search/findByOrderId?orderId=${request.query.orderId}` } },
    };
  });

  app.post(PATH, { schema: { body: IssueCouponRequest } }, async (request, reply) => {
    const { created, promote } = await deps.issueCoupon(request.body);
    const body = item(publicBaseUrl(request), promote);
    if (created) reply.header('location', body._links.self?.href).status(201);
    return body;
  });

  app.post(`${PATH}/cancellations`, { schema: { body: CancelCouponRequest } }, async (request) => {
    const promote = await deps.cancelCoupon(request.body);
    return { orderId: promote.orderId, promoteStatus: promote.promoteStatus, couponId: promote.couponId };
  });
}
