import { insertReturningId, type MessagingTables, pagedRows, sqlOf } from '@12street/platform';
import type { Generated, Kysely, Selectable } from 'kysely';
import type { PromoteQueries, PromoteStore } from '../../application/ports.ts';
import type { CouponKind, Promote, PromoteStatus } from '../../domain/promote.ts';

interface PromotesTable {
  id: Generated<number>;
  order_id: number;
  user_id: string;
  username: string | null;
  phone_no: string | null;
  coupon_id: number | null;
  coupon_kind: string | null;
  coupon_use_yn: string | null;
  promote_status: string;
  reason: string | null;
  created_at: string;
  updated_at: string;
}

export interface MarketingDatabase extends MessagingTables {
  promotes: PromotesTable;
}

const SORT_COLUMNS = {
  id: 'id',
  orderId: 'order_id',
  couponId: 'coupon_id',
  promoteStatus: 'promote_status',
  createdAt: 'created_at',
} as const;
export const SORTABLE_PROMOTE_FIELDS = Object.keys(SORT_COLUMNS);

function toRow(p: Promote) {
  return {
    order_id: p.orderId,
    user_id: p.userId,
    username: p.username,
    phone_no: p.phoneNo,
    coupon_id: p.couponId,
    coupon_kind: p.couponKind,
    coupon_use_yn: p.couponUseYn,
    promote_status: p.promoteStatus,
    reason: p.reason,
    created_at: p.createdAt,
    updated_at: p.updatedAt,
  };
}

function toPromote(r: Selectable<PromotesTable>): Promote {
  return {
    id: Number(r.id),
    orderId: Number(r.order_id),
    userId: r.user_id,
    username: r.username,
    phoneNo: r.phone_no,
    couponId: r.coupon_id === null ? null : Number(r.coupon_id),
    couponKind: r.coupon_kind as CouponKind | null,
    couponUseYn: r.coupon_use_yn as Promote['couponUseYn'],
    promoteStatus: r.promote_status as PromoteStatus,
    reason: r.reason,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

export const promoteStore: PromoteStore = {
  async findPromoteForOrder(tx, orderId) {
    const row = await sqlOf<MarketingDatabase>(tx)
      .selectFrom('promotes')
      .selectAll()
      .where('order_id', '=', orderId)
      .executeTakeFirst();
    return row && toPromote(row);
  },
  async addPromote(tx, promote) {
    return insertReturningId(sqlOf(tx), 'promotes', toRow(promote));
  },
  async updatePromote(tx, promote) {
    if (promote.id === null) throw new Error('cannot update a promote that was never stored');
    await sqlOf<MarketingDatabase>(tx)
      .updateTable('promotes')
      .set(toRow(promote))
      .where('id', '=', promote.id)
      .execute();
  },
};

export function promoteQueries(db: Kysely<MarketingDatabase>): PromoteQueries {
  const listed = () => db.selectFrom('promotes').where('coupon_id', 'is not', null);
  return {
    async listPromotes(request) {
      const column = SORT_COLUMNS[request.sortBy as keyof typeof SORT_COLUMNS] ?? 'id';
      const { rows, total } = await pagedRows<Parameters<typeof toPromote>[0]>(listed, column, request);
      return { items: rows.map(toPromote), totalElements: total };
    },
    async promoteById(id) {
      const row = await listed().selectAll().where('id', '=', id).executeTakeFirst();
      return row && toPromote(row);
    },
    async promotesForOrder(orderId) {
      const rows = await listed().selectAll().where('order_id', '=', orderId).execute();
      return rows.map(toPromote);
    },
  };
}
