import fc from 'fast-check';

// Requests for every operation of the gateway's OpenAPI document, mostly near-valid (so many get
// through and do real work) and often wrong in one way or another. String fields that services
// store carry MARK, which the test replaces by a marker unique to each request it sends.

// biome-ignore lint/suspicious/noExplicitAny: the generator walks an arbitrary JSON Schema document.
type Json = any;

export const MARK = '@@M@@';
export type Principal = 'kim' | 'lee' | 'ops' | 'opsClient' | 'none' | 'garbage' | 'tampered';
export type Operation = { path: string; method: string; responses: Set<string> };
export type FuzzRequest = {
  operation: Operation;
  url: string;
  principal: Principal;
  /** Identity headers a client has no business sending; the gateway must drop them. */
  spoofed: boolean;
  contentType?: string;
  body?: string;
};

const resolve = (doc: Json, node: Json): Json =>
  node?.$ref
    ? resolve(
        doc,
        node.$ref
          .slice(2)
          .split('/')
          .reduce((n: Json, p: string) => n?.[p], doc),
      )
    : node;

export function operationsOf(doc: Json): Operation[] {
  return Object.entries<Json>(doc.paths).flatMap(([path, item]) =>
    Object.entries<Json>(item).map(([method, op]) => ({
      path,
      method: method.toUpperCase(),
      responses: new Set(Object.keys(op.responses)),
    })),
  );
}

const USER_IDS = ['u1', 'u2', 'u3', 'ops1'];
const weird = fc.oneof(
  fc.string({ maxLength: 12 }),
  fc.constantFrom('', ' ', '0', '-1', '1.5', '1e3', 'null', '9007199254740993', '%', '../payments'),
);
const smallId = fc.integer({ min: 1, max: 12 });
/** Right nineteen times in twenty: a body with eight fields is then whole about half the time. */
const rarelyWrong = <T>(right: fc.Arbitrary<T>) =>
  fc.oneof({ weight: 19, arbitrary: right as fc.Arbitrary<unknown> }, { weight: 1, arbitrary: weird });
const idValue = fc.oneof(
  { weight: 12, arbitrary: smallId },
  { weight: 1, arbitrary: fc.integer() },
  { weight: 1, arbitrary: fc.constantFrom(0, -1, 1.5, 2 ** 53, 1e21) },
  { weight: 1, arbitrary: weird },
);

/** A value for a schema: most often valid, sometimes just outside its rules, sometimes another type. */
function valueFor(doc: Json, name: string, schema: Json): fc.Arbitrary<unknown> {
  const s = resolve(doc, schema) ?? {};
  if (name === 'userId') return rarelyWrong(fc.constantFrom(...USER_IDS));
  if (name === 'orderStatus') return rarelyWrong(fc.constantFrom('Order Canceled', 'Order Canceled', 'Delivered'));
  if (name === 'phoneNo') return rarelyWrong(fc.constantFrom('010-1234-5678', '+82 (10) 555'));
  if (name === 'sort') {
    // orderId sorts everything but orders, id everything but the status view; the rest is for some only.
    return fc.oneof(
      { weight: 8, arbitrary: fc.constantFrom('orderId,desc', 'orderId', 'id,asc', 'id,desc') },
      { weight: 1, arbitrary: fc.constantFrom('productPrice,desc', 'updatedAt,asc', 'createdAt', 'amount,asc') },
      { weight: 1, arbitrary: fc.constantFrom('nope', 'id,up', 'id;drop table orders') },
    );
  }
  if (s.enum) return rarelyWrong(fc.constantFrom(...s.enum));
  if (s.type === 'integer' || s.type === 'number') {
    const max = Math.min(s.maximum ?? 1e6, 1e6);
    return fc.oneof(
      {
        weight: 20,
        arbitrary:
          name.endsWith('Id') || name === 'id'
            ? smallId
            : fc.integer({ min: 1, max: Math.max(1, Math.min(max, 100_000)) }),
      },
      { weight: 1, arbitrary: fc.constantFrom(-1, 0, 1.25, (s.maximum ?? 1e6) + 1) },
      { weight: 1, arbitrary: weird },
    );
  }
  if (s.type === 'string') {
    const text = fc.string({ maxLength: 6 }).map((tail) => `${MARK}${tail}`);
    return fc.oneof(
      { weight: 20, arbitrary: text },
      { weight: 1, arbitrary: fc.string({ maxLength: (s.maxLength ?? 50) + 3 }) },
      { weight: 1, arbitrary: fc.integer() },
    );
  }
  return fc.jsonValue({ maxDepth: 2 });
}

function objectFor(doc: Json, schema: Json): fc.Arbitrary<unknown> {
  const s = resolve(doc, schema);
  const model = Object.fromEntries(
    Object.entries<Json>(s.properties ?? {}).map(([name, prop]) => [name, valueFor(doc, name, prop)]),
  );
  const complete = fc.record(model);
  const partial = fc.record(model, { requiredKeys: [] });
  const extra = complete.map((o) => ({ ...(o as object), unexpected: MARK }));
  return fc.oneof(
    { weight: 12, arbitrary: complete },
    { weight: 1, arbitrary: partial },
    { weight: 1, arbitrary: extra },
  );
}

const body = (value: fc.Arbitrary<unknown>) =>
  fc.oneof(
    { weight: 20, arbitrary: value.map((v) => ({ contentType: 'application/json', body: JSON.stringify(v) })) },
    {
      weight: 1,
      arbitrary: fc
        .jsonValue({ maxDepth: 3 })
        .map((v) => ({ contentType: 'application/json', body: JSON.stringify(v) })),
    },
    {
      weight: 1,
      arbitrary: fc
        .constantFrom('{"broken":', '', 'null', '[]')
        .map((b) => ({ contentType: 'application/json', body: b })),
    },
    { weight: 1, arbitrary: value.map((v) => ({ contentType: 'text/plain', body: JSON.stringify(v) })) },
    { weight: 1, arbitrary: fc.constant({ contentType: 'application/xml', body: `<order>${MARK}</order>` }) },
  );

/** Token requests: right and wrong credentials for both grants, as a form or as JSON. */
function tokenBody(passwords: Record<string, string>, secret: string) {
  const fields = fc.oneof(
    fc.record({
      grant_type: fc.constant('password'),
      username: fc.constantFrom('kim', 'lee', 'ops', 'nobody', ''),
      password: fc.oneof(fc.constantFrom(...Object.values(passwords)), fc.string({ maxLength: 10 })),
    }),
    fc.record({
      grant_type: fc.constant('client_credentials'),
      client_id: fc.constantFrom('ops-client', 'someone'),
      client_secret: fc.oneof(fc.constant(secret), fc.string({ maxLength: 10 })),
    }),
    fc.dictionary(fc.constantFrom('grant_type', 'username', 'password', 'scope', 'code'), fc.string({ maxLength: 8 })),
  );
  return fc.oneof(
    fields.map((f) => ({
      contentType: 'application/x-www-form-urlencoded',
      body: new URLSearchParams(f as Record<string, string>).toString(),
    })),
    fields.map((f) => ({ contentType: 'application/json', body: JSON.stringify(f) })),
    body(fc.jsonValue({ maxDepth: 2 })),
  );
}

function requestFor(doc: Json, operation: Operation, tokenRequests: ReturnType<typeof tokenBody>) {
  const op = doc.paths[operation.path][operation.method.toLowerCase()];
  const parameters: Json[] = (op.parameters ?? []).map((p: Json) => resolve(doc, p));
  const pathParams = fc.record(
    Object.fromEntries(parameters.filter((p) => p.in === 'path').map((p) => [p.name, idValue])),
  ) as fc.Arbitrary<Record<string, unknown>>;
  const known: Record<string, fc.Arbitrary<unknown>> = Object.fromEntries(
    parameters.filter((p) => p.in === 'query').map((p) => [p.name, valueFor(doc, p.name, p.schema)]),
  );
  const required: string[] = parameters.filter((p) => p.in === 'query' && p.required).map((p) => p.name);
  const query = fc.oneof(
    { weight: 12, arbitrary: fc.record(known, { requiredKeys: required }) },
    { weight: 1, arbitrary: fc.record(known, { requiredKeys: [] }) },
    { weight: 1, arbitrary: fc.record({ ...known, unknown: fc.constant('1') }, { requiredKeys: ['unknown'] }) },
  ) as fc.Arbitrary<Record<string, unknown>>;
  const schema = op.requestBody?.content?.['application/json']?.schema;
  const payload =
    operation.path === '/oauth/token' ? tokenRequests : schema ? body(objectFor(doc, schema)) : fc.constant(undefined);
  return fc.record({ pathParams, query, payload }).map(({ pathParams: p, query: q, payload: b }) => {
    const path = operation.path.replace(/\{(\w+)\}/g, (_m, name: string) => encodeURIComponent(String(p[name])));
    const search = new URLSearchParams(Object.entries(q).map(([k, v]): [string, string] => [k, String(v)])).toString();
    return { url: search ? `${path}?${search}` : path, ...(b ?? {}) };
  });
}

export function requests(doc: Json, demo: { passwords: Record<string, string>; clientSecret: string }) {
  const tokenRequests = tokenBody(demo.passwords, demo.clientSecret);
  const perOperation = operationsOf(doc).map((operation) =>
    requestFor(doc, operation, tokenRequests).map((r) => ({ operation, ...r })),
  );
  return fc
    .record({
      request: fc.oneof(...perOperation),
      principal: fc.constantFrom<Principal>(
        'kim',
        'lee',
        'ops',
        'opsClient',
        'kim',
        'ops',
        'none',
        'garbage',
        'tampered',
      ),
      spoofed: fc.boolean(),
    })
    .map(({ request, principal, spoofed }): FuzzRequest => ({ ...request, principal, spoofed }));
}
