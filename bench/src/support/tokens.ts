/** How long before its expiry a token is replaced, so no request carries one that lapses in flight. */
const REFRESH_MARGIN_MS = 60_000;

/** The `exp` claim of a JWT, in epoch milliseconds (the token is trusted: it comes from our own identity). */
export function expiryOf(token: string): number {
  const payload = token.split('.')[1];
  if (!payload) throw new Error('not a JWT');
  const { exp } = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { exp?: number };
  if (typeof exp !== 'number') throw new Error('the token carries no exp');
  return exp * 1000;
}

/** An ops machine client's token from `POST /oauth/token` (client_credentials grant). */
export function clientCredentials(tokenUrl: string, clientId: string, secret: string) {
  return async (): Promise<string> => {
    const response = await fetch(tokenUrl, {
      method: 'POST',
      body: new URLSearchParams({ grant_type: 'client_credentials', client_id: clientId, client_secret: secret }),
      signal: AbortSignal.timeout(10_000),
    });
    if (response.status !== 200) throw new Error(`${tokenUrl} answered ${response.status}: ${await response.text()}`);
    return ((await response.json()) as { access_token: string }).access_token;
  };
}

/**
 * A bearer token that is fetched once and replaced before it expires. `valid(forMs)` makes sure
 * it stays valid for that long yet (a load phase hands its token to another process).
 */
export function tokenSource(fetchToken: () => Promise<string>) {
  let current: { token: string; expiresAt: number } | undefined;
  let pending: Promise<string> | undefined;
  const refresh = () => {
    pending ??= fetchToken()
      .then((token) => {
        current = { token, expiresAt: expiryOf(token) };
        return token;
      })
      .finally(() => {
        pending = undefined;
      });
    return pending;
  };
  return {
    async valid(forMs = 0): Promise<string> {
      if (current && current.expiresAt - Date.now() > forMs + REFRESH_MARGIN_MS) return current.token;
      return refresh();
    },
    /** The gateway refused the token (401): get another one whatever its claimed expiry. */
    renew: refresh,
  };
}

export type TokenSource = ReturnType<typeof tokenSource>;
