import type { ComponentChildren } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import type { HalPage } from '../api/types.ts';
import { useApp } from '../context.ts';
import { followLink } from '../router.ts';
import { formatPrice, formatTime } from '../ui/format.ts';
import { ProblemMessage } from '../ui/ProblemMessage.tsx';
import { StatusBadge } from '../ui/StatusBadge.tsx';
import { useEventStream } from '../ui/useEventStream.ts';

type Row = Record<string, unknown>;
type Column = { label: string; cell(row: Row): ComponentChildren };
type Table = { path: string; rel: string; title: string; sort: string; columns: Column[] };

const orderLink = (id: unknown) => (
  <a href={`/console/orders/${id}`} onClick={followLink}>
    #{String(id)}
  </a>
);
const text = (field: string) => (row: Row) =>
  row[field] === null || row[field] === undefined ? '—' : String(row[field]);
const status = (field: string) => (row: Row) => <StatusBadge status={row[field] as string | null} />;
const time = (field: string) => (row: Row) => formatTime(row[field] as string);

/** Every service's own table, as its REST resource lists it. */
const TABLES: Table[] = [
  {
    path: '/orders',
    rel: 'orders',
    title: 'Orders (order)',
    sort: 'id,desc',
    columns: [
      { label: 'Order', cell: (r) => orderLink(r.id) },
      { label: 'Product', cell: (r) => `${r.qty} × ${r.productName}` },
      { label: 'Unit price', cell: (r) => formatPrice(r.productPrice as number) },
      { label: 'User', cell: text('username') },
      { label: 'Status', cell: status('orderStatus') },
      { label: 'Created', cell: time('createdAt') },
    ],
  },
  {
    path: '/payments',
    rel: 'payments',
    title: 'Payments (payment)',
    sort: 'id,desc',
    columns: [
      { label: 'Payment', cell: text('id') },
      { label: 'Order', cell: (r) => orderLink(r.orderId) },
      { label: 'Amount', cell: (r) => formatPrice(r.amount as number) },
      { label: 'Status', cell: status('payStatus') },
      { label: 'Updated', cell: time('updatedAt') },
    ],
  },
  {
    path: '/stockDeliveries',
    rel: 'stockDeliveries',
    title: 'Deliveries (delivery)',
    sort: 'id,desc',
    columns: [
      { label: 'Delivery', cell: text('id') },
      { label: 'Order', cell: (r) => orderLink(r.orderId) },
      { label: 'Coupon', cell: text('couponId') },
      { label: 'Status', cell: status('deliveryStatus') },
      { label: 'Updated', cell: time('updatedAt') },
    ],
  },
  {
    path: '/promotes',
    rel: 'promotes',
    title: 'Coupons (marketing)',
    sort: 'id,desc',
    columns: [
      { label: 'Promote', cell: text('id') },
      { label: 'Order', cell: (r) => orderLink(r.orderId) },
      { label: 'Coupon', cell: (r) => `${r.couponId ?? '—'} ${r.couponKind ?? ''}` },
      { label: 'Status', cell: status('promoteStatus') },
      { label: 'Updated', cell: time('updatedAt') },
    ],
  },
  {
    path: '/orderStatus',
    rel: 'orderStatuses',
    title: 'Order status (view)',
    sort: 'orderId,desc',
    columns: [
      { label: 'Order', cell: (r) => orderLink(r.orderId) },
      { label: 'Status', cell: status('status') },
      { label: 'Payment', cell: text('payStatus') },
      { label: 'Coupon', cell: text('promoteStatus') },
      { label: 'Delivery', cell: text('deliveryStatus') },
      { label: 'Events', cell: (r) => String((r.timeline as unknown[]).length) },
    ],
  },
];

const SIZES = [5, 10, 20, 50];

/**
 * The five tables with paging. They are read again whenever the order-status stream reports a
 * change anywhere (every saga step ends in an event), so they follow the system without polling.
 */
export function Tables() {
  const { api, session, expired } = useApp();
  const [chosen, setChosen] = useState(0);
  const [page, setPage] = useState(0);
  const [size, setSize] = useState(10);
  const [data, setData] = useState<HalPage<Row>>();
  const [failure, setFailure] = useState<unknown>();
  const [changes, setChanges] = useState(0);
  const pending = useRef<ReturnType<typeof setTimeout>>(undefined);
  const table = TABLES[chosen] as Table;

  useEventStream(
    '/orderStatus/stream',
    session.token,
    () => {
      clearTimeout(pending.current);
      pending.current = setTimeout(() => setChanges((n) => n + 1), 250);
    },
    expired,
  );
  useEffect(() => () => clearTimeout(pending.current), []);

  useEffect(() => {
    let current = true;
    api
      .get<HalPage<Row>>(`${table.path}?page=${page}&size=${size}&sort=${table.sort}`)
      .then((found) => {
        if (!current) return;
        setData(found);
        setFailure(undefined);
      })
      .catch((error: unknown) => current && setFailure(error));
    return () => {
      current = false;
    };
  }, [table, page, size, changes]);

  const rows = data?._embedded[table.rel] ?? [];
  const info = data?.page;
  const choose = (index: number) => {
    setChosen(index);
    setPage(0);
    setData(undefined);
  };

  return (
    <section class="card tables" aria-labelledby="tables-title">
      <h2 id="tables-title">Tables</h2>
      <fieldset class="tabs">
        <legend class="visually-hidden">Which table</legend>
        {TABLES.map((t, i) => (
          <button key={t.path} type="button" class="button tab" aria-pressed={i === chosen} onClick={() => choose(i)}>
            {t.title}
          </button>
        ))}
      </fieldset>
      {failure ? <ProblemMessage error={failure} title={`${table.title} could not be read`} /> : null}
      <div class="table-wrap">
        <table>
          <caption>
            {table.title}: <code>GET {table.path}</code>
          </caption>
          <thead>
            <tr>
              {table.columns.map((c) => (
                <th key={c.label} scope="col">
                  {c.label}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {rows.length === 0 ? (
              <tr>
                <td colSpan={table.columns.length} class="empty">
                  {data ? 'No rows.' : 'Loading…'}
                </td>
              </tr>
            ) : (
              rows.map((row, i) => (
                <tr key={String(row.id ?? row.orderId ?? i)}>
                  {table.columns.map((c) => (
                    <td key={c.label}>{c.cell(row)}</td>
                  ))}
                </tr>
              ))
            )}
          </tbody>
        </table>
      </div>
      <nav class="pager" aria-label={`${table.title} pages`}>
        <button type="button" class="button" disabled={page === 0} onClick={() => setPage((p) => p - 1)}>
          Previous<span class="visually-hidden"> page</span>
        </button>
        <span aria-live="polite">
          Page {info ? info.number + 1 : page + 1} of {Math.max(1, info?.totalPages ?? 1)} · {info?.totalElements ?? 0}{' '}
          rows
        </span>
        <button
          type="button"
          class="button"
          disabled={!info || page + 1 >= info.totalPages}
          onClick={() => setPage((p) => p + 1)}
        >
          Next<span class="visually-hidden"> page</span>
        </button>
        <label>
          Rows per page{' '}
          <select
            value={size}
            onChange={(e) => {
              setSize(Number(e.currentTarget.value));
              setPage(0);
            }}
          >
            {SIZES.map((s) => (
              <option key={s} value={s}>
                {s}
              </option>
            ))}
          </select>
        </label>
      </nav>
    </section>
  );
}
