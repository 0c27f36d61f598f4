import type { FastifyError, FastifyInstance, FastifyReply } from 'fastify';

export const PROBLEM_JSON = 'application/problem+json';

/** RFC 9457 problem details. */
export type Problem = { status: number; title: string; detail?: string; type?: string; [extra: string]: unknown };

/** Thrown by routes (or mapped from domain errors) to answer with a problem document. */
export class HttpProblem extends Error {
  override readonly name = 'HttpProblem';
  readonly problem: Problem;
  /** Response headers that belong with the problem (Retry-After, ...). */
  readonly headers: Record<string, string>;
  constructor(
    status: number,
    title: string,
    detail?: string,
    extra: Record<string, unknown> = {},
    headers: Record<string, string> = {},
  ) {
    super(detail ?? title);
    this.problem = { type: 'about:blank', title, status, ...(detail ? { detail } : {}), ...extra };
    this.headers = headers;
  }
}

/** Turns a service's typed domain errors into problems; undefined means "not one of mine". */
export type DomainErrorMapper = (error: unknown) => HttpProblem | undefined;

export function sendProblem(reply: FastifyReply, problem: Problem) {
  return reply
    .status(problem.status)
    .type(PROBLEM_JSON)
    .send({ type: 'about:blank', ...problem, instance: reply.request.url });
}

/** One place where every failure becomes problem+json: validation, domain rules, unknown routes, bugs. */
export function installProblemHandling(app: FastifyInstance, mapDomainError: DomainErrorMapper = () => undefined) {
  app.setNotFoundHandler((request, reply) =>
    sendProblem(reply, { status: 404, title: 'Not Found', detail: `No resource at ${request.method} ${request.url}` }),
  );
  app.setErrorHandler((error: FastifyError, request, reply) => {
    const problem = error instanceof HttpProblem ? error : mapDomainError(error);
    if (problem) return sendProblem(reply.headers(problem.headers), problem.problem);
    if (error.validation) {
      return sendProblem(reply, {
        status: 400,
        title: 'Invalid request',
        detail:
          `${error.validationContext ?? 'request'}${error.validation.map((v) => ` ${v.instancePath || ''} ${v.message}`).join(';')}`.trim(),
        errors: error.validation.map((v) => ({
          path: `${error.validationContext ?? ''}${v.instancePath}`,
          message: v.message,
        })),
      });
    }
    const status = error.statusCode ?? 500;
    if (status >= 400 && status < 500)
      return sendProblem(reply, { status, title: titleFor(status), detail: error.message });
    request.log.error({ err: error }, 'unhandled error');
    return sendProblem(reply, { status: 500, title: 'Internal Server Error', detail: 'An unexpected error occurred.' });
  });
}

function titleFor(status: number): string {
  const titles: Record<number, string> = {
    400: 'Bad Request',
    404: 'Not Found',
    405: 'Method Not Allowed',
    406: 'Not Acceptable',
    409: 'Conflict',
    413: 'Payload Too Large',
    415: 'Unsupported Media Type',
    429: 'Too Many Requests',
  };
  return titles[status] ?? 'Client Error';
}
