import { HttpProblem } from '@12street/platform';

/** What a token request asks for, once it is known to be well-formed. */
export type TokenRequest =
  | { grant: 'password'; username: string; password: string }
  | { grant: 'client_credentials'; clientId: string; secret: string };

/** An OAuth error (RFC 6749 §5.2) as problem+json: `error` and `error_description` ride along. */
export const oauthProblem = (status: number, error: string, description: string) =>
  new HttpProblem(status, status === 401 ? 'Unauthorized' : 'Bad Request', description, {
    error,
    error_description: description,
  });

const invalidRequest = (description: string) => oauthProblem(400, 'invalid_request', description);

const LIMITS: Record<string, number> = { username: 100, password: 1024, client_id: 100, client_secret: 1024 };

function text(params: Record<string, unknown>, name: string): string | undefined {
  const value = params[name];
  if (value === undefined) return undefined;
  if (typeof value !== 'string') throw invalidRequest(`${name} must be given once, as a string`);
  if (value.length === 0 || value.length > (LIMITS[name] ?? 100)) throw invalidRequest(`${name} has a wrong length`);
  return value;
}

const required = (params: Record<string, unknown>, name: string) => {
  const value = text(params, name);
  if (value === undefined) throw invalidRequest(`${name} is missing`);
  return value;
};

/** client_secret_basic (RFC 6749 §2.3.1): id and secret form-encoded, then base64 in a Basic header. */
function basicCredentials(authorization: string | undefined): Record<string, string> | undefined {
  const match = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(authorization ?? '');
  if (!match?.[1]) return undefined;
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) throw oauthProblem(401, 'invalid_client', 'the Basic credentials are malformed');
  try {
    return {
      client_id: decodeURIComponent(decoded.slice(0, colon).replaceAll('+', ' ')),
      client_secret: decodeURIComponent(decoded.slice(colon + 1).replaceAll('+', ' ')),
    };
  } catch {
    throw oauthProblem(401, 'invalid_client', 'the Basic credentials are malformed');
  }
}

/** Reads a token request from its form or JSON body (and a Basic header for clients). */
export function parseTokenRequest(body: unknown, authorization: string | undefined): TokenRequest {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw invalidRequest('send the parameters as a form (application/x-www-form-urlencoded) or a JSON object');
  }
  const params = body as Record<string, unknown>;
  const grant = text(params, 'grant_type');
  if (grant === 'password') {
    return { grant, username: required(params, 'username'), password: required(params, 'password') };
  }
  if (grant === 'client_credentials') {
    const basic = basicCredentials(authorization);
    if (basic && (params.client_id !== undefined || params.client_secret !== undefined)) {
      throw invalidRequest('authenticate the client one way: the Basic header or the body, not both');
    }
    const credentials = basic ?? params;
    return { grant, clientId: required(credentials, 'client_id'), secret: required(credentials, 'client_secret') };
  }
  if (grant === undefined) throw invalidRequest('grant_type is missing');
  throw oauthProblem(400, 'unsupported_grant_type', 'grant_type must be "password" or "client_credentials"');
}
