import { ApiError } from '../api/http.ts';

/** An error as the user reads it: a title, what happened, what to do. Announced at once (role=alert). */
export function ProblemMessage({ error, title }: { error: unknown; title?: string }) {
  const problem = error instanceof ApiError ? error.problem : undefined;
  const heading = title ?? problem?.title ?? 'Something went wrong';
  const detail = problem?.detail ?? (error instanceof Error ? error.message : String(error));
  return (
    <div class="message message-error" role="alert">
      <p class="message-title">{heading}</p>
      {detail && detail !== heading ? <p>{detail}</p> : null}
    </div>
  );
}
