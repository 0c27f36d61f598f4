import type { HttpApp } from '@12street/platform';
import type { IssuedToken } from '../../application/ports.ts';
import type { PublishedKey } from '../keys/keyRing.ts';
import { parseTokenRequest } from './tokenRequest.ts';

export type TokenRouteDeps = {
  issueUserToken(username: string, password: string): Promise<IssuedToken>;
  issueClientToken(clientId: string, secret: string): Promise<IssuedToken>;
  publishedKeys(): PublishedKey[];
};

/** A form's fields; a field given twice becomes a list, which the token request refuses. */
function formFields(body: string): Record<string, string | string[]> {
  const fields: Record<string, string | string[]> = {};
  for (const [name, value] of new URLSearchParams(body)) {
    const seen = fields[name];
    fields[name] = seen === undefined ? value : [...(Array.isArray(seen) ? seen : [seen]), value];
  }
  return fields;
}

/** OAuth 2.0's token endpoint (RFC 6749 §3.2) and the keys that verify its tokens (RFC 7517). */
export function tokenRoutes(app: HttpApp, deps: TokenRouteDeps) {
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_request, body, done) =>
    done(null, formFields(body as string)),
  );

  app.post('/oauth/token', async (request, reply) => {
    // Tokens and the errors about them are never cached (RFC 6749 §5.1).
    reply.header('cache-control', 'no-store').header('pragma', 'no-cache');
    const asked = parseTokenRequest(request.body, request.headers.authorization);
    const issued =
      asked.grant === 'password'
        ? await deps.issueUserToken(asked.username, asked.password)
        : await deps.issueClientToken(asked.clientId, asked.secret);
    return { access_token: issued.accessToken, token_type: 'Bearer', expires_in: issued.expiresIn };
  });

  app.get('/.well-known/jwks.json', async (_request, reply) => {
    reply.header('cache-control', 'public, max-age=60');
    return { keys: deps.publishedKeys() };
  });
}
