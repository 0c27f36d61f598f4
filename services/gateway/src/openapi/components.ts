import {
  ApprovePaymentRequest,
  CancelCouponRequest,
  CancelOrderRequest,
  Fields,
  IssueCouponRequest,
  OrderBody,
  OrderStatusBody,
  PatchOrderRequest,
  PaymentBody,
  PlaceOrderRequest,
  PromoteBody,
  StockDeliveryBody,
  VoidPaymentRequest,
} from '@12street/contracts';
import { PagingQuery } from '@12street/platform';

// The reusable parts of the OpenAPI document: the published language's TypeBox schemas as JSON
// Schema, HAL wrappers around them, shared parameters and the problem responses every call can give.

type Schema = Record<string, unknown>;

/** TypeBox schemas are JSON Schema already; a JSON round trip leaves only the document's fields. */
const plain = (schema: unknown): Schema => JSON.parse(JSON.stringify(schema));

export const schemaRef = (name: string) => ({ $ref: `#/components/schemas/${name}` });
export const parameterRef = (name: string) => ({ $ref: `#/components/parameters/${name}` });
export const responseRef = (name: string) => ({ $ref: `#/components/responses/${name}` });

export const json = (description: string, schema: string) => ({
  description,
  content: { 'application/json': { schema: schemaRef(schema) } },
});

export const upstreamFailures = {
  '502': responseRef('BadGateway'),
  '503': responseRef('Unavailable'),
  '504': responseRef('GatewayTimeout'),
};

/** The resources the gateway exposes, each by the name its schemas carry. */
export const RESOURCES = [
  { name: 'Order', rel: 'orders', body: OrderBody },
  { name: 'Payment', rel: 'payments', body: PaymentBody },
  { name: 'StockDelivery', rel: 'stockDeliveries', body: StockDeliveryBody },
  { name: 'Promote', rel: 'promotes', body: PromoteBody },
  { name: 'OrderStatus', rel: 'orderStatuses', body: OrderStatusBody },
] as const;

export type ResourceName = (typeof RESOURCES)[number]['name'];

const hal = {
  Link: {
    type: 'object',
    required: ['href'],
    properties: { href: { type: 'string' }, templated: { type: 'boolean' } },
  },
  Links: {
    type: 'object',
    required: ['_links'],
    properties: { _links: { type: 'object', additionalProperties: schemaRef('Link') } },
  },
  PageMetadata: {
    type: 'object',
    required: ['size', 'totalElements', 'totalPages', 'number'],
    properties: {
      size: { type: 'integer' },
      totalElements: { type: 'integer' },
      totalPages: { type: 'integer' },
      number: { type: 'integer' },
    },
  },
  ProblemDetails: {
    type: 'object',
    description: 'RFC 9457 problem details, sent as application/problem+json.',
    required: ['type', 'title', 'status'],
    properties: {
      type: { type: 'string' },
      title: { type: 'string' },
      status: { type: 'integer' },
      detail: { type: 'string' },
      instance: { type: 'string' },
      errors: {
        type: 'array',
        items: {
          type: 'object',
          properties: { path: { type: 'string' }, message: { type: 'string' } },
        },
      },
    },
  },
};

const embedded = (rel: string, name: string) => ({
  type: 'object',
  required: [rel],
  properties: { [rel]: { type: 'array', items: schemaRef(`${name}Resource`) } },
});

/** Per resource: the body, the body with its links, a page of them (HAL collection), and a search result. */
function halSchemas(): Record<string, Schema> {
  const out: Record<string, Schema> = {};
  for (const { name, rel, body } of RESOURCES) {
    out[`${name}Body`] = plain(body);
    out[`${name}Resource`] = { allOf: [schemaRef(`${name}Body`), schemaRef('Links')] };
    out[`${name}Page`] = {
      type: 'object',
      required: ['_embedded', '_links', 'page'],
      properties: {
        _embedded: embedded(rel, name),
        _links: hal.Links.properties._links,
        page: schemaRef('PageMetadata'),
      },
    };
    out[`${name}List`] = {
      type: 'object',
      required: ['_embedded', '_links'],
      properties: { _embedded: embedded(rel, name), _links: hal.Links.properties._links },
    };
  }
  return out;
}

const requests = {
  PlaceOrderRequest,
  PatchOrderRequest,
  CancelOrderRequest,
  ApprovePaymentRequest,
  VoidPaymentRequest,
  IssueCouponRequest,
  CancelCouponRequest,
};

/** OAuth 2.0 (RFC 6749): the token request, as a form or as JSON, and its answer. */
const auth = {
  TokenRequest: {
    type: 'object',
    required: ['grant_type'],
    description:
      'grant_type "password" with username and password (people), or "client_credentials" with client_id ' +
      'and client_secret (machines; a Basic Authorization header may carry them instead).',
    properties: {
      grant_type: { type: 'string', enum: ['password', 'client_credentials'] },
      username: { type: 'string', maxLength: 100 },
      password: { type: 'string', maxLength: 1024 },
      client_id: { type: 'string', maxLength: 100 },
      client_secret: { type: 'string', maxLength: 1024 },
    },
  },
  TokenResponse: {
    type: 'object',
    required: ['access_token', 'token_type', 'expires_in'],
    properties: {
      access_token: { type: 'string', description: 'An ES256 (or RS256) JWT with sub, roles, iss, aud, iat, nbf, exp' },
      token_type: { type: 'string', const: 'Bearer' },
      expires_in: { type: 'integer', description: 'seconds' },
    },
  },
  OAuthProblem: {
    allOf: [
      { $ref: '#/components/schemas/ProblemDetails' },
      {
        type: 'object',
        required: ['error'],
        properties: {
          error: {
            type: 'string',
            enum: ['invalid_request', 'invalid_grant', 'invalid_client', 'unsupported_grant_type'],
          },
          error_description: { type: 'string' },
        },
      },
    ],
  },
  JsonWebKeySet: {
    type: 'object',
    required: ['keys'],
    properties: {
      keys: {
        type: 'array',
        items: {
          type: 'object',
          required: ['kty', 'kid', 'alg'],
          properties: {
            kty: { type: 'string' },
            kid: { type: 'string' },
            alg: { type: 'string', enum: ['ES256', 'RS256'] },
            use: { type: 'string' },
          },
        },
      },
    },
  },
};

const results = {
  VoidPaymentResult: {
    type: 'object',
    required: ['orderId', 'payStatus'],
    properties: { orderId: plain(Fields.id), payStatus: { type: 'string' } },
  },
  CancelCouponResult: {
    type: 'object',
    required: ['orderId', 'promoteStatus', 'couponId'],
    properties: {
      orderId: plain(Fields.id),
      promoteStatus: { type: 'string' },
      couponId: { anyOf: [{ type: 'integer' }, { type: 'null' }] },
    },
  },
};

export const schemas: Record<string, Schema> = {
  ...hal,
  ...halSchemas(),
  ...Object.fromEntries(Object.entries(requests).map(([name, schema]) => [name, plain(schema)])),
  ...results,
  ...auth,
};

const paging = plain(PagingQuery) as { properties: Record<string, Schema> };
const query = (name: string, schema: Schema, required = false) => ({ name, in: 'query', required, schema });

export const securitySchemes = {
  bearerAuth: {
    type: 'http',
    scheme: 'bearer',
    bearerFormat: 'JWT',
    description: 'An access token from POST /oauth/token.',
  },
};

export const parameters = {
  page: query('page', paging.properties.page ?? {}),
  size: query('size', paging.properties.size ?? {}),
  sort: {
    ...query('sort', paging.properties.sort ?? {}),
    description: 'field[,asc|desc]; each collection names the fields it sorts by',
  },
  id: { name: 'id', in: 'path', required: true, schema: plain(Fields.id) },
  orderIdPath: { name: 'orderId', in: 'path', required: true, schema: plain(Fields.id) },
  orderIdQuery: query('orderId', plain(Fields.id), true),
  userIdQuery: query('userId', plain(Fields.userId), true),
};

const problem = (description: string) => ({
  description,
  content: { 'application/problem+json': { schema: schemaRef('ProblemDetails') } },
});

export const responses = {
  BadRequest: problem('The request is malformed or breaks a field rule.'),
  Unauthorized: problem(
    'No valid access token: missing, malformed, expired, not yet valid, or not issued for this API ' +
      '(WWW-Authenticate: Bearer says which).',
  ),
  Forbidden: problem('The token is valid, but its roles do not allow this (or a customer acted for another user).'),
  PayloadTooLarge: problem('The request body is larger than the gateway accepts.'),
  UnsupportedMediaType: problem('The request body is not JSON.'),
  TooManyRequests: problem('Too many requests in the window; Retry-After says when to try again.'),
  NotFound: problem('No such resource.'),
  Conflict: problem('The request contradicts the state of the resource (a business rule refused it).'),
  BadGateway: problem('The service behind the gateway answered with something that is not HTTP.'),
  Unavailable: problem('The service behind the gateway, or one it depends on, is unavailable right now.'),
  GatewayTimeout: problem('The service behind the gateway did not answer in time.'),
};
