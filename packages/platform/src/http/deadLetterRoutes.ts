import Type from 'typebox';
import {
  type DeadLetterDesk,
  DeadLetterNotFound,
  DeadLetterNotRedrivable,
  RedriveFailed,
} from '../messaging/deadLetterDesk.ts';
import type { DeadLetter } from '../messaging/deadLetters.ts';
import { halCollection, halItem, PagingQuery, parsePaging, publicBaseUrl } from './hal.ts';
import { HttpProblem } from './problem.ts';
import type { HttpApp } from './server.ts';

const PATH = '/ops/dead-letters';
const ById = Type.Object({ id: Type.Integer({ minimum: 1 }) });
const ListQuery = Type.Object(
  {
    ...PagingQuery.properties,
    state: Type.Optional(
      Type.Union([Type.Literal('parked'), Type.Literal('redriven'), Type.Literal('all')], { default: 'parked' }),
    ),
  },
  { additionalProperties: false },
);

function problemOf(error: unknown): HttpProblem | undefined {
  if (error instanceof DeadLetterNotFound) return new HttpProblem(404, 'Not Found', error.message);
  if (error instanceof DeadLetterNotRedrivable)
    return new HttpProblem(422, 'Dead letter cannot be redriven', error.message);
  if (error instanceof RedriveFailed) {
    return new HttpProblem(409, 'Redrive failed', error.message, { deadLetter: error.deadLetter });
  }
  return undefined;
}

const answer = async <T>(work: () => Promise<T>): Promise<T> => {
  try {
    return await work();
  } catch (error) {
    throw problemOf(error) ?? error;
  }
};

/**
 * Operations on the service's dead letters: list them, redrive one, redrive all. Meant for
 * operators on the service's own port; the gateway does not route /ops.
 */
export function installDeadLetterRoutes(app: HttpApp, desk: DeadLetterDesk) {
  const item = (base: string, letter: DeadLetter) => {
    const body = halItem(base, PATH, 'deadLetter', letter.id, letter);
    if (letter.redrivenAt === null) body._links.redrive = { href: `${base}${PATH}/${letter.id}/redrive` };
    return body;
  };

  app.get(PATH, { schema: { querystring: ListQuery } }, async (request) => {
    const paging = parsePaging(request.query, ['id']);
    const state = request.query.state ?? 'parked';
    const { items, totalElements } = await desk.page({ ...paging, state });
    const base = publicBaseUrl(request);
    const collection = halCollection({ base, path: PATH, rel: 'deadLetters', items: [], paging, totalElements });
    return {
      ...collection,
      _embedded: { deadLetters: items.map((letter) => item(base, letter)) },
      _links: { ...collection._links, redriveAll: { href: `${base}${PATH}/redrive` } },
    };
  });

  app.get(`${PATH}/:id`, { schema: { params: ById } }, async (request) => {
    const letter = await desk.find(request.params.id);
    if (!letter) throw new HttpProblem(404, 'Not Found', `no dead letter ${request.params.id}`);
    return item(publicBaseUrl(request), letter);
  });

  app.post(`${PATH}/:id/redrive`, { schema: { params: ById } }, async (request) => {
    const result = await answer(() => desk.redrive(request.params.id));
    return { outcome: result.outcome, handled: result.handled, ...item(publicBaseUrl(request), result.deadLetter) };
  });

  app.post(`${PATH}/redrive`, async () => answer(() => desk.redriveAll()));
}
