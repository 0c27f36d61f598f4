import { ApiError } from '../api/http.ts';

const HIDDEN = new Set(['_links', 'timeline']);

function show(value: unknown): string {
  if (value === null || value === undefined) return '—';
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}

/** One service's record of the order, field by field, or why there is none. */
export function RecordCard({ title, source, record }: { title: string; source: string; record: unknown }) {
  const id = `record-${source.replace(/\W+/g, '-')}`;
  return (
    <section class="card record" aria-labelledby={id}>
      <h3 id={id}>
        {title} <code class="source">{source}</code>
      </h3>
      {record === undefined ? (
        <p class="empty">Loading…</p>
      ) : record === null ? (
        <p class="empty">No record (yet).</p>
      ) : record instanceof Error ? (
        <p class="field-error">
          {record instanceof ApiError ? `${record.problem.status} ${record.problem.title}: ` : ''}
          {record.message}
        </p>
      ) : (
        <dl class="facts">
          {Object.entries(record as Record<string, unknown>)
            .filter(([key]) => !HIDDEN.has(key))
            .map(([key, value]) => (
              <div key={key} class="fact">
                <dt>{key}</dt>
                <dd>{show(value)}</dd>
              </div>
            ))}
        </dl>
      )}
    </section>
  );
}
