import { json, responseRef, schemaRef, upstreamFailures } from './components.ts';

// The operations anyone may call, without a token: getting one, the keys that verify it, and
// this description. They are rate limited per client address, the token endpoint most strictly.

const open = { security: [] };
const limited = { '429': responseRef('TooManyRequests') };

export function publicPaths() {
  return {
    '/oauth/token': {
      post: {
        ...open,
        tags: ['auth'],
        summary: 'Get an access token (OAuth 2.0 password or client_credentials grant)',
        requestBody: {
          required: true,
          content: {
            'application/x-www-form-urlencoded': { schema: schemaRef('TokenRequest') },
            'application/json': { schema: schemaRef('TokenRequest') },
          },
        },
        responses: {
          '200': json('A short-lived access token', 'TokenResponse'),
          '400': {
            description: 'invalid_request, unsupported_grant_type, or invalid_grant (wrong username or password)',
            content: { 'application/problem+json': { schema: schemaRef('OAuthProblem') } },
          },
          '401': {
            description: 'invalid_client: the client id or secret is wrong',
            content: { 'application/problem+json': { schema: schemaRef('OAuthProblem') } },
          },
          '413': responseRef('PayloadTooLarge'),
          '415': responseRef('UnsupportedMediaType'),
          ...limited,
          ...upstreamFailures,
        },
      },
    },
    '/.well-known/jwks.json': {
      get: {
        ...open,
        tags: ['auth'],
        summary: 'The public keys that verify access tokens (JWKS); during a rotation, the new and the previous',
        responses: { '200': json('The key set', 'JsonWebKeySet'), ...limited, ...upstreamFailures },
      },
    },
    '/openapi.json': {
      get: {
        ...open,
        tags: ['auth'],
        summary: 'This description of the API',
        responses: { '200': { description: 'An OpenAPI 3.1 document' }, ...limited },
      },
    },
  };
}
