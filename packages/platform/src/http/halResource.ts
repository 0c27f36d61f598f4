import { Fields } from '@12street/contracts';
import type { FastifyRequest } from 'fastify';
import Type, { type Static, type TSchema } from 'typebox';
import { callerOf, mayAccess, onlyUser, pageOfOwn } from './caller.ts';
import { halCollection, halItem, type Paging, PagingQuery, parsePaging, publicBaseUrl } from './hal.ts';
import { HttpProblem } from './problem.ts';
import type { HttpApp } from './server.ts';

/** A finder at `<path>/search/<name>?<param>=`, as Spring Data REST lists them under `search`. */
export type HalSearch<T, S extends TSchema> = {
  name: string;
  param: string;
  schema: S;
  find(value: Static<S>): Promise<T[]>;
};

export type HalResourceSpec<T, B extends { id: number }, S extends TSchema> = {
  /** Where the collection is served, e.g. `/payments`. */
  path: string;
  /** `_embedded`'s key in the collection and the search results, e.g. `payments`. */
  collectionRel: string;
  /** An item's link to itself besides `self`, e.g. `payment`. */
  itemRel: string;
  /** What clients read of an item; its `id` is the item's address. */
  toBody(item: T): B;
  /** Fields the collection can be sorted by, and the one it is sorted by when none is asked. */
  sortable: readonly string[];
  defaultSort?: string;
  list(paging: Paging): Promise<{ items: T[]; totalElements: number }>;
  /** The item route's parameter: `id` unless the resource is addressed by another key. */
  idParam?: string;
  byId(id: number): Promise<T | undefined>;
  /** The 404's detail when nothing (visible) answers to an id. */
  notFound(id: number): string;
  search: HalSearch<T, S>;
  /**
   * Items that belong to a user: a customer then sees only their own, in the collection, by id and
   * in searches; anyone else's is "not found". Ops and internal callers see everything.
   */
  ownedBy?: { ownerOf(item: T): string | null | undefined; itemsOf(userId: string): Promise<T[]> };
};

/**
 * The read side of a Spring Data REST resource, as the original's clients call it: the paged
 * collection, one item by id, the search index and its finder. Returns how an item is represented,
 * for the resource's own write routes.
 */
export function halResource<T, B extends { id: number }, S extends TSchema>(
  app: HttpApp,
  spec: HalResourceSpec<T, B, S>,
) {
  const { path, collectionRel, search, ownedBy } = spec;
  const idParam = spec.idParam ?? 'id';
  const represent = (base: string, item: T) => {
    const body = spec.toBody(item);
    return halItem(base, path, spec.itemRel, body.id, body);
  };
  /** A customer's page of an owned resource is cut from their own items alone. */
  const pageFor = async (request: FastifyRequest, paging: Paging) => {
    const owner = onlyUser(callerOf(request));
    if (!ownedBy || owner === undefined) return spec.list(paging);
    const fieldOf = (item: T, field: string) => (spec.toBody(item) as Record<string, unknown>)[field];
    return pageOfOwn(await ownedBy.itemsOf(owner), paging, fieldOf);
  };
  const visibleTo = (request: FastifyRequest, item: T) =>
    !ownedBy || mayAccess(callerOf(request), ownedBy.ownerOf(item));

  app.get(path, { schema: { querystring: PagingQuery } }, async (request) => {
    const paging = parsePaging(request.query, spec.sortable, spec.defaultSort);
    const page = await pageFor(request, paging);
    const base = publicBaseUrl(request);
    return halCollection({
      base,
      path,
      rel: collectionRel,
      items: page.items.map((item) => represent(base, item)),
      paging,
      totalElements: page.totalElements,
      searchable: true,
    });
  });

  const IdParams = Type.Object({ [idParam]: Fields.id }, { additionalProperties: false });
  app.get(`${path}/:${idParam}`, { schema: { params: IdParams } }, async (request) => {
    const id = request.params[idParam] as number;
    const item = await spec.byId(id);
    if (!item || !visibleTo(request, item)) throw new HttpProblem(404, 'Not Found', spec.notFound(id));
    return represent(publicBaseUrl(request), item);
  });

  const finder = `${path}/search/${search.name}`;
  app.get(`${path}/search`, async (request) => {
    const base = publicBaseUrl(request);
    return {
      _links: {
        [search.name]: { href: `${base}${finder}{?${search.param}}`, templated: true },
        self: { href: `${base}${path}/search` },
      },
    };
  });

  const SearchQuery = Type.Object({ [search.param]: search.schema }, { additionalProperties: false });
  app.get(finder, { schema: { querystring: SearchQuery } }, async (request) => {
    const base = publicBaseUrl(request);
    const value = (request.query as Record<string, Static<S>>)[search.param] as Static<S>;
    const found = (await search.find(value)).filter((item) => visibleTo(request, item));
    return {
      _embedded: { [collectionRel]: found.map((item) => represent(base, item)) },
      _links: { self: { href: `${base}${finder}?${search.param}=${encodeURIComponent(String(value))}` } },
    };
  });

  return {
    /** An item as the resource's routes answer with it (HAL links at the caller's public address). */
    represent: (request: FastifyRequest, item: T) => represent(publicBaseUrl(request), item),
  };
}
