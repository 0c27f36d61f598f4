/** An RFC 9457 problem document, as every service and the gateway answer errors. */
export type Problem = {
  status: number;
  title: string;
  detail?: string;
  /** Validation failures: which field, and what is wrong with it. */
  errors?: { path: string; message: string }[];
  /** Why payment is unavailable: circuit-open, timeout or failed. */
  reason?: string;
};

export class ApiError extends Error {
  override readonly name = 'ApiError';
  readonly problem: Problem;
  /** Seconds from Retry-After, when the answer said when to try again. */
  readonly retryAfter: number | undefined;
  constructor(problem: Problem, retryAfter?: number) {
    super(problem.detail ?? problem.title);
    this.problem = problem;
    this.retryAfter = retryAfter;
  }
  get status() {
    return this.problem.status;
  }
}

export type Api = {
  get<T>(path: string): Promise<T>;
  post<T>(path: string, body?: unknown): Promise<T>;
  put<T>(path: string, body: unknown): Promise<T>;
};

async function problemOf(response: Response): Promise<Problem> {
  const fallback = { status: response.status, title: response.statusText || `HTTP ${response.status}` };
  try {
    return { ...fallback, ...((await response.json()) as Partial<Problem>) };
  } catch {
    return fallback;
  }
}

/** Calls the gateway with the session's token; a 401 means the token expired and signs the user out. */
export function apiClient(token: string, onUnauthorized: () => void): Api {
  const call = async <T>(method: string, path: string, body?: unknown): Promise<T> => {
    let response: Response;
    try {
      response = await fetch(path, {
        method,
        headers: {
          authorization: `Bearer ${token}`,
          accept: 'application/json',
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        body: body === undefined ? null : JSON.stringify(body),
        cache: 'no-store',
      });
    } catch {
      throw new ApiError({ status: 0, title: 'Network error', detail: 'The gateway cannot be reached.' });
    }
    if (response.status === 401) onUnauthorized();
    if (!response.ok) {
      const retryAfter = Number(response.headers.get('retry-after') ?? Number.NaN);
      throw new ApiError(await problemOf(response), Number.isFinite(retryAfter) ? retryAfter : undefined);
    }
    const text = await response.text();
    return (text ? JSON.parse(text) : undefined) as T;
  };
  return {
    get: (path) => call('GET', path),
    post: (path, body) => call('POST', path, body),
    put: (path, body) => call('PUT', path, body),
  };
}
