import type { FastifyRequest } from 'fastify';
import Type from 'typebox';
import { HttpProblem } from './problem.ts';

// The Spring Data REST (HAL) shapes the original's clients read.

export const PagingQuery = Type.Object(
  {
    page: Type.Optional(Type.Integer({ minimum: 0, maximum: 1_000_000, default: 0 })),
    size: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 20 })),
    sort: Type.Optional(Type.String({ maxLength: 64, pattern: '^[A-Za-z]+(,(asc|desc|ASC|DESC))?$' })),
  },
  { additionalProperties: false },
);

export type Paging = { page: number; size: number; sortBy: string; direction: 'asc' | 'desc' };

export function parsePaging(
  query: { page?: number; size?: number; sort?: string },
  sortable: readonly string[],
  defaultSort = 'id',
): Paging {
  const [field = defaultSort, dir = 'asc'] = (query.sort ?? defaultSort).split(',');
  if (!sortable.includes(field)) {
    throw new HttpProblem(400, 'Invalid request', `cannot sort by "${field}"; sortable: ${sortable.join(', ')}`);
  }
  return {
    page: query.page ?? 0,
    size: query.size ?? 20,
    sortBy: field,
    direction: dir.toLowerCase() as 'asc' | 'desc',
  };
}

/** The address clients used: through the gateway, its host (X-Forwarded-*), else our own. */
export function publicBaseUrl(request: FastifyRequest): string {
  const proto = (request.headers['x-forwarded-proto'] as string | undefined) ?? request.protocol;
  const host = (request.headers['x-forwarded-host'] as string | undefined) ?? request.headers.host ?? 'localhost';
  return `${proto}://${host}`;
}

type Link = { href: string; templated?: boolean };

export function halItem<T extends object>(base: string, path: string, rel: string, id: number, body: T) {
  const href = `${base}${path}/${id}`;
  return { ...body, _links: { self: { href }, [rel]: { href } } as Record<string, Link> };
}

export function halCollection<T>(options: {
  base: string;
  path: string;
  rel: string;
  items: T[];
  paging: Paging;
  totalElements: number;
  searchable?: boolean;
}) {
  const { base, path, rel, items, paging, totalElements } = options;
  const links: Record<string, Link> = {
    self: { href: `${base}${path}?page=${paging.page}&size=${paging.size}` },
    profile: { href: `${base}/profile${path}` },
  };
  if (options.searchable) links.search = { href: `${base}${path}/search` };
  return {
    _embedded: { [rel]: items },
    _links: links,
    page: {
      size: paging.size,
      totalElements,
      totalPages: Math.ceil(totalElements / paging.size),
      number: paging.page,
    },
  };
}
