import type { SelectQueryBuilder } from 'kysely';

export type RowPage = { page: number; size: number; direction: 'asc' | 'desc' };

/**
 * One page of a listing and the count of all it holds, sorted by the given column with the id as
 * the tie-breaker, so a page never shifts between requests. `listed` builds the filtered query.
 */
export async function pagedRows<Row>(
  // biome-ignore lint/suspicious/noExplicitAny: table-agnostic; each store maps the rows it gets back.
  listed: () => SelectQueryBuilder<any, any, any>,
  column: string,
  { page, size, direction }: RowPage,
): Promise<{ rows: Row[]; total: number }> {
  const [rows, total] = await Promise.all([
    listed()
      .selectAll()
      .orderBy(column, direction)
      .orderBy('id')
      .limit(size)
      .offset(page * size)
      .execute(),
    listed()
      .select(({ fn }) => fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow(),
  ]);
  return { rows: rows as Row[], total: Number(total.n) };
}
