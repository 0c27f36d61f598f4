import { PAY_STATUS } from '@12street/contracts';
import { insertReturningId, type MessagingTables, pagedRows, sqlOf } from '@12street/platform';
import type { Generated, Kysely, Selectable } from 'kysely';
import type { PaymentQueries, PaymentStore } from '../../application/ports.ts';
import type { Payment, PayStatus } from '../../domain/payment.ts';

interface PaymentsTable {
  id: Generated<number>;
  order_id: number;
  product_id: number | null;
  product_name: string | null;
  product_price: number | null;
  qty: number | null;
  amount: number | null;
  user_id: string | null;
  username: string | null;
  address: string | null;
  phone_no: string | null;
  pay_status: string;
  reason: string | null;
  created_at: string;
  updated_at: string;
}

export interface PaymentDatabase extends MessagingTables {
  payments: PaymentsTable;
}

const SORT_COLUMNS = {
  id: 'id',
  orderId: 'order_id',
  amount: 'amount',
  payStatus: 'pay_status',
  createdAt: 'created_at',
} as const;
export const SORTABLE_PAYMENT_FIELDS = Object.keys(SORT_COLUMNS);

function toRow(p: Payment) {
  const d = p.details;
  return {
    order_id: p.orderId,
    product_id: d?.productId ?? null,
    product_name: d?.productName ?? null,
    product_price: d?.productPrice ?? null,
    qty: d?.qty ?? null,
    amount: p.amount,
    user_id: d?.userId ?? null,
    username: d?.username ?? null,
    address: d?.address ?? null,
    phone_no: d?.phoneNo ?? null,
    pay_status: p.payStatus,
    reason: p.reason,
    created_at: p.createdAt,
    updated_at: p.updatedAt,
  };
}

function toPayment(r: Selectable<PaymentsTable>): Payment {
  const orderId = Number(r.order_id);
  return {
    id: Number(r.id),
    orderId,
    details:
      r.product_id === null
        ? null
        : {
            orderId,
            productId: Number(r.product_id),
            productName: r.product_name ?? '',
            productPrice: Number(r.product_price),
            qty: Number(r.qty),
            userId: r.user_id ?? '',
            username: r.username ?? '',
            address: r.address ?? '',
            phoneNo: r.phone_no ?? '',
          },
    amount: r.amount === null ? null : Number(r.amount),
    payStatus: r.pay_status as PayStatus,
    reason: r.reason,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

export const paymentStore: PaymentStore = {
  async findPaymentForOrder(tx, orderId) {
    const row = await sqlOf<PaymentDatabase>(tx)
      .selectFrom('payments')
      .selectAll()
      .where('order_id', '=', orderId)
      .executeTakeFirst();
    return row && toPayment(row);
  },
  async addPayment(tx, payment) {
    return insertReturningId(sqlOf(tx), 'payments', toRow(payment));
  },
  async updatePayment(tx, payment) {
    if (payment.id === null) throw new Error('cannot update a payment that was never stored');
    await sqlOf<PaymentDatabase>(tx).updateTable('payments').set(toRow(payment)).where('id', '=', payment.id).execute();
  },
};

export function paymentQueries(db: Kysely<PaymentDatabase>): PaymentQueries {
  const listed = () => db.selectFrom('payments').where('pay_status', '!=', PAY_STATUS.voided);
  return {
    async listPayments(request) {
      const column = SORT_COLUMNS[request.sortBy as keyof typeof SORT_COLUMNS] ?? 'id';
      const { rows, total } = await pagedRows<Parameters<typeof toPayment>[0]>(listed, column, request);
      return { items: rows.map(toPayment), totalElements: total };
    },
    async paymentById(id) {
      const row = await listed().selectAll().where('id', '=', id).executeTakeFirst();
      return row && toPayment(row);
    },
    async paymentsForOrder(orderId) {
      const rows = await listed().selectAll().where('order_id', '=', orderId).execute();
      return rows.map(toPayment);
    },
  };
}
