export type Role = 'customer' | 'ops';

/** Who is signed in. Kept in this tab's sessionStorage: gone when the tab closes, never shared with others. */
export type Session = { token: string; username: string; userId: string; roles: Role[]; expiresAt: number };

const KEY = '12street.session';

/** The token's claims, read only to shape the screens: the gateway verifies the token on every call. */
function claimsOf(token: string): { sub: string; roles: Role[]; exp: number } {
  const payload = token.split('.')[1] ?? '';
  const json = atob(payload.replaceAll('-', '+').replaceAll('_', '/'));
  const claims = JSON.parse(json) as { sub?: unknown; roles?: unknown; exp?: unknown };
  const roles = Array.isArray(claims.roles)
    ? claims.roles.filter((r): r is Role => r === 'customer' || r === 'ops')
    : [];
  return { sub: String(claims.sub ?? ''), roles, exp: Number(claims.exp ?? 0) };
}

export const isOps = (session: Session) => session.roles.includes('ops');

export function loadSession(now = Date.now()): Session | undefined {
  try {
    const session = JSON.parse(sessionStorage.getItem(KEY) ?? 'null') as Session | null;
    return session && session.expiresAt > now ? session : undefined;
  } catch {
    return undefined;
  }
}

export function saveSession(session: Session) {
  sessionStorage.setItem(KEY, JSON.stringify(session));
}

export function clearSession() {
  sessionStorage.removeItem(KEY);
}

export class SignInRefused extends Error {
  override readonly name = 'SignInRefused';
}

/** OAuth 2.0 password grant against the identity service, through the gateway. */
export async function signIn(username: string, password: string): Promise<Session> {
  let response: Response;
  try {
    response = await fetch('/oauth/token', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'password', username, password }),
      cache: 'no-store',
    });
  } catch {
    throw new SignInRefused('The gateway cannot be reached. Is the system running?');
  }
  if (response.status === 429) throw new SignInRefused('Too many sign-in attempts. Wait a minute, then try again.');
  if (!response.ok) {
    throw new SignInRefused(
      response.status >= 500
        ? 'Signing in is unavailable right now. Try again shortly.'
        : 'Wrong user name or password.',
    );
  }
  const { access_token: token } = (await response.json()) as { access_token: string };
  const claims = claimsOf(token);
  return { token, username, userId: claims.sub, roles: claims.roles, expiresAt: claims.exp * 1000 };
}
