import { parameters, responses, schemas, securitySchemes } from './components.ts';
import { apiPaths } from './paths.ts';

export type OpenApiInfo = { title?: string; version?: string; description?: string; serverUrl?: string };

/** The public API as one OpenAPI 3.1 document, assembled from the published language's schemas. */
export function openApiDocument(info: OpenApiInfo = {}) {
  return {
    openapi: '3.1.0',
    info: {
      title: info.title ?? '12street API',
      version: info.version ?? '1.0.0',
      description:
        info.description ??
        'Orders, payments, deliveries, coupons and the order status view of 12street, through its gateway.',
    },
    ...(info.serverUrl ? { servers: [{ url: info.serverUrl }] } : {}),
    tags: ['orders', 'payments', 'stockDeliveries', 'promotes', 'orderStatus', 'auth'].map((name) => ({ name })),
    // Every operation needs an access token unless it says otherwise (the token endpoint, the keys).
    security: [{ bearerAuth: [] }],
    paths: apiPaths(),
    components: { schemas, parameters, responses, securitySchemes },
  };
}
